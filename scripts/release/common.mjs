/** Shared by the release scripts (bundle, package:deb, package:rpm): names, versions, running tools. */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export function projectRoot() {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
}

export function readPackage() {
  return JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8'));
}

/** diskpredict-<version>-linux-<arch>, the bundle's file and top folder name. */
export function bundleName(version, arch = process.arch) {
  return `diskpredict-${version}-linux-${arch}`;
}

/** Node's arch name → Debian's and RPM's. */
export function debArch(arch = process.arch) {
  const map = { x64: 'amd64', arm64: 'arm64', ppc64: 'ppc64el', s390x: 's390x' };
  if (!map[arch]) throw new Error(`no Debian architecture for ${arch}`);
  return map[arch];
}
export function rpmArch(arch = process.arch) {
  const map = { x64: 'x86_64', arm64: 'aarch64', ppc64: 'ppc64le', s390x: 's390x' };
  if (!map[arch]) throw new Error(`no RPM architecture for ${arch}`);
  return map[arch];
}

/** SOURCE_DATE_EPOCH, else the last commit's time, else now: the timestamp written into archives. */
export function sourceDateEpoch() {
  if (process.env.SOURCE_DATE_EPOCH) return Number(process.env.SOURCE_DATE_EPOCH);
  try {
    return Number(execFileSync('git', ['log', '-1', '--format=%ct'], { cwd: projectRoot(), encoding: 'utf8' }).trim());
  } catch {
    return Math.floor(Date.now() / 1000);
  }
}

/** Runs a tool, returns its stdout; throws with its stderr unless allowFail. */
export function run(cmd, args, { cwd, allowFail = false, env } = {}) {
  try {
    return execFileSync(cmd, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  } catch (err) {
    if (allowFail && typeof err.stdout === 'string') return err.stdout;
    throw new Error(`${cmd} ${args.join(' ')} failed: ${err.stderr || err.message}`);
  }
}

/** The offline bundle's tarball in release/, built first (npm run bundle) when absent; `who` names the caller. */
export function bundleTarball(root, version, who) {
  const tarball = join(root, 'release', `${bundleName(version)}.tar.gz`);
  if (!existsSync(tarball)) {
    console.log(`${who}: no bundle yet, building it (npm run bundle)`);
    execFileSync('npm', ['run', 'bundle'], { cwd: root, stdio: 'inherit' });
  }
  return tarball;
}
