/**
 * The package as a user gets it: `npm pack`, then installed into a fresh project on a PATH with no
 * compiler, make or python (only node and sh), offline from npm's cache, with better-sqlite3 forced
 * to build from source so it cannot be installed. The library must still read and predict; the
 * daemon must say what it is missing. Also: the tarball's contents (licence, no tests, the sources
 * its source maps name) and a lockfile that `npm install` leaves as it is.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringifyJsonExact } from '../../lib/util/json.js';
import { makeAtaHdd } from '../fixtures/makeSmartctlFixtures.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const npmCli = realpathSync(execFileSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).trim());
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string; license: string };

function npm(args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [npmCli, ...args], { cwd, env, encoding: 'utf8', timeout: 300_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/** The app's lockfile: diskpredict from the tarball, every non-dev package as our own lockfile pins it. */
function appLockfile(tarball: string): object {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, Record<string, unknown>> };
  const self = lock.packages['']!;
  const packages: Record<string, unknown> = {
    '': { name: 'app', version: '1.0.0', dependencies: { diskpredict: `file:${tarball}` } },
    'node_modules/diskpredict': {
      version: pkg.version,
      resolved: `file:${tarball}`,
      hasInstallScript: true,
      license: pkg.license,
      dependencies: self['dependencies'],
      optionalDependencies: self['optionalDependencies'],
      bin: self['bin'],
    },
  };
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path === '' || entry['dev'] === true) continue;
    const { devOptional, ...rest } = entry;
    packages[path] = devOptional === true ? { ...rest, optional: true } : rest;
  }
  return { name: 'app', version: '1.0.0', lockfileVersion: 3, requires: true, packages };
}

const distBuilt = existsSync(join(root, 'dist', 'lib', 'index.js'));
const describeBuilt = distBuilt ? describe : describe.skip;

describeBuilt(`the packed package${distBuilt ? '' : ' [skipped: dist/ not built — run npm run build:ts]'}`, () => {
  let work = '';
  let tarball = '';
  let unpacked = '';

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'diskpredict-pack-'));
    const packed = npm(['pack', '--ignore-scripts', '--pack-destination', work], root);
    expect(packed.status, packed.out).toBe(0);
    tarball = join(work, `diskpredict-${pkg.version}.tgz`);
    unpacked = join(work, 'unpacked');
    execFileSync('mkdir', ['-p', unpacked]);
    execFileSync('tar', ['xzf', tarball, '-C', unpacked]);
  }, 120_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('carries the LGPL 2.1 text its package.json names, and no tests', () => {
    expect(pkg.license).toBe('LGPL-2.1-or-later');
    const license = readFileSync(join(unpacked, 'package', 'LICENSE'), 'utf8');
    expect(license).toMatch(/GNU LESSER GENERAL PUBLIC LICENSE\s+Version 2\.1, February 1999/);
    const files = (readdirSync(unpacked, { recursive: true }) as string[]).map((f) => f.replace(/^package\//, ''));
    expect(files.filter((f) => /(^|\/)(tests?|bench)(\/|$)|\.test\.[jt]s$/.test(f))).toEqual([]);
  });

  it('carries every source its source maps name', () => {
    const missing: string[] = [];
    const maps = (readdirSync(join(unpacked, 'package', 'dist'), { recursive: true }) as string[]).filter((f) => f.endsWith('.js.map'));
    expect(maps.length).toBeGreaterThan(50);
    for (const map of maps) {
      const path = join(unpacked, 'package', 'dist', map);
      const { sources } = JSON.parse(readFileSync(path, 'utf8')) as { sources: string[] };
      for (const s of sources) if (!existsSync(resolve(dirname(path), s))) missing.push(`${map} → ${s}`);
    }
    expect(missing).toEqual([]);
  });

  it('installs without a compiler or the network, and the README library example runs; the daemon names what it lacks', () => {
    const app = join(work, 'app');
    const bin = join(work, 'bin');
    execFileSync('mkdir', ['-p', app, bin]);
    // Only node and sh: no c++, make, cmake or python for better-sqlite3, msgpackr-extract or our addon.
    symlinkSync(process.execPath, join(bin, 'node'));
    symlinkSync('/bin/sh', join(bin, 'sh'));
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', type: 'module', private: true, dependencies: { diskpredict: `file:${tarball}` } }));
    writeFileSync(join(app, 'package-lock.json'), JSON.stringify(appLockfile(tarball), null, 2));
    // A fresh user's environment: not the suite's DISKPREDICT_NATIVE=0 run (the addon is absent here anyway).
    const { DISKPREDICT_NATIVE: _native, ...inherited } = process.env;
    const env = { ...inherited, PATH: bin, npm_config_build_from_source: 'true' };
    const installed = npm(['ci', '--offline', '--no-audit', '--no-fund', '--foreground-scripts'], app, env);
    expect(installed.status, installed.out).toBe(0);
    expect(existsSync(join(app, 'node_modules', 'better-sqlite3')), 'better-sqlite3 cannot have built here').toBe(false);

    const dump = join(work, 'dump.json');
    writeFileSync(dump, stringifyJsonExact(makeAtaHdd({ reallocated: 0 })));
    // The README's example, as a user's module.
    writeFileSync(
      join(app, 'example.mjs'),
      `import { readSmartFile, createPredictor, predict } from 'diskpredict';
const { histories } = await readSmartFile(process.argv[2], { format: 'auto' });
const prediction = predict(histories[0]);
const rules = createPredictor('rules').predict(histories[0]);
console.log(JSON.stringify({ status: prediction.status, model: prediction.model.name, rules: rules.model.name }));
`,
    );
    const ran = spawnSync(process.execPath, ['example.mjs', dump], { cwd: app, env, encoding: 'utf8' });
    expect(ran.status, ran.stderr).toBe(0);
    const result = JSON.parse(ran.stdout) as { status: string; model: string; rules: string };
    expect(['Good', 'Warning', 'Bad']).toContain(result.status);
    expect(result.model).toBe('default');

    const cli = join(app, 'node_modules', '.bin', 'diskpredict');
    const version = spawnSync(cli, ['--version'], { cwd: app, env, encoding: 'utf8' });
    expect(version.status).toBe(0);
    expect(version.stdout).toMatch(/npm rebuild diskpredict/);
    expect(version.stdout).not.toMatch(/build:native/);
    const daemon = spawnSync(cli, ['daemon', '--socket', join(work, 'd.sock'), '--db', join(work, 'd.db')], { cwd: app, env, encoding: 'utf8', timeout: 30_000 });
    expect(daemon.status).toBe(1);
    expect(daemon.stderr.trim().split('\n')).toHaveLength(1);
    expect(daemon.stderr).toMatch(/^diskpredict daemon: the daemon needs better-sqlite3, an optional dependency/);
  }, 300_000);
});

describe('package-lock.json', () => {
  it('is what npm install writes for package.json (a clean clone stays clean)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'diskpredict-lock-'));
    try {
      for (const f of ['package.json', 'package-lock.json']) cpSync(join(root, f), join(dir, f));
      const r = npm(['install', '--package-lock-only', '--offline', '--ignore-scripts', '--no-audit', '--no-fund'], dir);
      expect(r.status, r.out).toBe(0);
      expect(readFileSync(join(dir, 'package-lock.json'), 'utf8')).toBe(readFileSync(join(root, 'package-lock.json'), 'utf8'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
