#!/usr/bin/env node
/**
 * `npm run package:deb`: release/diskpredict_<version>_<arch>.deb from the offline bundle (built first when absent),
 * with dpkg-deb only: no debhelper, no network. Layout:
 *   /usr/lib/diskpredict/…                  the program, its node_modules and its Node runtime
 *   /usr/bin/diskpredict                    → ../lib/diskpredict/bin/diskpredict
 *   /lib/systemd/system/diskpredict.{service,socket}   enabled by postinst, started only where systemd runs
 *   /etc/diskpredict/config.json            conffile
 *   /usr/share/ceph/mgr/diskprediction_local/   the mgr module, replacing ceph-mgr-diskprediction-local
 * The maintainer scripts (contrib/debian/) create the system user diskpredict and /var/lib/diskpredict.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { join, relative } from 'node:path';
import { bundleName, bundleTarball, debArch, projectRoot, readPackage, run, sourceDateEpoch } from './common.mjs';

const root = projectRoot();
const pkg = readPackage();
const release = join(root, 'release');
const tarball = bundleTarball(root, pkg.version, 'package:deb');

const work = join(release, 'deb-build');
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
run('tar', ['-xzf', tarball, '-C', work]);
const bundle = join(work, bundleName(pkg.version));
const tree = join(work, 'root');
const at = (...p) => join(tree, ...p);

const libdir = at('usr', 'lib', 'diskpredict');
mkdirSync(libdir, { recursive: true });
for (const entry of ['BUNDLE.json', 'package.json', 'bin', 'build', 'dist', 'models', 'node_modules', 'runtime']) {
  if (existsSync(join(bundle, entry))) cpSync(join(bundle, entry), join(libdir, entry), { recursive: true, verbatimSymlinks: true });
}
mkdirSync(at('usr', 'bin'), { recursive: true });
symlinkSync('../lib/diskpredict/bin/diskpredict', at('usr', 'bin', 'diskpredict'));
mkdirSync(at('lib', 'systemd', 'system'), { recursive: true });
for (const unit of ['diskpredict.service', 'diskpredict.socket']) copyFileSync(join(bundle, 'contrib', 'systemd', unit), at('lib', 'systemd', 'system', unit));
mkdirSync(at('etc', 'diskpredict'), { recursive: true });
copyFileSync(join(bundle, 'etc', 'config.json'), at('etc', 'diskpredict', 'config.json'));
cpSync(join(bundle, 'daemon', 'ceph-mgr', 'diskprediction_local'), at('usr', 'share', 'ceph', 'mgr', 'diskprediction_local'), { recursive: true });
const doc = at('usr', 'share', 'doc', 'diskpredict');
mkdirSync(doc, { recursive: true });
copyFileSync(join(root, 'contrib', 'debian', 'copyright'), join(doc, 'copyright'));
for (const f of ['README.md', 'docs/ceph.md', 'docs/deploy.md', 'docs/protocol.md']) {
  if (existsSync(join(bundle, f))) writeFileSync(join(doc, `${f.split('/').pop()}.gz`), gzipSync(readFileSync(join(bundle, f)), { level: 9 }));
}
const man = at('usr', 'share', 'man', 'man1');
mkdirSync(man, { recursive: true });
writeFileSync(join(man, 'diskpredict.1.gz'), gzipSync(readFileSync(join(root, 'contrib', 'debian', 'diskpredict.1')), { level: 9 }));
const overrides = at('usr', 'share', 'lintian', 'overrides');
mkdirSync(overrides, { recursive: true });
copyFileSync(join(root, 'contrib', 'debian', 'lintian-overrides'), join(overrides, 'diskpredict'));
const epoch = sourceDateEpoch();
// A native package's changelog (Debian format), one entry for this version.
const date = new Date(epoch * 1000).toUTCString().replace('GMT', '+0000');
const maintainer = 'diskpredict developers <diskpredict@example.org>';
const changelog = `diskpredict (${pkg.version}) unstable; urgency=medium\n\n  * Built from the diskpredict ${pkg.version} offline bundle (node ${process.version}).\n\n -- ${maintainer}  ${date}\n`;
writeFileSync(join(doc, 'changelog.gz'), gzipSync(Buffer.from(changelog), { level: 9 }));

// Debian's permissions: directories 0755, files 0644, executables 0755; nothing group- or world-writable.
function normalizeModes(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p, { throwIfNoEntry: false });
    if (!st) continue;
    const lst = execFileSync('stat', ['-c', '%F', p], { encoding: 'utf8' }).trim();
    if (lst === 'symbolic link') continue;
    if (st.isDirectory()) { chmodSync(p, 0o755); normalizeModes(p); }
    else chmodSync(p, st.mode & 0o111 ? 0o755 : 0o644);
  }
}
normalizeModes(tree);
// shared objects need no execute bit (lintian: shared-library-is-executable); Node loads them with dlopen
for (const f of readdirSync(libdir, { recursive: true }).map(String).filter((f) => f.endsWith('.node'))) chmodSync(join(libdir, f), 0o644);

// Depends: what the ELF files link against, as dpkg-shlibdeps computes it when dpkg-dev is here.
function shlibsDepends() {
  const elfs = readdirSync(libdir, { recursive: true }).map(String)
    .filter((f) => f === 'runtime/node' || f.endsWith('.node')).map((f) => join(libdir, f));
  try {
    const scratch = join(work, 'shlibs');
    mkdirSync(join(scratch, 'debian'), { recursive: true });
    writeFileSync(join(scratch, 'debian', 'control'), 'Source: diskpredict\n\nPackage: diskpredict\nArchitecture: any\n');
    const out = execFileSync('dpkg-shlibdeps', ['-O', '--warnings=0', ...elfs], { cwd: scratch, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const m = /shlibs:Depends=(.*)/.exec(out);
    if (m) return m[1].trim();
  } catch {
    // dpkg-dev absent
  }
  console.warn('package:deb: dpkg-shlibdeps not available; using the dependencies measured on Debian 12');
  return 'libc6 (>= 2.34), libgcc-s1 (>= 3.4), libstdc++6 (>= 11)';
}

const installedKb = Number(run('du', ['-sk', '--apparent-size', tree]).split('\t')[0]);
const arch = debArch();
const control = `Package: diskpredict
Version: ${pkg.version}
Architecture: ${arch}
Maintainer: ${maintainer}
Installed-Size: ${installedKb}
Depends: adduser, ${shlibsDepends()}
Recommends: ceph-mgr
Conflicts: ceph-mgr-diskprediction-local
Replaces: ceph-mgr-diskprediction-local
Provides: ceph-mgr-diskprediction-local
Section: admin
Priority: optional
Description: disk failure prediction from S.M.A.R.T. data, for Ceph
 diskpredict predicts hard-disk and SSD failure from S.M.A.R.T. data with its
 own gradient-boosted model, as a daemon on a Unix socket with its own SQLite
 history. It carries its own Node.js runtime and needs no network and no Python
 packages.
 .
 The package also installs a standard-library-only Ceph mgr module named
 diskprediction_local that asks the daemon, replacing Ceph's own predictor
 (ceph-mgr-diskprediction-local, which needs scikit-learn).
`;
const debian = at('DEBIAN');
mkdirSync(debian, { mode: 0o755 });
writeFileSync(join(debian, 'control'), control);
writeFileSync(join(debian, 'conffiles'), '/etc/diskpredict/config.json\n');
for (const script of ['postinst', 'prerm', 'postrm']) {
  copyFileSync(join(root, 'contrib', 'debian', script), join(debian, script));
  chmodSync(join(debian, script), 0o755);
}
chmodSync(join(debian, 'control'), 0o644);
chmodSync(join(debian, 'conffiles'), 0o644);
// md5sums of every regular file outside DEBIAN and /etc (conffiles are checked by dpkg itself)
const sums = [];
for (const f of readdirSync(tree, { recursive: true }).map(String).sort()) {
  if (f.startsWith('DEBIAN') || f.startsWith('etc/')) continue;
  const p = join(tree, f);
  const kind = execFileSync('stat', ['-c', '%F', p], { encoding: 'utf8' }).trim();
  if (kind !== 'regular file' && kind !== 'regular empty file') continue;
  sums.push(`${createHash('md5').update(readFileSync(p)).digest('hex')}  ${f}`);
}
writeFileSync(join(debian, 'md5sums'), `${sums.join('\n')}\n`);
chmodSync(join(debian, 'md5sums'), 0o644);

const deb = join(release, `diskpredict_${pkg.version}_${arch}.deb`);
run('dpkg-deb', ['--root-owner-group', '-Zxz', '--build', tree, deb], { env: { ...process.env, SOURCE_DATE_EPOCH: String(epoch) } });
console.log(`package:deb: ${relative(root, deb)} ${(statSync(deb).size / 1e6).toFixed(1)} MB, installed ${(installedKb / 1024).toFixed(1)} MiB`);
