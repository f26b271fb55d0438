#!/usr/bin/env node
/**
 * Builds the optional native addon into build/Release/diskpredict_native.node (the place lib/native/ loads from).
 *
 *   node scripts/build-native.mjs                  npm's install hook: try cmake-js, then node-gyp; never fails
 *   node scripts/build-native.mjs --required       `npm run build:native`: exit 1 when nothing could be built
 *   node scripts/build-native.mjs --via cmake|gyp  use only that builder (CI builds with both)
 *
 * Never downloads anything: cmake-js uses its bundled Node-API headers (package.json "binary.napi_versions"), and
 * node-gyp is pointed at the headers installed beside this node (or npm's `nodedir`). Each builder keeps its own
 * copy (build/cmake/Release/, build/gyp/) so tests can check both against the TypeScript twin.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ADDON = 'diskpredict_native.node';
const INTERFACE_VERSION = 2; // native/addon.cc kInterfaceVersion
const BUILD_TIMEOUT_MS = 10 * 60 * 1000;

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const stablePath = join(root, 'build', 'Release', ADDON);

function parseArgs(argv) {
  const opts = { required: false, via: null, quiet: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--required') opts.required = true;
    else if (arg === '--quiet') opts.quiet = true;
    else if (arg === '--via' || arg.startsWith('--via=')) {
      const value = arg === '--via' ? argv[++i] : arg.slice('--via='.length);
      if (value !== 'cmake' && value !== 'gyp') throw new Error(`--via expects cmake or gyp, got ${value ?? 'nothing'}`);
      opts.via = value;
    } else throw new Error(`unknown argument ${arg}`);
  }
  return opts;
}

function run(command, args, env) {
  const result = spawnSync(command, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
    timeout: BUILD_TIMEOUT_MS,
  });
  if (result.error) return `${command}: ${result.error.message}`;
  if (result.status !== 0) return `${command} exited with ${result.status ?? result.signal}`;
  return null;
}

function onPath(name) {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return null;
}

/** Node's own headers (for node-gyp), so it never fetches a tarball: npm's nodedir, else the prefix of this node. */
function localNodeDir() {
  const candidates = [process.env.npm_config_nodedir, resolve(dirname(process.execPath), '..')];
  return candidates.find((dir) => dir && existsSync(join(dir, 'include', 'node', 'common.gypi'))) ?? null;
}

function buildWithCmakeJs() {
  let cmakeJs;
  try {
    cmakeJs = join(dirname(require.resolve('cmake-js/package.json')), 'bin', 'cmake-js');
  } catch {
    return { error: 'cmake-js is not installed (it is a devDependency)' };
  }
  if (!onPath('cmake')) return { error: 'cmake is not on PATH' };
  const out = join(root, 'build', 'cmake');
  const error = run(process.execPath, [cmakeJs, 'compile', '--directory', root, '--out', out, '--config', 'Release']);
  return error ? { error } : { product: join(out, 'Release', ADDON) };
}

function nodeGypCommand() {
  const execPath = process.env.npm_execpath;
  const bundledCandidates = [
    execPath && join(dirname(execPath), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  const bundled = bundledCandidates.find((p) => p && existsSync(p));
  if (bundled) return [process.execPath, [bundled]];
  const onPathGyp = onPath('node-gyp');
  return onPathGyp ? [onPathGyp, []] : null;
}

function buildWithNodeGyp() {
  const command = nodeGypCommand();
  if (!command) return { error: 'node-gyp not found (neither npm\'s bundled copy nor on PATH)' };
  const nodeDir = localNodeDir();
  if (!nodeDir) return { error: 'no local Node headers (include/node/common.gypi) and downloading is not allowed' };
  // node-gyp links build/Release/<addon> itself: move the current one aside so make relinks rather than keeping
  // another builder's copy (a process that has it mapped keeps its inode), and put it back if the build fails.
  const previous = `${stablePath}.previous`;
  const hadPrevious = existsSync(stablePath);
  if (hadPrevious) renameSync(stablePath, previous);
  const [bin, prefix] = command;
  const error = run(bin, [...prefix, 'configure', 'build', '--release', `--nodedir=${nodeDir}`], {
    npm_config_nodedir: nodeDir,
  });
  if (error || !existsSync(stablePath)) {
    if (hadPrevious) renameSync(previous, stablePath);
    return { error: error ?? `node-gyp produced no ${ADDON}` };
  }
  if (hadPrevious) rmSync(previous, { force: true });
  const keep = join(root, 'build', 'gyp', ADDON);
  mkdirSync(dirname(keep), { recursive: true });
  copyFileSync(stablePath, `${keep}.tmp`);
  renameSync(`${keep}.tmp`, keep);
  return { product: keep };
}

/** Loads the product in this process: a build that does not load or exports the wrong interface is no build. */
function checkLoads(product) {
  try {
    const addon = require(product);
    if (addon.interfaceVersion !== INTERFACE_VERSION) {
      return `interface version ${addon.interfaceVersion}, expected ${INTERFACE_VERSION}`;
    }
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/** Copy-then-rename: other processes may have the previous addon mapped; they keep their inode. */
function install(product) {
  if (resolve(product) === stablePath) return;
  mkdirSync(dirname(stablePath), { recursive: true });
  copyFileSync(product, `${stablePath}.tmp`);
  renameSync(`${stablePath}.tmp`, stablePath);
}

function main(opts) {
  const builders = { cmake: ['cmake-js', buildWithCmakeJs], gyp: ['node-gyp', buildWithNodeGyp] };
  const order = opts.via ? [opts.via] : ['cmake', 'gyp'];
  const failures = [];
  for (const key of order) {
    const [name, build] = builders[key];
    const { product, error } = build();
    const loadError = error ?? checkLoads(product);
    if (loadError) {
      failures.push(`${name}: ${loadError}`);
      continue;
    }
    install(product);
    console.log(`diskpredict: native addon built with ${name} -> ${stablePath}`);
    return 0;
  }
  const note = `diskpredict: native addon not built (${failures.join('; ')}); using the TypeScript implementation`;
  if (opts.required) {
    console.error(note);
    return 1;
  }
  console.log(note);
  return 0;
}

let opts;
try {
  opts = parseArgs(process.argv.slice(2));
} catch (err) {
  console.error(`diskpredict: build-native: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(2);
}
try {
  process.exitCode = main(opts);
} catch (err) {
  // An unexpected failure (e.g. build/ not writable) must not fail an install either.
  const message = `diskpredict: native addon not built (${err instanceof Error ? err.message : String(err)}); using the TypeScript implementation`;
  if (opts.required) console.error(message);
  else console.log(message);
  process.exitCode = opts.required ? 1 : 0;
}
