/**
 * `npm run fuzz`: every target (or --target a,b) for up to --cases cases or --seconds seconds each, whichever ends
 * first; prints the seed first so a run reproduces, and per target: cases, cases/s, failures, peak RSS.
 *
 *   npm run fuzz -- [--seed N] [--target X[,Y]] [--cases N] [--seconds S] [--jobs J] [--case I] [--input FILE]
 *
 * --jobs J runs J targets at once, each in its own process (default: one per core); --case I replays case I alone
 * (with its full stack); --input FILE feeds an artifact in place of case I's input.
 * Exit status 1 when any target failed.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { projectRoot } from '../helpers/sharedPaths.js';
import { RESULT_PREFIX, runInChildren, summaryOf, type TargetSummary } from './parallel.js';
import { runTarget } from './runner.js';
import { TARGETS } from './targets/index.js';
import { Watchdog } from './watchdog.js';

function parseArgs(argv: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) throw new Error(`unexpected argument ${a}`);
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new Error(`${a} needs a value`);
    out.set(a.slice(2), v);
    i++;
  }
  return out;
}

function int(args: Map<string, string>, name: string, fallback: number): number {
  const v = args.get(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer, got ${v}`);
  return n;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  for (const k of args.keys()) if (!['seed', 'target', 'cases', 'seconds', 'jobs', 'case', 'input', 'case-budget-ms', 'max-rss-mb', 'child'].includes(k)) throw new Error(`unknown option --${k}`);
  const seed = int(args, 'seed', Date.now() % 0x7fffffff);
  const names = args.get('target')?.split(',') ?? TARGETS.map((t) => t.name);
  const targets = names.map((n) => TARGETS.find((t) => t.name === n) ?? fail(`unknown target ${n} (targets: ${TARGETS.map((t) => t.name).join(', ')})`));
  const single = args.has('case');
  const cases = single ? 1 : int(args, 'cases', 1_000_000);
  const seconds = int(args, 'seconds', 900);
  const input = args.has('input') ? new Uint8Array(readFileSync(args.get('input')!)) : undefined;
  const caseBudgetMs = int(args, 'case-budget-ms', 2000);
  const maxRssMb = int(args, 'max-rss-mb', 1536);
  const jobs = single ? 1 : Math.max(1, int(args, 'jobs', availableParallelism()));
  const child = args.has('child');
  if (!child) console.log(`fuzz: seed ${seed}; up to ${cases} cases or ${seconds} s per target, ${Math.min(jobs, targets.length)} at a time; case budget ${caseBudgetMs} ms, hang at 30 s, RSS budget ${maxRssMb} MB`);
  if (jobs > 1 && targets.length > 1) {
    const common = ['--seed', seed, '--cases', cases, '--seconds', seconds, '--case-budget-ms', caseBudgetMs, '--max-rss-mb', maxRssMb, '--child', 1].map(String);
    return report(await runInChildren(fileURLToPath(import.meta.url), names, (name) => ['--target', name, ...common], jobs, (l) => console.log(l)), seed);
  }
  const dog = new Watchdog(targets.map((t) => t.name), seed, 30);
  const results: TargetSummary[] = [];
  for (const [targetIndex, target] of targets.entries()) {
    const r = await runTarget(target, {
      seed, cases, seconds, caseBudgetMs, maxRssMb,
      ...(single && { firstCase: int(args, 'case', 0) }),
      ...(input && { input }),
      artifactsDir: join(projectRoot, 'artifacts', 'fuzz'),
      watchdog: { dog, targetIndex },
      log: (l) => console.log(l),
    });
    results.push(summaryOf(r));
    if (single) for (const f of r.failures) console.log(f.error instanceof Error ? f.error.stack : String(f.error ?? f.message));
    console.log(summaryLine(r));
    if (child) console.log(RESULT_PREFIX + JSON.stringify(summaryOf(r)));
  }
  await dog.stop();
  if (child) return results.some((r) => r.failureCount > 0) ? 1 : 0;
  return report(results, seed);
}

function report(results: TargetSummary[], seed: number): number {
  console.log('\ntarget       seeds      cases   cases/s  cases/CPU-s  failures  peak RSS MB  slowest case ms');
  for (const r of results) {
    if (r.skipped) console.log(`${r.target.padEnd(12)} skipped: ${r.skipped}`);
    else console.log(`${r.target.padEnd(12)} ${String(r.seeds).padStart(5)} ${String(r.cases).padStart(10)} ${rate(r).padStart(9)} ${(r.cpuSeconds > 0 ? (r.cases / r.cpuSeconds).toFixed(0) : '-').padStart(12)} ${String(r.failureCount).padStart(9)} ${r.peakRssMb.toFixed(0).padStart(12)} ${r.slowestCaseMs.toFixed(0).padStart(16)}`);
  }
  console.log(`seed ${seed}`);
  return results.some((r) => r.failureCount > 0) ? 1 : 0;
}

function rate(r: TargetSummary): string {
  return r.seconds > 0 ? (r.cases / r.seconds).toFixed(0) : '-';
}

function summaryLine(r: TargetSummary): string {
  if (r.skipped) return `${r.target}: skipped — ${r.skipped}`;
  return `${r.target}: ${r.cases} cases in ${r.seconds.toFixed(1)} s (${rate(r)}/s, CPU ${r.cpuSeconds.toFixed(1)} s), ${r.failureCount} failures, ${r.stalls} stalls, peak RSS ${r.peakRssMb.toFixed(0)} MB`;
}

function fail(message: string): never {
  throw new Error(message);
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`fuzz: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(2);
  },
);
