/**
 * The soak's well-behaved clients (see soak.ts): `clients` connections, each sending one request every `paceMs`
 * on a fixed timetable, mixing the ops an operator's tools send: predict with samples, predict from stored
 * history, ingest of a new sample, a short history, health. Plain Node (not tsx), using the compiled client.
 *
 * stdin: JSON {socketPath, clients, paceMs, durationMs, warmupMs, samples, devids}. stdout: JSON {latenciesMs,
 * p99ByOp, errors, elapsedMs}; `errors` counts error replies and lost connections by code (warm-up included);
 * latencies are those of requests sent after the first `warmupMs` (a fresh process's cold code is not the daemon's).
 */
import { writeFileSync } from 'node:fs';
import { DiskPredictClient } from '../dist/lib/client/index.js';
import { formatCephTimestampKey } from '../dist/lib/smart/readCephDeviceHealth.js';
import { parseJsonExact } from '../dist/lib/util/json.js';

function sleep(ms) {
  return ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve();
}

async function run({ socketPath, clients, paceMs, durationMs, warmupMs = 0, samples, devids }) {
  const sampleKeys = Object.keys(samples);
  const lastDoc = samples[sampleKeys[sampleKeys.length - 1]];
  let ingestTime = Math.floor(Date.now() / 1000);
  const ops = [
    (c, i) => c.request('predict', { devid: `soak-${i}`, samples }),
    (c, i) => c.request('predict', { devid: devids[i % devids.length] }),
    (c, i) => {
      // Into devices of their own: a device that gains a sample a second would make every later prediction from
      // its stored history slower (1,000 samples after a few minutes), which is this generator's doing, not the
      // daemon's; the stored-history predictions use the seeded 12-day devices.
      const t = ++ingestTime;
      return c.request('ingest', { devid: `soak-ingest-${i}`, samples: { [formatCephTimestampKey(t * 1000)]: lastDoc } });
    },
    (c, i) => c.request('history', { devid: devids[i % devids.length], limit: 12 }),
    (c) => c.request('health'),
  ];
  const conns = [];
  for (let i = 0; i < clients; i++) {
    const c = new DiskPredictClient({ socketPath });
    await c.request('health');
    conns.push(c);
  }
  const latenciesMs = [];
  const opNames = ['predict', 'predictStored', 'ingest', 'history', 'health'];
  const byOp = Object.fromEntries(opNames.map((n) => [n, []]));
  const errors = {};
  /** SOAK_TIMELINE=FILE: every request's start (epoch ms), latency and op, warm-up included, to place slow ones in time */
  const timeline = [];
  const start = performance.now();
  await Promise.all(
    conns.map(async (c, i) => {
      const offset = (paceMs * i) / clients;
      for (let k = 0; ; k++) {
        await sleep(start + offset + k * paceMs - performance.now());
        if (performance.now() - start >= durationMs) break;
        const t = performance.now();
        try {
          await ops[(i + k) % ops.length](c, i);
          const ms = performance.now() - t;
          if (process.env.SOAK_TIMELINE) timeline.push(`${(performance.timeOrigin + t).toFixed(1)} ${ms.toFixed(1)} ${opNames[(i + k) % ops.length]}`);
          if (t - start < warmupMs) continue;
          latenciesMs.push(ms);
          byOp[opNames[(i + k) % ops.length]].push(ms);
        } catch (err) {
          const code = err?.code ?? err?.reason ?? err?.name ?? 'unknown';
          errors[code] = (errors[code] ?? 0) + 1;
        }
      }
    }),
  );
  const elapsedMs = performance.now() - start - warmupMs;
  if (process.env.SOAK_TIMELINE) writeFileSync(process.env.SOAK_TIMELINE, timeline.join('\n') + '\n', { flag: 'a' });
  for (const c of conns) c.close();
  const p99 = (a) => a.sort((x, y) => x - y)[Math.min(a.length - 1, Math.floor(a.length * 0.99))] ?? null;
  const p99ByOp = Object.fromEntries(opNames.map((n) => [n, p99(byOp[n])]));
  return { latenciesMs, p99ByOp, errors, elapsedMs };
}

let input = '';
for await (const chunk of process.stdin) input += chunk;
process.stdout.write(JSON.stringify(await run(parseJsonExact(input))));
