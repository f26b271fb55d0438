/**
 * Daemon latency: `predict` with 12 samples over the socket (msgpack frames, DiskPredictClient), at 1 client
 * and at 64 concurrent clients, against the same prediction made in-process (the baseline, measured in this
 * run). Reports p50/p99, requests/s and the daemon's RSS. Targets: p99 < 2 ms at 64 clients, RSS < 80 MB.
 *
 *   npm run bench:daemon            (DISKPREDICT_BENCH_MODEL=rules|default|… picks the model)
 *
 * Two load shapes at 64 clients: closed loop (each client sends its next request as soon as the reply
 * arrives: saturation, requests/s) and paced (each client sends every 50 ms: the latency a request sees when
 * the daemon is not saturated — the Ceph mgr's situation).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DiskPredictClient } from '../lib/client/index.js';
import { createPredictor } from '../lib/predict/registry.js';
import { readCephDeviceHealthMap } from '../lib/smart/readCephDeviceHealth.js';
import { cephHealthMap } from '../test/daemon/helpers/smartctlDocs.js';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const modelSpec = process.env['DISKPREDICT_BENCH_MODEL'] ?? (existsSync(join(root, 'models/default/model.json')) ? 'default' : 'rules');
const PHASE_MS = 3000;
const MAX_REQUESTS_PER_CLIENT = 20_000;
const samples = cephHealthMap(Math.floor(Date.now() / 1000), 12, 4);

interface Stats {
  p50: number;
  p99: number;
  perSecond: number;
  n: number;
}

function stats(latenciesMs: number[], elapsedMs: number): Stats {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { p50: at(0.5), p99: at(0.99), perSecond: (sorted.length / elapsedMs) * 1000, n: sorted.length };
}

function inProcessBaseline(): Stats {
  // What the daemon does per request minus the socket: read the samples, predict.
  const predictor = createPredictor(modelSpec);
  const latencies: number[] = [];
  const start = performance.now();
  while (performance.now() - start < PHASE_MS && latencies.length < MAX_REQUESTS_PER_CLIENT) {
    const t = performance.now();
    predictor.predict(readCephDeviceHealthMap(samples, { devid: 'bench' }));
    latencies.push(performance.now() - t);
  }
  return stats(latencies, performance.now() - start);
}

async function load(socketPath: string, clients: number, paceMs: number | null): Promise<Stats> {
  const conns = Array.from({ length: clients }, () => new DiskPredictClient({ socketPath }));
  await Promise.all(conns.map((c) => c.request('health'))); // connect first: measure requests, not connects
  const latencies: number[] = [];
  const start = performance.now();
  await Promise.all(
    conns.map(async (c, i) => {
      if (paceMs !== null) await sleep((paceMs * i) / clients); // spread the paced clients over the period
      for (let k = 0; k < MAX_REQUESTS_PER_CLIENT && performance.now() - start < PHASE_MS; k++) {
        const t = performance.now();
        await c.request('predict', { devid: `bench-${i}`, samples });
        const took = performance.now() - t;
        latencies.push(took);
        if (paceMs !== null && took < paceMs) await sleep(paceMs - took);
      }
    }),
  );
  const elapsed = performance.now() - start;
  for (const c of conns) c.close();
  return stats(latencies, elapsed);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Mean time the daemon spent in `predict` handlers (its own latency histogram) and its V8 heap, from its metrics. */
async function daemonSelfReport(socketPath: string): Promise<{ handlingMs: number; heapUsedMb: number; heapTotalMb: number }> {
  const c = new DiskPredictClient({ socketPath });
  const text = (await c.request('metrics'))['text'] as string;
  c.close();
  const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  return {
    handlingMs: (value('diskpredict_request_duration_seconds_sum\\{op="predict"\\}') / value('diskpredict_request_duration_seconds_count\\{op="predict"\\}')) * 1000,
    heapUsedMb: value('diskpredict_heap_used_bytes') / 2 ** 20,
    heapTotalMb: value('diskpredict_heap_total_bytes') / 2 ** 20,
  };
}

