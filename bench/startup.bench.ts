/**
 * Whole-process figures of the `diskpredict` command, the way cron jobs, Ceph helpers and people run
 * it: one device with the default model, the 323 golden devices with the default model, and the
 * same devices with `--model prophetstor`. Each command runs paired with its baseline in the same
 * run (A B A B …, after one warm-up of each), and the figure is the median over the pairs:
 * - Node's bare start-up (`node -e 0`) for the default-model figures;
 * - Ceph's Python path (bench/cephPython.py: real scikit-learn on Ceph's pickles) for ProphetStor,
 *   where a python3 with scikit-learn is found (Debian: python3-sklearn); skipped otherwise;
 * - with `--baseline DIR` (a built checkout of an earlier commit, e.g. from `git worktree add`),
 *   that checkout's CLI on the same command, as "before".
 * The command is the one package.json's `bin` names (the launcher of the bundled CLI).
 * Times: wall clock, and CPU (user + sys, from bash's `times`) — on a shared machine CPU time is
 * the steadier of the two, and the targets are judged on it.
 *
 *   npm run build:ts && npx tsx bench/startup.bench.ts [--runs 5] [--baseline DIR]
 *
 * Targets (issue #19): one device ≤ 2× Node's bare start-up; 323 devices ≤ 0.4 s; ProphetStor
 * ≥ 10× faster than the Python path. Needs ../shared/data (skips without it).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const data = process.env['DISKPREDICT_SHARED'] ? join(process.env['DISKPREDICT_SHARED'], 'data') : resolve(root, '..', 'shared', 'data');
const goldenCases = join(data, 'golden', 'cases');
const cephModels = join(data, 'ceph-models');
const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const RUNS = Number(arg('--runs') ?? 5);
const baselineDir = arg('--baseline');
const BASH = ['/bin/bash', '/usr/bin/bash'].find((p) => existsSync(p));

interface Run {
  wall: number;
  /** user + sys seconds of the process and its children, when bash is there */
  cpu: number | undefined;
}

