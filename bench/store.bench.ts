/**
 * How long the daemon's batched prediction writes hold the event loop, by batch interval. The daemon queues each
 * prediction and commits the queue on a timer (daemon/daemon.ts, PREDICTION_FLUSH_MS). Every commit rewrites
 * about one predictions_devid index page per device in the batch, so the interval decides how fast the WAL fills
 * and how often a commit also runs a checkpoint (fsyncs: milliseconds).
 *
 *   npx tsx bench/store.bench.ts [--rate 620] [--devices 64] [--seconds 60]
 *
 * For each interval, a minute of predictions at `rate`/s over `devices` devices goes through a real Store on a
 * temporary database, one flush per interval. It reports the flushes over 1 and 4 ms and the total time spent
 * flushing, against the 100 ms interval (the baseline, measured in the same run).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../daemon/store/store.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const rate = arg('rate', 620);
const devices = arg('devices', 64);
const seconds = arg('seconds', 60);
const INTERVALS_MS = [100, 250, 500, 1000];

interface FlushStats {
  intervalMs: number;
  flushes: number;
  p50: number;
  max: number;
  over1: number;
  over4: number;
  totalMs: number;
}

function measure(intervalMs: number): FlushStats {
  const dir = mkdtempSync(join(tmpdir(), 'dp-store-bench-'));
  const store = new Store(join(dir, 'bench.db'));
  try {
    const perFlush = Math.round((rate * intervalMs) / 1000);
    const flushes = Math.round((seconds * 1000) / intervalMs);
    const times: number[] = [];
    let k = 0;
    for (let f = 0; f < flushes; f++) {
      const time = 1_700_000_000 + Math.floor((f * intervalMs) / 1000);
      for (let i = 0; i < perFlush; i++) {
        store.recordPrediction({ devid: `bench-${k++ % devices}`, time, status: 'Good', p14: 0.01, p42: 0.02, model: 'diskpredict-gbdt', modelVersion: '1.0.0' });
      }
      const t = performance.now();
      store.flushPredictions();
      times.push(performance.now() - t);
    }
    const sorted = [...times].sort((a, b) => a - b);
    return {
      intervalMs,
      flushes,
      p50: sorted[Math.floor(sorted.length / 2)]!,
      max: sorted[sorted.length - 1]!,
      over1: times.filter((t) => t > 1).length,
      over4: times.filter((t) => t > 4).length,
      totalMs: times.reduce((s, t) => s + t, 0),
    };
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const results = INTERVALS_MS.map(measure);
const base = results[0]!;
console.log(`store bench: ${seconds} s of predictions at ${rate}/s over ${devices} devices, one flush per interval (baseline: ${base.intervalMs} ms)`);
console.log(`${'interval'.padEnd(10)} ${'flushes'.padStart(8)} ${'p50 ms'.padStart(8)} ${'max ms'.padStart(8)} ${'>1 ms'.padStart(6)} ${'>4 ms'.padStart(6)} ${'total ms'.padStart(9)} ${'vs base'.padStart(8)}`);
for (const r of results) {
  console.log(
    `${`${r.intervalMs} ms`.padEnd(10)} ${String(r.flushes).padStart(8)} ${r.p50.toFixed(2).padStart(8)} ${r.max.toFixed(2).padStart(8)} ${String(r.over1).padStart(6)} ${String(r.over4).padStart(6)} ${r.totalMs.toFixed(0).padStart(9)} ${`×${(r.totalMs / base.totalMs).toFixed(2)}`.padStart(8)}`,
  );
}
