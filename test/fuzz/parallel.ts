/**
 * Runs fuzz targets in child processes, `jobs` at a time: a full run is CPU-bound, one target per core. Each child is
 * this same runner with one target (and its own watchdog and RSS budget); its lines are passed on as they come, and
 * its last line carries its figures for the table.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { TargetResult } from './runner.js';

/** A target's figures as the table needs them (the failures themselves stay in the child's output and artifacts). */
export type TargetSummary = Omit<TargetResult, 'failures'>;

export const RESULT_PREFIX = 'FUZZ-RESULT ';

export function summaryOf(r: TargetResult): TargetSummary {
  const { failures: _kept, ...rest } = r;
  return rest;
}

/** `childArgs(name)`: the runner's arguments for one target. A child that dies without its figures counts one failure. */
export async function runInChildren(script: string, names: readonly string[], childArgs: (name: string) => string[], jobs: number, log: (line: string) => void): Promise<TargetSummary[]> {
  const results = new Map<string, TargetSummary>();
  const queue = [...names];
  const worker = async (): Promise<void> => {
    for (let name = queue.shift(); name !== undefined; name = queue.shift()) results.set(name, await runChild(script, name, childArgs(name), log));
  };
  await Promise.all(Array.from({ length: Math.min(jobs, names.length) }, worker));
  return names.map((n) => results.get(n)!);
}

function runChild(script: string, name: string, args: string[], log: (line: string) => void): Promise<TargetSummary> {
  return new Promise((resolve) => {
    // process.execArgv carries tsx's loader, so the child runs the TypeScript the way this process does
    const child = spawn(process.execPath, [...process.execArgv, script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let summary: TargetSummary | undefined;
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith(RESULT_PREFIX)) summary = JSON.parse(line.slice(RESULT_PREFIX.length)) as TargetSummary;
      else log(line);
    });
    child.on('close', (code, signal) => {
      if (summary) return resolve(summary);
      log(`${name}: the fuzzing process ended without its figures (exit ${code ?? signal}); its output above says why`);
      resolve({ target: name, seeds: 0, cases: 0, seconds: 0, cpuSeconds: 0, failureCount: 1, stalls: 0, peakRssMb: 0, slowestCaseMs: 0 });
    });
  });
}
