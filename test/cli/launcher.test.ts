/**
 * The installed command (package.json `bin`: dist/lib/cli/launcher.cjs), which runs the bundled CLI
 * (dist/cli/diskpredict.cjs) with V8's code cache: the same output and exit status as the ES-module CLI
 * (dist/lib/cli/main.js), the build's cache accepted, and a cache that does not belong to the bundle beside it
 * ignored, never run. Needs `npm run build:ts` (npm test does it), which makes the bundle and its cache.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { stringifyJsonExact } from '../../lib/util/json.js';
import { makeAtaHdd, makeCephDump, makeNvme } from '../fixtures/makeSmartctlFixtures.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const main = join(root, 'dist/lib/cli/main.js');
const launcher = join(root, 'dist/lib/cli/launcher.cjs');
const bundle = join(root, 'dist/cli/diskpredict.cjs');
const built = existsSync(launcher) && existsSync(bundle) && existsSync(`${bundle}.cache`);
const describeBuilt = built ? describe : describe.skip;
const dir = mkdtempSync(join(tmpdir(), 'dp-launcher-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}
function run(script: string, args: string[], env: NodeJS.ProcessEnv = {}, input?: string): Run {
  return spawnSync(process.execPath, [script, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, input, timeout: 60_000 });
}

describeBuilt(`the installed command${built ? '' : ' [skipped: dist/cli/diskpredict.cjs not built — run npm run build:ts]'}`, () => {
  const day = 86_400_000;
  const t0 = Date.UTC(2024, 0, 1);
  const dump = makeCephDump([0, 1, 2].map((i) => [new Date(t0 + i * day), makeAtaHdd({ time: (t0 + i * day) / 1000, reallocated: 8 + 40 * i })] as const));
  const dumpFile = join(dir, 'dump.json');
  writeFileSync(dumpFile, stringifyJsonExact(dump));
  const nvmeFile = join(dir, 'nvme.json');
  writeFileSync(nvmeFile, stringifyJsonExact(makeNvme({ criticalWarning: 4 })));

  for (const native of ['1', '0']) {
    it(`prints what the ES-module command prints (DISKPREDICT_NATIVE=${native})`, () => {
      const env = { DISKPREDICT_NATIVE: native };
      for (const args of [['predict', dumpFile, nvmeFile], ['predict', '--json', dumpFile, nvmeFile], ['predict', join(dir, 'missing.json')], ['--version']]) {
        const a = run(launcher, args, env);
        const b = run(main, args, env);
        expect({ status: a.status, stdout: a.stdout, stderr: a.stderr }, args.join(' ')).toEqual({ status: b.status, stdout: b.stdout, stderr: b.stderr });
      }
      const stdin = stringifyJsonExact(makeAtaHdd());
      expect(run(launcher, ['predict', '-'], env, stdin).stdout).toBe(run(main, ['predict', '-'], env, stdin).stdout);
    });
  }

  it('runs a bundle of ASCII text only (one non-ASCII character made V8 hold and compile it as two-byte text)', () => {
    const bytes = readFileSync(bundle);
    expect(bytes.findIndex((b) => b > 0x7f)).toBe(-1);
  });

  it("uses the build's code cache", () => {
    const r = run(launcher, ['predict', dumpFile], { DISKPREDICT_DEBUG_CODE_CACHE: '1' });
    expect(r.stderr).toContain(': used');
  });

  it('runs the same when V8 refuses the cache (other V8 flags)', () => {
    const r = spawnSync(process.execPath, ['--no-opt', launcher, 'predict', dumpFile], { encoding: 'utf8', env: { ...process.env, DISKPREDICT_DEBUG_CODE_CACHE: '1' } });
    expect(r.stderr).toContain(': rejected by V8');
    expect(r.stdout).toBe(run(main, ['predict', dumpFile]).stdout);
  });

  it('ignores a cache made from another bundle, even of the same length', () => {
    // A copy of the installed layout whose bundle differs from the cached one in one string of the same length:
    // V8 alone would accept the cache (it checks the source's length) and run the old code.
    const pkg = join(dir, 'pkg');
    mkdirSync(pkg);
    copyFileSync(join(root, 'package.json'), join(pkg, 'package.json'));
    symlinkSync(join(root, 'node_modules'), join(pkg, 'node_modules'));
    for (const part of ['lib', 'daemon']) {
      cpSync(join(root, 'dist', part), join(pkg, 'dist', part), { recursive: true, filter: (f) => !f.endsWith('.map') && !f.endsWith('.d.ts') });
    }
    cpSync(join(root, 'dist', 'cli'), join(pkg, 'dist', 'cli'), { recursive: true });
    const text = readFileSync(bundle, 'utf8');
    const from = 'Predict disk failure from S.M.A.R.T. data';
    expect(text).toContain(from);
    writeFileSync(join(pkg, 'dist', 'cli', 'diskpredict.cjs'), text.replace(from, 'PREDICT DISK FAILURE FROM S.M.A.R.T. DATA'));
    const r = run(join(pkg, 'dist', 'lib', 'cli', 'launcher.cjs'), ['--help'], { DISKPREDICT_DEBUG_CODE_CACHE: '1' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('PREDICT DISK FAILURE FROM S.M.A.R.T. DATA');
    expect(r.stderr).toContain(': stale');

    // A damaged cache (V8 itself would crash on it) is refused and the command still runs.
    const cache = join(pkg, 'dist', 'cli', 'diskpredict.cjs.cache');
    writeFileSync(join(pkg, 'dist', 'cli', 'diskpredict.cjs'), text);
    const bytes = readFileSync(cache);
    for (let i = bytes.length - 4096; i < bytes.length; i++) bytes[i] = bytes[i]! ^ 0x5a;
    writeFileSync(cache, bytes);
    const damaged = run(join(pkg, 'dist', 'lib', 'cli', 'launcher.cjs'), ['--version'], { DISKPREDICT_DEBUG_CODE_CACHE: '1' });
    expect(damaged.status, damaged.stderr).toBe(0);
    expect(damaged.stderr).toContain(': damaged');

    // A bundle older than the modules (rebuilt by tsc alone): the modules run.
    writeFileSync(join(pkg, 'dist', 'cli', 'diskpredict.cjs'), text.replace(from, 'PREDICT DISK FAILURE FROM S.M.A.R.T. DATA'));
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(pkg, 'dist', 'lib', 'cli', 'main.js'), later, later);
    const older = run(join(pkg, 'dist', 'lib', 'cli', 'launcher.cjs'), ['--help'], { DISKPREDICT_DEBUG_CODE_CACHE: '1' });
    expect(older.status, older.stderr).toBe(0);
    expect(older.stdout).toContain(from);
    expect(older.stderr).toContain('main.js: not used');

    // No bundle at all (built without esbuild): the ES-module command runs instead.
    rmSync(join(pkg, 'dist', 'cli'), { recursive: true });
    const unbundled = run(join(pkg, 'dist', 'lib', 'cli', 'launcher.cjs'), ['--version'], { DISKPREDICT_DEBUG_CODE_CACHE: '1' });
    expect(unbundled.status, unbundled.stderr).toBe(0);
    expect(unbundled.stdout).toMatch(/^\d+\.\d+\.\d+ \(native addon: off/);
    expect(unbundled.stderr).toContain(': absent');
  });
});