function rssMb(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

/**
 * The compiled CLI (what `npm start` runs) when it is newer than every source, else the sources through tsx
 * (whose loader adds to the RSS). DISKPREDICT_BENCH_ENTRY=dist forces the compiled one.
 */
function daemonEntry(): string[] {
  const built = join(root, 'dist/lib/cli/main.js');
  if (process.env['DISKPREDICT_BENCH_ENTRY'] === 'dist') return [built];
  const builtAt = existsSync(built) ? statSync(built).mtimeMs : -1;
  const newest = Math.max(...['lib', 'daemon'].flatMap((d) => readdirSync(join(root, d), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')).map((f) => statSync(join(root, d, f)).mtimeMs)));
  if (builtAt >= newest) return [built];
  console.log('dist/ is older than the sources (npm run build:ts): running the daemon from the sources through tsx');
  return ['--import', 'tsx', join(root, 'lib/cli/main.ts')];
}

async function startDaemon(dir: string): Promise<{ socketPath: string; pid: number; stop(): Promise<void> }> {
  const socketPath = join(dir, 'bench.sock');
  const entry = daemonEntry();
  const proc = spawn(process.execPath, [...entry, 'daemon', '--socket', socketPath, '--db', join(dir, 'bench.db'), '--model', modelSpec, '--log-level', 'warning'], {
    cwd: root,
    // The young-generation cap that `npm start` and the systemd unit use (most of the RSS is V8's nursery);
    // DISKPREDICT_BENCH_DAEMON_NODE_OPTIONS overrides it to try other V8 flags.
    env: { ...process.env, NODE_OPTIONS: process.env['DISKPREDICT_BENCH_DAEMON_NODE_OPTIONS'] ?? '--max-semi-space-size=2' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const c = new DiskPredictClient({ socketPath, timeoutMs: 1000 });
      await c.request('health');
      c.close();
      break;
    } catch (err) {
      if (Date.now() > deadline || proc.exitCode !== null) throw new Error(`daemon did not start: ${String(err)}`);
      await sleep(100);
    }
  }
  return {
    socketPath,
    pid: proc.pid!,
    stop: () =>
      new Promise((r) => {
        proc.once('exit', () => r());
        proc.kill('SIGTERM');
      }),
  };
}

function row(name: string, s: Stats, base: Stats): string {
  const f = (v: number) => v.toFixed(3).padStart(8);
  return `${name.padEnd(34)} ${f(s.p50)} ${f(s.p99)} ${s.perSecond.toFixed(0).padStart(9)} ${String(s.n).padStart(7)}   p50 ×${(s.p50 / base.p50).toFixed(1)} of in-process`;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'dp-bench-'));
  const daemon = await startDaemon(dir);
  try {
    const base = inProcessBaseline();
    const one = await load(daemon.socketPath, 1, null);
    const closed64 = await load(daemon.socketPath, 64, null);
    const paced64 = await load(daemon.socketPath, 64, 50);
    const mem = rssMb(daemon.pid);
    const self = await daemonSelfReport(daemon.socketPath);
    console.log(`daemon bench: predict with 12 samples, model "${modelSpec}", ${PHASE_MS / 1000} s per phase, client and daemon on the same 2 cores; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    console.log(`${'phase'.padEnd(34)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'req/s'.padStart(9)} ${'n'.padStart(7)}`);
    console.log(row('in-process (baseline)', base, base));
    console.log(row('socket, 1 client', one, base));
    console.log(row('socket, 64 clients, closed loop', closed64, base));
    console.log(row('socket, 64 clients, each every 50ms', paced64, base));
    console.log(`daemon-side handling of predict (decode excluded, from its metrics): mean ${self.handlingMs.toFixed(3)} ms`);
    console.log(`daemon RSS ${mem.rss.toFixed(1)} MB (peak ${mem.peak.toFixed(1)} MB); V8 heap ${self.heapUsedMb.toFixed(1)} MB used of ${self.heapTotalMb.toFixed(1)} MB`);
    console.log(
      `targets: p99 < 2 ms at 64 clients (paced): ${paced64.p99 < 2 ? 'met' : 'NOT met'} (${paced64.p99.toFixed(3)} ms); RSS < 80 MB: ${mem.peak < 80 ? 'met' : 'NOT met'} (peak ${mem.peak.toFixed(1)} MB)`,
    );
  } finally {
    await daemon.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
