#!/usr/bin/env node
/**
 * `npm run bundle`: the offline bundle release/diskpredict-<version>-linux-<arch>.tar.gz, for hosts with no
 * network, npm, compiler or Node. It holds the compiled JavaScript, the production node_modules with their native
 * parts as built on this machine, the optional addon, the default model, the Ceph mgr module, the systemd units,
 * install.sh, the launcher bin/diskpredict and this machine's own Node binary (process.execPath): the native
 * parts were compiled for exactly that Node, so the pair is known to work together.
 *
 *   node scripts/release/bundle.mjs [--out DIR]      (default release/; needs dist/ built: `npm run bundle` does it)
 *
 * Reproducible for the same inputs: files sorted, owner 0, mtime = SOURCE_DATE_EPOCH (default: the last commit).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { bundleName, projectRoot, readPackage, run, sourceDateEpoch } from './common.mjs';

const root = projectRoot();
const args = process.argv.slice(2);
const outDir = resolve(args[0] === '--out' && args[1] ? args[1] : join(root, 'release'));
const pkg = readPackage();
const name = bundleName(pkg.version);
const stageRoot = join(outDir, 'stage');
const stage = join(stageRoot, name);

if (!existsSync(join(root, 'dist', 'lib', 'cli', 'main.js'))) {
  console.error('bundle: dist/ is not built; run `npm run build:ts` (or `npm run bundle`, which does)');
  process.exit(1);
}
rmSync(stage, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });

const copy = (from, to = from, filter) =>
  cpSync(join(root, from), join(stage, to), { recursive: true, filter: filter ? (src) => filter(src) : undefined });

// Compiled JavaScript only: no declaration files or source maps point to sources the bundle does not hold.
const jsOnly = (src) => statSync(src).isDirectory() || src.endsWith('.js') || src.endsWith('.cjs');
copy('dist/lib', 'dist/lib', jsOnly);
copy('dist/daemon', 'dist/daemon', jsOnly);
// The command in one file with V8's code cache, made by this Node, which the bundle ships (docs/startup.md).
if (existsSync(join(root, 'dist', 'cli', 'diskpredict.cjs'))) copy('dist/cli');
else console.warn('bundle: no dist/cli/diskpredict.cjs (esbuild missing at build time): the command runs unbundled');
// The default model compiled by this Node (lib/models/compiledModel.ts); the bundle ships the same Node.
copy('dist/models');
copy('models');
copy('daemon/ceph-mgr/diskprediction_local', 'daemon/ceph-mgr/diskprediction_local', (src) => !src.includes('__pycache__'));
copy('contrib/systemd');
copy('contrib/bundle/config.json', 'etc/config.json');
copy('contrib/bundle/install.sh', 'install.sh');
copy('contrib/bundle/diskpredict', 'bin/diskpredict');
copy('README.md');
for (const doc of ['docs/ceph.md', 'docs/deploy.md', 'docs/protocol.md']) if (existsSync(join(root, doc))) copy(doc);

const addon = join(root, 'build', 'Release', 'diskpredict_native.node');
const hasAddon = existsSync(addon);
if (hasAddon) {
  mkdirSync(join(stage, 'build', 'Release'), { recursive: true });
  copyFileSync(addon, join(stage, 'build', 'Release', 'diskpredict_native.node'));
} else {
  console.warn('bundle: no native addon (build/Release/diskpredict_native.node): the bundle uses the TypeScript twins');
}

// package.json without scripts: nothing may try to build or download on the target.
const { scripts: _s, devDependencies: _d, allowScripts: _a, files: _f, ...runtimePkg } = pkg;
writeFileSync(join(stage, 'package.json'), `${JSON.stringify(runtimePkg, null, 2)}\n`);

// Run-time dependencies exactly as installed here (native parts already built): the closure of package.json's
// dependencies over each package's dependencies and installed optionalDependencies, resolved as Node resolves them,
// without the packages that only build or download native code at install time.
const BUILD_ONLY = new Set(['node-addon-api', 'prebuild-install', 'node-gyp', 'cmake-js']);
function resolveDep(name, fromDir) {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dir === root || dir === dirname(dir)) return null;
  }
}
const runtimeDirs = new Set();
(function walk(pkgDir, pkgJson) {
  const deps = { ...pkgJson.dependencies, ...pkgJson.optionalDependencies };
  for (const name of Object.keys(deps)) {
    if (BUILD_ONLY.has(name)) continue;
    const dir = resolveDep(name, pkgDir);
    if (!dir) {
      if (pkgJson.optionalDependencies?.[name]) continue; // not installed here (another platform)
      throw new Error(`bundle: ${name} (needed by ${pkgJson.name}) is not installed; run npm ci`);
    }
    if (runtimeDirs.has(dir)) continue;
    runtimeDirs.add(dir);
    walk(dir, JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')));
  }
})(root, pkg);
for (const dir of [...runtimeDirs].sort()) {
  const rel = relative(root, dir);
  cpSync(dir, join(stage, rel), {
    recursive: true,
    // nested node_modules are walked (and copied) on their own; dotfiles (.npmignore, .eslintrc, .github) are not code
    filter: (src) => !relative(dir, src).split('/').some((part) => part === 'node_modules' || part.startsWith('.')),
  });
}
// Dependencies' own command-line scripts are never run from here: no execute bit (nothing in the bundle needs one).
for (const f of readdirSync(join(stage, 'node_modules'), { recursive: true }).map((f) => join(stage, 'node_modules', String(f)))) {
  const st = statSync(f);
  if (st.isFile() && st.mode & 0o111 && !f.endsWith('.node')) chmodSync(f, st.mode & ~0o111);
}
// better-sqlite3 needs only its compiled module at run time: drop the SQLite sources and build intermediates.
const bsq = join(stage, 'node_modules', 'better-sqlite3');
for (const junk of ['deps', 'src', 'build/Release/obj', 'build/Release/obj.target', 'build/Release/.deps',
  'build/Release/sqlite3.a', 'build/Release/test_extension.node', 'build/deps', 'build/Makefile', 'build/config.gypi']) {
  rmSync(join(bsq, junk), { recursive: true, force: true });
}
if (!existsSync(join(bsq, 'build', 'Release', 'better_sqlite3.node'))) throw new Error('bundle: better-sqlite3 is not built');
// The runtime below is a glibc build: musl variants of prebuilt modules can never load with it.
const nodeModules = (dir) => !existsSync(dir) ? [] : readdirSync(dir, { recursive: true }).map((f) => join(dir, String(f))).filter((f) => f.endsWith('.node'));
for (const f of nodeModules(join(stage, 'node_modules'))) if (f.endsWith('.musl.node')) rmSync(f);

// The runtime: this machine's node, stripped of debug symbols (the dynamic symbol table addons link against stays).
mkdirSync(join(stage, 'runtime'), { recursive: true });
const nodeOut = join(stage, 'runtime', 'node');
copyFileSync(process.execPath, nodeOut);
chmodSync(nodeOut, 0o755);
let stripped = false;
try {
  execFileSync('strip', ['--strip-all', nodeOut], { stdio: 'ignore' });
  // native modules: symbols not needed for dynamic linking go too (as Debian's dh_strip does)
  for (const f of [...nodeModules(join(stage, 'node_modules')), ...nodeModules(join(stage, 'build'))]) {
    execFileSync('strip', ['--strip-unneeded', '--remove-section=.comment', '--remove-section=.note', f], { stdio: 'ignore' });
  }
  stripped = true;
} catch {
  console.warn('bundle: `strip` not available: the Node binary and native modules keep their symbols');
}
for (const lic of [join(dirname(process.execPath), '..', 'share', 'doc', 'nodejs', 'LICENSE'), join(dirname(process.execPath), '..', 'LICENSE')]) {
  if (existsSync(lic)) { copyFileSync(lic, join(stage, 'runtime', 'LICENSE')); break; }
}

const manifest = {
  name: pkg.name,
  version: pkg.version,
  platform: process.platform,
  arch: process.arch,
  node: process.version,
  nodeModulesAbi: process.versions.modules,
  napi: process.versions.napi,
  nativeAddon: hasAddon,
  stripped,
};
writeFileSync(join(stage, 'BUNDLE.json'), `${JSON.stringify(manifest, null, 2)}\n`);

mkdirSync(outDir, { recursive: true });
const tarball = join(outDir, `${name}.tar.gz`);
const epoch = sourceDateEpoch();
run('tar', ['--sort=name', `--mtime=@${epoch}`, '--owner=0', '--group=0', '--numeric-owner', '--mode=go-w',
  '-C', stageRoot, '-cf', `${tarball}.tmp.tar`, name]);
// gzip -n: no name or time in the header, so the same tree gives the same bytes
execFileSync('sh', ['-c', `gzip -9 -n -c "$1" > "$2" && rm -f "$1"`, 'sh', `${tarball}.tmp.tar`, tarball]);
const size = statSync(tarball).size;
console.log(`bundle: ${relative(root, tarball)} ${(size / 1e6).toFixed(1)} MB (node ${process.version} ${process.arch}, addon ${hasAddon ? 'yes' : 'no'})`);
console.log(`bundle: staged tree kept at ${relative(root, stage)} (for package:deb / package:rpm)`);