/** bash's `times` prints the children's user and sys time to the millisecond (/usr/bin/time: 10 ms). */
function runOnce(cmd: readonly string[]): Run {
  const argv = BASH ? [BASH, '-c', '"$@" >/dev/null 2>&1; s=$?; times >&2; exit $s', 'bash', ...cmd] : [...cmd];
  const start = process.hrtime.bigint();
  const run = spawnSync(argv[0]!, argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  if (run.error) throw run.error;
  // predict exits 2 when a device is Bad and 1 when a file was skipped: both are normal here
  if (run.status !== null && run.status > 2) throw new Error(`${cmd.join(' ')} exited with ${run.status}`);
  let cpu: number | undefined;
  if (BASH) {
    // second line: the children's "user sys", as 0m0.123s
    const seconds = (t: string): number => {
      const m = /^(\d+)m([\d.]+)s$/.exec(t);
      if (!m) throw new Error(`unexpected output of times: ${run.stderr}`);
      return Number(m[1]) * 60 + Number(m[2]);
    };
    const [user, sys] = run.stderr.trim().split('\n').pop()!.trim().split(/\s+/);
    cpu = seconds(user!) + seconds(sys!);
  }
  return { wall, cpu };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

interface Paired {
  a: { wall: number; cpu: number | undefined };
  b: { wall: number; cpu: number | undefined };
  /** medians of the per-pair ratios A/B */
  wallRatio: number;
  cpuRatio: number | undefined;
}

/** A and B in turn, one warm-up each, then RUNS pairs. */
function paired(a: readonly string[], b: readonly string[]): Paired {
  runOnce(a);
  runOnce(b);
  const as: Run[] = [];
  const bs: Run[] = [];
  for (let i = 0; i < RUNS; i++) {
    as.push(runOnce(a));
    bs.push(runOnce(b));
  }
  const cpuOf = (rs: Run[]): number | undefined => (rs[0]!.cpu === undefined ? undefined : median(rs.map((r) => r.cpu!)));
  return {
    a: { wall: median(as.map((r) => r.wall)), cpu: cpuOf(as) },
    b: { wall: median(bs.map((r) => r.wall)), cpu: cpuOf(bs) },
    wallRatio: median(as.map((r, i) => r.wall / bs[i]!.wall)),
    cpuRatio: as[0]!.cpu === undefined ? undefined : median(as.map((r, i) => r.cpu! / bs[i]!.cpu!)),
  };
}

const s = (x: number): string => `${x.toFixed(3)} s`;
const cpuText = (x: number | undefined): string => (x === undefined ? '' : `, cpu ${s(x)}`);
/**
 * Targets are judged on CPU time when it is measured (wall time on a loaded machine includes waiting for a core),
 * and on wall time too: CPU time counts V8's helper threads (compiler, GC), which a wall-clock target does not.
 */
const verdict = (cpuMet: boolean | undefined, wallMet: boolean): string =>
  `${cpuMet === undefined ? '' : `cpu ${cpuMet ? 'met' : 'NOT met'}, `}wall ${wallMet ? 'met' : 'NOT met'}`;
const loadText = (): string => loadavg().map((l) => l.toFixed(2)).join(' ');
const ratioText = (p: Paired): string => `A/B wall ${p.wallRatio.toFixed(2)}${p.cpuRatio === undefined ? '' : `, cpu ${p.cpuRatio.toFixed(2)}`}`;

/** A python3 that can import scikit-learn, if any. */
function pythonWithSklearn(): string | undefined {
  for (const py of [process.env['BENCH_PYTHON'], 'python3', '/usr/bin/python3']) {
    if (!py) continue;
    const r = spawnSync(py, ['-c', 'import sklearn, numpy'], { stdio: 'ignore' });
    if (r.status === 0) return py;
  }
  return undefined;
}

/** The command as installed: package.json's `bin` (the launcher of the bundled CLI; in older checkouts main.js). */
function installedCommand(dir: string): string {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { bin: Record<string, string> };
  return join(dir, pkg.bin['diskpredict']!);
}

function main(): void {
  process.on('exit', () => process.stdout.write(`load average at the end: ${loadText()}\n`));
  const cli = installedCommand(root);
  if (!existsSync(cli)) throw new Error(`${cli} missing: run npm run build:ts first (the bench times the built CLI, as installed)`);
  if (!existsSync(goldenCases)) {
    process.stdout.write(`startup bench skipped: ${goldenCases} not found (needs the shared data beside the project)\n`);
    return;
  }
  const oneDevice = join(data, 'smartctl', readdirSync(join(data, 'smartctl')).filter((f) => f.startsWith('ata_hdd__') && f.endsWith('.json')).sort()[0]!);
  const node = process.execPath;
  const bare = [node, '-e', '0'];
  const ours = (...args: string[]): string[] => [node, cli, 'predict', ...args];
  const before = baselineDir ? (...args: string[]): string[] => [node, installedCommand(resolve(baselineDir)), 'predict', ...args] : undefined;
  process.stdout.write(
    `startup bench — node ${process.version}, load average ${loadText()}, ${RUNS} pairs, medians` +
      `${BASH ? '' : ' (no bash: wall clock only)'}\n`,
  );

  const one = paired(ours(oneDevice), bare);
  process.stdout.write(
    `one device, default model: ${s(one.a.wall)}${cpuText(one.a.cpu)}; node -e 0: ${s(one.b.wall)}${cpuText(one.b.cpu)}; ${ratioText(one)}` +
      `  [target ≤ 2× node: ${verdict(one.cpuRatio === undefined ? undefined : one.cpuRatio <= 2, one.wallRatio <= 2)}]\n`,
  );
  const many = paired(ours(goldenCases), bare);
  process.stdout.write(
    `323 golden devices, default model: ${s(many.a.wall)}${cpuText(many.a.cpu)}; node -e 0: ${s(many.b.wall)}; ${ratioText(many)}` +
      `  [target ≤ 0.4 s: ${verdict(many.a.cpu === undefined ? undefined : many.a.cpu <= 0.4, many.a.wall <= 0.4)}]\n`,
  );
  if (before) {
    for (const [name, args] of [
      ['one device', [oneDevice]],
      ['323 golden devices', [goldenCases]],
    ] as const) {
      const p = paired(ours(...args), before(...args));
      process.stdout.write(`  ${name} vs --baseline ${baselineDir}: ${s(p.a.wall)} vs ${s(p.b.wall)}; ${ratioText(p)}\n`);
    }
  }

  if (!existsSync(join(cephModels, 'prophetstor', 'config.json'))) {
    process.stdout.write(`ProphetStor figures skipped: ${cephModels} not found\n`);
    return;
  }
  // Parsed pickles are cached per user (lib/models/ceph/pickleCache.ts): here in a cache of the bench's own, which
  // each pairing's warm-up run fills, so the figures are of every run after a user's first.
  const cacheDir = mkdtempSync(join(tmpdir(), 'diskpredict-bench-cache-'));
  process.env['DISKPREDICT_CACHE_DIR'] = cacheDir;
  process.on('exit', () => rmSync(cacheDir, { recursive: true, force: true }));
  process.stdout.write(`ProphetStor: parsed-pickle cache in ${cacheDir}, filled by the warm-up run\n`);
  const ps = ours('--model', 'prophetstor', '--ceph-model-dir', cephModels, goldenCases);
  const python = pythonWithSklearn();
  if (python === undefined) {
    process.stdout.write('ProphetStor vs Python skipped: no python3 with scikit-learn and numpy (Debian: apt-get install python3-sklearn)\n');
  } else {
    const script = join(root, 'bench', 'cephPython.py');
    for (const [name, extra] of [
      ["Ceph's Python path (pickles loaded per device, as upstream)", []],
      ['Python, each pickle loaded once', ['--load-once']],
    ] as const) {
      const p = paired(ps, [python, script, cephModels, goldenCases, ...extra]);
      const faster = (r: number | undefined): string => (r === undefined ? '' : `${(1 / r).toFixed(1)}×`);
      process.stdout.write(
        `323 golden devices, --model prophetstor (Ceph's pickles): ${s(p.a.wall)}${cpuText(p.a.cpu)}; ${name}: ${s(p.b.wall)}${cpuText(p.b.cpu)};` +
          ` faster by ${faster(p.wallRatio)} wall${p.cpuRatio === undefined ? '' : `, ${faster(p.cpuRatio)} cpu`}` +
          `  [target ≥ 10×: ${verdict(p.cpuRatio === undefined ? undefined : 1 / p.cpuRatio >= 10, 1 / p.wallRatio >= 10)}]\n`,
      );
    }
  }
  if (before) {
    // The baseline gets a cache of its own: a build with another cache format would rewrite the entry every run
    // (the `env` in front costs its runs about a millisecond).
    const baselineCache = mkdtempSync(join(tmpdir(), 'diskpredict-bench-cache-baseline-'));
    process.on('exit', () => rmSync(baselineCache, { recursive: true, force: true }));
    const p = paired(ps, ['env', `DISKPREDICT_CACHE_DIR=${baselineCache}`, ...before('--model', 'prophetstor', '--ceph-model-dir', cephModels, goldenCases)]);
    process.stdout.write(`  prophetstor vs --baseline ${baselineDir}: ${s(p.a.wall)} vs ${s(p.b.wall)}; ${ratioText(p)}\n`);
  }
}

main();
