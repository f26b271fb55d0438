/**
 * Hang detection for synchronous readers: a worker thread watches a shared "case started at" clock and, when one case
 * runs past the hang budget, prints the case's repro line and kills the process (the stuck main thread cannot).
 */
import { Worker } from 'node:worker_threads';

const WORKER = `
const { workerData } = require('node:worker_threads');
const { writeSync } = require('node:fs');
const state = new Int32Array(workerData.shared);
setInterval(() => {
  if (Atomics.load(state, 0) !== 1) return;
  const started = Atomics.load(state, 2);
  const now = Math.floor(Date.now() / 1000) - workerData.epoch;
  if (now - started < workerData.hangSeconds) return;
  const c = Atomics.load(state, 1);
  const t = workerData.targets[Atomics.load(state, 3)];
  writeSync(2, '\\nFUZZ HANG: target ' + t + ' case ' + c + ' ran over ' + workerData.hangSeconds + ' s; repro: npm run fuzz -- --target ' + t + ' --seed ' + workerData.seed + ' --case ' + c + '\\n');
  process.kill(process.pid, 'SIGKILL');
}, 500); // not unref: the interval is what keeps this worker alive (the main side unrefs the worker)
`;

export class Watchdog {
  private readonly state = new Int32Array(new SharedArrayBuffer(16));
  private readonly epoch = Math.floor(Date.now() / 1000);
  private readonly worker: Worker;

  constructor(targets: readonly string[], seed: number, hangSeconds: number) {
    this.worker = new Worker(WORKER, { eval: true, execArgv: [], workerData: { shared: this.state.buffer, targets, seed, hangSeconds, epoch: this.epoch } });
    this.worker.unref();
  }

  caseStarted(targetIndex: number, caseIndex: number): void {
    Atomics.store(this.state, 3, targetIndex);
    Atomics.store(this.state, 1, caseIndex);
    Atomics.store(this.state, 2, Math.floor(Date.now() / 1000) - this.epoch);
    Atomics.store(this.state, 0, 1);
  }

  caseEnded(): void {
    Atomics.store(this.state, 0, 0);
  }

  async stop(): Promise<void> {
    await this.worker.terminate();
  }
}
