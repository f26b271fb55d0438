#!/usr/bin/env node
/**
 * Part of `npm run build:ts`, after tsc: bundles the command (dist/lib/cli/main.js and everything it imports,
 * commander included) into one CommonJS file, dist/cli/diskpredict.cjs, then runs it once on a small
 * devicehealth dump through the launcher (dist/lib/cli/launcher.cjs) to write V8's code cache beside it
 * (dist/cli/diskpredict.cjs.cache). Why: docs/startup.md. msgpackr and better-sqlite3 stay outside the
 * bundle (each has an optional native part Node loads from node_modules).
 *
 * Without esbuild (a devDependency) this says so and does nothing: the launcher then runs dist/lib/cli/main.js.
 *
 *   node scripts/build-cli-bundle.mjs
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'dist', 'lib', 'cli', 'main.js');
const launcher = join(root, 'dist', 'lib', 'cli', 'launcher.cjs');
const out = join(root, 'dist', 'cli', 'diskpredict.cjs');
const cache = `${out}.cache`;

if (!existsSync(entry) || !existsSync(launcher)) {
  console.error('build-cli-bundle: dist/ is not built; run tsc first (npm run build:ts does both)');
  process.exit(1);
}
let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  console.warn('build-cli-bundle: esbuild is not installed; the command runs unbundled (dist/lib/cli/main.js)');
  rmSync(out, { force: true });
  rmSync(cache, { force: true });
  process.exit(0);
}

mkdirSync(dirname(out), { recursive: true });
rmSync(out, { force: true });
rmSync(cache, { force: true });
/**
 * commander into the bundle too: lib/cli/commander.ts loads it with createRequire (see there), which esbuild cannot
 * follow, so here that call becomes a plain require().
 */
const commanderPlugin = {
  name: 'commander',
  setup(build) {
    build.onLoad({ filter: /[\\/]dist[\\/]lib[\\/]cli[\\/]commander\.js$/ }, async (args) => {
      const { readFile } = await import('node:fs/promises');
      const text = await readFile(args.path, 'utf8');
      const call = "createRequire(import.meta.url)('commander')";
      if (!text.includes(call)) throw new Error(`build-cli-bundle: ${args.path} no longer loads commander with ${call}`);
      return { contents: text.replace(call, "require('commander')"), loader: 'js' };
    });
  },
};

/**
 * Built-in modules loaded when first used, not when the bundle starts (where every static import of every bundled
 * module runs): child_process (commander's, for executable subcommands, which this command has none of) pulls in
 * net, dgram and the streams; fs/promises, readline and the streams — neither is used by a predict run of JSON
 * files. Each export becomes a getter that requires the module.
 */
const LAZY_BUILTINS = ['node:child_process', 'node:fs/promises'];
const { createRequire } = await import('node:module');
const requireHere = createRequire(import.meta.url);
const lazyBuiltinsPlugin = {
  name: 'lazy-builtins',
  setup(build) {
    build.onResolve({ filter: /^node:(child_process|fs\/promises)$/ }, (args) =>
      // the getters' own require is of the real module
      args.namespace === 'lazy-builtin' ? { path: args.path, external: true } : { path: args.path, namespace: 'lazy-builtin' },
    );
    build.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => {
      if (!LAZY_BUILTINS.includes(args.path)) throw new Error(`build-cli-bundle: ${args.path} is not a lazy built-in`);
      const names = Object.keys(requireHere(args.path)).filter((n) => n !== 'default');
      return {
        contents: `const load = () => require(${JSON.stringify(args.path)});
for (const name of ${JSON.stringify(names)}) Object.defineProperty(exports, name, { enumerable: true, get: () => load()[name] });
Object.defineProperty(exports, 'default', { enumerable: true, get: load });`,
        loader: 'js',
      };
    });
  },
};

const built = await esbuild.build({
  plugins: [commanderPlugin, lazyBuiltinsPlugin],
  write: false,
  entryPoints: [entry],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: `node${process.versions.node.split('.')[0]}`,
  outfile: out,
  external: ['msgpackr', 'better-sqlite3'],
  // import.meta.url (package root, createRequire) becomes the bundle's own file URL
  define: { 'import.meta.url': '__bundleFileUrl' },
  banner: { js: 'var __bundleFileUrl = require("node:url").pathToFileURL(__filename).href;' },
  // import() of a built-in (node:zlib) becomes require(): the launcher's vm.Script has no module loader
  supported: { 'dynamic-import': false },
  logLevel: 'warning',
  legalComments: 'none',
});
// The launcher compiles the bundle inside a function wrapper, where a #! line is a syntax error. esbuild escapes
// non-ASCII characters in code but not in the comments it keeps; one such character made the whole source a
// two-byte string (twice the memory, slower to decode and compile), so they are escaped too (inert in comments).
const text = built.outputFiles[0].text
  .replace(/^#![^\n]*\n/, '')
  .replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
if (/\bimport\(/.test(text)) throw new Error('build-cli-bundle: the bundle still has an import(), which the launcher cannot run');
writeFileSync(out, text);

// Fill the code cache with what a predict run compiles: a devicehealth dump of one ATA drive over three days.
const day = (time_t, hours) => ({
  smartctl: { version: [7, 4], exit_status: 0 },
  device: { name: '/dev/sdx', type: 'sat', protocol: 'ATA' },
  model_name: 'ST4000DM000-1F2168',
  serial_number: 'CODECACHE1',
  smart_status: { passed: true },
  local_time: { time_t },
  ata_smart_attributes: {
    table: [
      [1, 'Raw_Read_Error_Rate', 117, 99, 6, 120_000_000],
      [5, 'Reallocated_Sector_Ct', 100, 100, 10, 0],
      [9, 'Power_On_Hours', 80, 80, 0, hours],
      [187, 'Reported_Uncorrect', 100, 100, 0, 0],
      [194, 'Temperature_Celsius', 30, 40, 0, 30],
      [197, 'Current_Pending_Sector', 100, 100, 0, 0],
    ].map(([id, name, value, worst, thresh, raw]) => ({ id, name, value, worst, thresh, when_failed: '', raw: { value: raw, string: String(raw) } })),
  },
  power_on_time: { hours },
  temperature: { current: 30 },
});
const dump = { '20240101-000000': day(1704067200, 18000), '20240102-000000': day(1704153600, 18024), '20240103-000000': day(1704240000, 18048) };
const run = spawnSync(process.execPath, [launcher, 'predict', '--json', '-'], {
  input: JSON.stringify(dump),
  env: { ...process.env, DISKPREDICT_WRITE_CODE_CACHE: '1' },
  encoding: 'utf8',
});
if (run.status !== 0 || !existsSync(cache)) {
  throw new Error(`build-cli-bundle: the run that fills the code cache failed (status ${run.status}): ${run.stderr}`);
}
console.log(`build-cli-bundle: ${out} and its code cache`);
