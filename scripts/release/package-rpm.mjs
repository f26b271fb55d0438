#!/usr/bin/env node
/**
 * `npm run package:rpm`: release/diskpredict-<version>-1.<arch>.rpm for RHEL/Rocky 9 from the offline bundle (built
 * first when absent) and contrib/rpm/diskpredict.spec, with rpmbuild (Debian's `rpm` package works). No network, no
 * compiler. It cannot be installed on this Debian machine; check it with `rpm -qlp` / `rpm -qpR`.
 */
import { copyFileSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { bundleName, bundleTarball, projectRoot, readPackage, rpmArch, run, sourceDateEpoch } from './common.mjs';

const root = projectRoot();
const pkg = readPackage();
const release = join(root, 'release');
const tarball = bundleTarball(root, pkg.version, 'package:rpm');
const top = join(release, 'rpm-build');
rmSync(top, { recursive: true, force: true });
for (const d of ['SOURCES', 'SPECS', 'BUILD', 'RPMS', 'SRPMS', 'BUILDROOT']) mkdirSync(join(top, d), { recursive: true });
copyFileSync(tarball, join(top, 'SOURCES', `${bundleName(pkg.version)}.tar.gz`));
const spec = join(root, 'contrib', 'rpm', 'diskpredict.spec');
const arch = rpmArch();
// --nodeps: rpmbuild on Debian has no RPM database of build dependencies to check (the spec needs none).
run('rpmbuild', ['-bb', '--nodeps', '--target', arch, '--define', `_topdir ${top}`, '--define', `dp_version ${pkg.version}`,
  '--define', `dp_bundle_arch ${process.arch}`, '--define', 'dist .el9', '--define', '_build_id_links none',
  '--define', `source_date_epoch_from_changelog 0`, spec], { env: { ...process.env, SOURCE_DATE_EPOCH: String(sourceDateEpoch()) } });
const built = readdirSync(join(top, 'RPMS', arch)).filter((f) => f.endsWith('.rpm'));
if (built.length !== 1) throw new Error(`package:rpm: expected one RPM, found ${built.join(', ') || 'none'}`);
const out = join(release, built[0]);
copyFileSync(join(top, 'RPMS', arch, built[0]), out);
console.log(`package:rpm: ${relative(root, out)} ${(statSync(out).size / 1e6).toFixed(1)} MB`);
