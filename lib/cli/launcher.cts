#!/usr/bin/env node
/**
 * The `diskpredict` command as installed (package.json `bin`). It runs `dist/cli/diskpredict.cjs`, the
 * command bundled into one CommonJS file at build time (scripts/build-cli-bundle.mjs), compiled with V8's code
 * cache from `dist/cli/diskpredict.cjs.cache`: one file instead of ~70 ES modules to resolve, read and link, and
 * no parsing or compiling of the functions a `predict` run uses (together a quarter of a one-device run's CPU time).
 *
 * The cache only ever saves time. It is used when its header names the bundle's sha256, this Node version and
 * architecture, and V8 accepts it (V8 checks its own version and flags, but of the source only its length: a
 * cache of an edited bundle of the same length would run the old code); otherwise it is ignored. It is written
 * at build time only, never by a run: an installed command does not write beside its code. Without the bundle
 * (a build without esbuild), or with one older than the modules, this runs the ES-module command,
 * dist/lib/cli/main.js, the same code unbundled.
 */
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Script } from 'node:vm';

const bundlePath = join(__dirname, '..', '..', 'cli', 'diskpredict.cjs');
const cachePath = `${bundlePath}.cache`;
/** Set by the build, which runs the command once to fill the cache; a run never writes it otherwise. */
const WRITE_CACHE_ENV = 'DISKPREDICT_WRITE_CODE_CACHE';
/** Says on stderr whether the cache was used (for tests and for anyone wondering why a run is slow). */
const REPORT_ENV = 'DISKPREDICT_DEBUG_CODE_CACHE';

/**
 * The cache file's first line: what it was made from, then the sha256 of the V8 data that follows (V8 checks its
 * version and flags but not the data's integrity: a damaged cache would crash the process, not be refused).
 */
function cacheHeader(sourceSha256: string, dataSha256: string): string {
  return `diskpredict-code-cache 1 ${sourceSha256} ${process.version} ${process.arch} ${dataSha256}\n`;
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** The V8 data of the cache when it was made from exactly this source on this Node and is intact, else why not. */
function validCache(sourceSha256: string): Buffer | string {
  let file: Buffer;
  try {
    file = readFileSync(cachePath);
  } catch {
    return 'absent';
  }
  const newline = file.indexOf(0x0a);
  const header = newline > 0 ? file.subarray(0, newline + 1).toString('latin1') : '';
  const data = file.subarray(newline + 1);
  if (!header.startsWith(cacheHeader(sourceSha256, '').trimEnd())) return 'stale (made from another bundle or Node)';
  if (header !== cacheHeader(sourceSha256, sha256(data))) return 'damaged';
  return data;
}

function runBundle(source: Buffer): void {
  const sourceSha256 = sha256(source);
  const cache = validCache(sourceSha256);
  // The CommonJS wrapper, as Node's own loader compiles a module.
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source.toString('utf8')}\n})`, {
    filename: bundlePath,
    ...(typeof cache !== 'string' && { cachedData: cache }),
  });
  if (process.env[REPORT_ENV] === '1') {
    const status = typeof cache === 'string' ? cache : script.cachedDataRejected === true ? 'rejected by V8' : 'used';
    process.stderr.write(`diskpredict: code cache ${cachePath}: ${status}\n`);
  }
  if (process.env[WRITE_CACHE_ENV] === '1') {
    // At exit the cache holds every function this run compiled, not only the top level.
    process.on('exit', () => {
      const tmp = `${cachePath}.${process.pid}.tmp`;
      const data = script.createCachedData();
      writeFileSync(tmp, Buffer.concat([Buffer.from(cacheHeader(sourceSha256, sha256(data)), 'latin1'), data]));
      renameSync(tmp, cachePath);
    });
  }
  const wrapper = script.runInThisContext() as (exports: object, require: NodeJS.Require, module: object, filename: string, dirname: string) => void;
  const module = { exports: {} };
  wrapper.call(module.exports, module.exports, createRequire(bundlePath), module, bundlePath, dirname(bundlePath));
}

const mainPath = join(__dirname, 'main.js');

/**
 * The bundle, unless there is none or it is older than the modules it is made from: tsc rewrites every module,
 * so a main.js newer than the bundle means the modules were rebuilt without it (`npx tsc` alone), and the
 * modules are what should run.
 */
function currentBundle(): Buffer | string {
  try {
    if (statSync(mainPath).mtimeMs > statSync(bundlePath).mtimeMs) return `older than ${mainPath}: not used`;
    return readFileSync(bundlePath);
  } catch {
    return 'absent';
  }
}

const bundle = currentBundle();
if (typeof bundle !== 'string') runBundle(bundle);
else {
  if (process.env[REPORT_ENV] === '1') process.stderr.write(`diskpredict: bundle ${bundlePath}: ${bundle}\n`);
  void import(pathToFileURL(mainPath).href);
}
