/**
 * Runs one fuzz target for a number of cases or seconds, whichever ends first. Oracle: any exception other than the
 * target's typed errors, a broken promise (OracleError), a case over the time budget, or process RSS over the memory
 * budget is a failure; its input is written to artifacts/fuzz/<target>-<seed>-<case>.bin with a one-line repro.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { caseRng } from './prng.js';
import type { FuzzTarget, PreparedTarget } from './target.js';
import type { Watchdog } from './watchdog.js';

export interface RunOptions {
  seed: number;
  /** first case index (a single case is replayed with firstCase = I, cases = 1) */
  firstCase?: number;
  cases: number;
  seconds: number;
  /** a case slower than this is a failure */
  caseBudgetMs: number;
  /** process RSS above this is a failure (and stops the target) */
  maxRssMb: number;
  /** where failing inputs go; undefined: not written */
  artifactsDir?: string;
  /** replaces the generated input (replaying an artifact) */
  input?: Uint8Array;
  watchdog?: { dog: Watchdog; targetIndex: number };
  log?: (line: string) => void;
}

export interface Failure {
  caseIndex: number;
  kind: 'exception' | 'oracle' | 'slow' | 'memory';
  message: string;
  artifact?: string;
  error?: unknown;
}

export interface TargetResult {
  target: string;
  skipped?: string;
  seeds: number;
  cases: number;
  seconds: number;
  /** CPU time of the process over the run (user + system): cases per CPU second does not depend on the machine's load */
  cpuSeconds: number;
  failures: Failure[];
  /** every failure, also those beyond the ones kept */
  failureCount: number;
  /** cases over the time budget once but not when run again (the machine stalled) */
  stalls: number;
  peakRssMb: number;
  slowestCaseMs: number;
}

const KEPT_FAILURES = 50;

export function reproLine(target: string, seed: number, caseIndex: number): string {
  return `npm run fuzz -- --target ${target} --seed ${seed} --case ${caseIndex}`;
}

function describeError(err: unknown): string {
  if (!(err instanceof Error)) return `non-Error thrown: ${String(err)}`;
  const frame = err.stack?.split('\n').find((l) => l.trim().startsWith('at '))?.trim() ?? '';
  return `${err.name}: ${err.message.split('\n')[0]!.slice(0, 200)} ${frame}`;
}

export async function runTarget(target: FuzzTarget, o: RunOptions): Promise<TargetResult> {
  const prepared = target.prepare();
  const rssMb = (): number => process.memoryUsage.rss() / 1048576;
  let peakRssMb = rssMb();
  if (typeof prepared === 'string') {
    return { target: target.name, skipped: prepared, seeds: 0, cases: 0, seconds: 0, cpuSeconds: 0, failures: [], failureCount: 0, stalls: 0, peakRssMb, slowestCaseMs: 0 };
  }
  const failures: Failure[] = [];
  let failureCount = 0;
  let slowestCaseMs = 0;
  let stalls = 0;
  const first = o.firstCase ?? 0;
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  const deadline = started + o.seconds * 1000;
  let done = 0;

  const fail = (caseIndex: number, input: Uint8Array, kind: Failure['kind'], message: string, error?: unknown): void => {
    failureCount++;
    if (failures.length >= KEPT_FAILURES) return;
    let artifact: string | undefined;
    if (o.artifactsDir !== undefined) {
      mkdirSync(o.artifactsDir, { recursive: true });
      artifact = join(o.artifactsDir, `${target.name}-${o.seed}-${caseIndex}.bin`);
      writeFileSync(artifact, input);
    }
    failures.push({ caseIndex, kind, message, ...(artifact !== undefined && { artifact }), error });
    o.log?.(`FAIL ${target.name} case ${caseIndex} [${kind}] ${message}\n  repro: ${reproLine(target.name, o.seed, caseIndex)}${artifact ? `  (input: ${artifact})` : ''}`);
  };

  for (let i = first; i < first + o.cases; i++) {
    if ((done & 63) === 0 && done > 0 && performance.now() > deadline) break;
    const rng = caseRng(o.seed, i);
    const generated = prepared.generate(rng);
    const input = o.input ?? generated;
    o.watchdog?.dog.caseStarted(o.watchdog.targetIndex, i);
    const t0 = performance.now();
    try {
      const r = prepared.run(input, rng);
      if (r !== undefined) await r;
    } catch (err) {
      if (!prepared.expected(err)) fail(i, input, err instanceof Error && err.name === 'OracleError' ? 'oracle' : 'exception', describeError(err), err);
    }
    const ms = performance.now() - t0;
    o.watchdog?.dog.caseEnded();
    if (ms > slowestCaseMs) slowestCaseMs = ms;
    if (ms > o.caseBudgetMs) {
      // Wall time: on a loaded machine a case can be descheduled for seconds. Only a case slow twice is a failure.
      const again = await timeCase(prepared, o, i);
      if (again > o.caseBudgetMs) fail(i, input, 'slow', `took ${ms.toFixed(0)} ms, then ${again.toFixed(0)} ms again (budget ${o.caseBudgetMs} ms)`);
      else {
        stalls++;
        o.log?.(`note: ${target.name} case ${i} took ${ms.toFixed(0)} ms once, ${again.toFixed(0)} ms when run again (a stall of the machine, not counted)`);
      }
    }
    done++;
    if ((done & 255) === 0 || o.cases === 1) {
      const rss = rssMb();
      if (rss > peakRssMb) peakRssMb = rss;
      if (rss > o.maxRssMb) {
        fail(i, input, 'memory', `process RSS ${rss.toFixed(0)} MB over ${o.maxRssMb} MB (within the last 256 cases)`);
        break;
      }
    }
  }
  peakRssMb = Math.max(peakRssMb, rssMb());
  const cpu = process.cpuUsage(cpuStart);
  return {
    target: target.name, seeds: prepared.seedCount, cases: done, seconds: (performance.now() - started) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6, failures, failureCount, stalls, peakRssMb, slowestCaseMs,
  };
}

/** Runs case i again from scratch (same input, same chunking); its time in ms, whatever it throws. */
async function timeCase(prepared: PreparedTarget, o: RunOptions, i: number): Promise<number> {
  const rng = caseRng(o.seed, i);
  const generated = prepared.generate(rng);
  const input = o.input ?? generated;
  const t0 = performance.now();
  try {
    const r = prepared.run(input, rng);
    if (r !== undefined) await r;
  } catch {
    // its outcome was judged on the first run
  }
  return performance.now() - t0;
}
