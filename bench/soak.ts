/**
 * Soak: the real daemon (default model, `npm start`'s V8 settings) under 64 well-behaved clients of mixed ops at
 * 640 requests/s, with a SIGHUP every 5 s, while a hostile client runs one attack at a time (bench/soakHostile.mjs:
 * amplification, slow-loris, oversize frames, work-heavy batches, poisoned samples). Then kill -9 rounds under
 * four ingest writers. Reports, per phase, the well-behaved clients' p50/p99 and errors, the daemon's peak RSS,
 * and how long RSS took to fall back under 100 MB; then acknowledged samples lost over the kill rounds.
 *
 *   npm run soak                      (SOAK_PHASE_S=20 per phase, SOAK_KILL_ROUNDS=5, SOAK_ATTACKS=none,poison,…,
 *                                      SOAK_HUP_S=5 between SIGHUPs, 0 for none; SOAK_DAEMON_ROOT=DIR: that
 *                                      checkout's daemon; SOAK_TIMELINE=FILE: each request's start, latency
 *                                      and op; SOAK_DAEMON_NODE_FLAGS: more Node flags for the daemon)
 *
 * The load generator is a fresh process per phase; its first second is sent but not timed (cold code in it and the
 * daemon's first requests of a kind), errors in it still count. The attack is under way before it starts.
 *
 * Targets (issue 17): p99 ≤ 10 ms at 640 req/s and no error the well-behaved clients did not cause, whatever the
 * attack; RSS ≤ 150 MB during every attack and < 100 MB within a minute after; 0 acknowledged samples lost.
 * Exit status 1 when a target is missed. Everything runs on this machine's 2 cores: daemon, load and attacker.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DiskPredictClient } from '../lib/client/index.js';
import { formatCephTimestampKey } from '../lib/smart/readCephDeviceHealth.js';
import { parseJsonExact, stringifyJsonExact, type JsonObject } from '../lib/util/json.js';
import { cephHealthMap, smartctlDoc } from '../test/daemon/helpers/smartctlDocs.js';
import { hasShared, sharedPath } from '../test/helpers/shared.js';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
/** SOAK_DAEMON_ROOT=DIR runs another built checkout's daemon under this soak (paired before/after figures). */
const daemonRoot = resolve(process.env['SOAK_DAEMON_ROOT'] ?? root);
/** SOAK_DAEMON_NODE_FLAGS="--cpu-prof --cpu-prof-dir=DIR": more Node flags for the daemon (profiles of a phase) */
const DAEMON_NODE_FLAGS = process.env['SOAK_DAEMON_NODE_FLAGS']?.split(' ').filter((f) => f !== '') ?? [];
const PHASE_MS = Number(process.env['SOAK_PHASE_S'] ?? 20) * 1000;
const KILL_ROUNDS = Number(process.env['SOAK_KILL_ROUNDS'] ?? 5);
/** SIGHUP period; SOAK_HUP_S=0 sends none (to tell the reload's cost from the attack's) */
const HUP_MS = Number(process.env['SOAK_HUP_S'] ?? 5) * 1000;
const CLIENTS = 64;
const PACE_MS = 100; // 64 clients every 100 ms = 640 req/s
/** the load generator's first second is not timed: a fresh process's cold code (its own and the daemon's first requests) is not the daemon's latency */
const WARMUP_MS = 1000;
const TARGET_P99_MS = 10;
const TARGET_PEAK_RSS_MB = 150;
const TARGET_SETTLED_RSS_MB = 100;
const SETTLE_LIMIT_MS = 60_000;
const ALL_ATTACKS = ['none', 'amplification', 'slowloris', 'oversize', 'batchStall', 'poison'] as const;
type Attack = (typeof ALL_ATTACKS)[number];
/** SOAK_ATTACKS=none,poison,… runs those phases in that order (default: all, `none` first). */
const ATTACKS: Attack[] = (process.env['SOAK_ATTACKS']?.split(',') ?? [...ALL_ATTACKS]).map((a) => {
  if (!(ALL_ATTACKS as readonly string[]).includes(a)) throw new Error(`SOAK_ATTACKS: unknown attack ${a} (known: ${ALL_ATTACKS.join(', ')})`);
  return a as Attack;
});
const BIG_DEVID = 'soak-big';
const REAL_DOC = 'smartctl/ata_hdd__ST32000644NS__smartctl_exporter-d57026.json';

interface Daemon {
  proc: ChildProcess;
  socketPath: string;
  log: () => string;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function startDaemon(dir: string): Promise<Daemon> {
  const socketPath = join(dir, 'd.sock');
  const proc = spawn(
    process.execPath,
    [...DAEMON_NODE_FLAGS, '--max-semi-space-size=1', '--v8-pool-size=1', join(daemonRoot, 'dist/lib/cli/main.js'), 'daemon', '--socket', socketPath, '--db', join(dir, 'd.db'), '--log-level', 'notice'],
    { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  proc.stderr!.on('data', (c: Buffer) => (log += c.toString()));
  const deadline = Date.now() + 30_000;
  while (!log.includes('listening on')) {
    if (proc.exitCode !== null || Date.now() > deadline) throw new Error(`daemon did not start:\n${log}`);
    await sleep(50);
  }
  return { proc, socketPath, log: () => log };
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+)/m.exec(status)![1]) / 1024;
}

/** A plain Node helper process fed JSON on stdin, answering JSON on stdout. */
function runHelper<T>(script: string, config: JsonObject): Promise<T> {
  return new Promise((resolvePromise, reject) => {
    const proc = spawn(process.execPath, [join(root, script)], { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout.on('data', (c: Buffer) => (out += c.toString()));
    proc.once('error', reject);
    proc.once('exit', (code) => (code === 0 ? resolvePromise(JSON.parse(out) as T) : reject(new Error(`${script} exited with ${code}`))));
    proc.stdin.end(stringifyJsonExact(config));
  });
}

/** A 1000-sample history of one device: real smartctl output when ../shared is there, else padded test documents. */
async function seed(socketPath: string): Promise<string[]> {
  const c = new DiskPredictClient({ socketPath });
  const now = Math.floor(Date.now() / 1000);
  const devids = Array.from({ length: CLIENTS }, (_, i) => `soak-dev-${i}`);
  for (const devid of devids) await c.request('ingest', { devid, samples: cephHealthMap(now - 86_400, 12, 0) });
  const real = hasShared && existsSync(sharedPath(REAL_DOC)) ? (parseJsonExact(readFileSync(sharedPath(REAL_DOC), 'utf8')) as JsonObject) : undefined;
  for (let part = 0; part < 1000; part += 50) {
    const map: JsonObject = {};
    for (let i = part; i < part + 50; i++) {
      const t = now - (1000 - i) * 3600;
      const doc = real ? { ...real, local_time: { time_t: t, asctime: '' } } : { ...smartctlDoc({ timeS: t }), padding: 'x'.repeat(20_000) };
      map[formatCephTimestampKey(t * 1000)] = doc;
    }
    await c.request('ingest', { devid: BIG_DEVID, samples: map });
  }
  c.close();
  return devids;
}

interface LoadResult {
  latenciesMs: number[];
  p99ByOp: Record<string, number | null>;
  errors: Record<string, number>;
  elapsedMs: number;
}

interface PhaseFigures {
  attack: string;
  p50: number;
  p99: number;
  p99ByOp: Record<string, number | null>;
  perSecond: number;
  errors: Record<string, number>;
  peakRssMb: number;
  settleMs: number | null;
  hostile: JsonObject | null;
  /** the daemon's own account of its memory (MB) when the attack ended and once settled (or after a minute) */
  memoryAtEnd: MemoryBreakdown;
  memorySettled: MemoryBreakdown;
}

interface MemoryBreakdown {
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

/**
 * What holds the RSS, from the daemon's metrics: V8 heap, Buffers, and the rest (code, SQLite, malloc). NaN when
 * the daemon does not answer in time (a figure, not a target: it must not end the soak).
 */
async function memoryBreakdown(socketPath: string): Promise<MemoryBreakdown> {
  const c = new DiskPredictClient({ socketPath, timeoutMs: 30_000 });
  try {
    const text = (await c.request('metrics'))['text'] as string;
    const mb = (name: string) => Number(new RegExp(`^diskpredict_${name}_bytes (\\S+)$`, 'm').exec(text)?.[1] ?? NaN) / 2 ** 20;
    return { rss: mb('resident_memory'), heapTotal: mb('heap_total'), heapUsed: mb('heap_used'), external: mb('external_memory'), arrayBuffers: mb('array_buffers') };
  } catch (err) {
    console.log(`(memory breakdown unavailable: ${err instanceof Error ? err.message : String(err)})`);
    return { rss: NaN, heapTotal: NaN, heapUsed: NaN, external: NaN, arrayBuffers: NaN };
  } finally {
    c.close();
  }
}

function formatMemory(m: MemoryBreakdown): string {
  return `RSS ${m.rss.toFixed(0)} = V8 heap ${m.heapTotal.toFixed(0)} (used ${m.heapUsed.toFixed(0)}) + external ${m.external.toFixed(0)} (buffers ${m.arrayBuffers.toFixed(0)}) + other ${(m.rss - m.heapTotal - m.external).toFixed(0)} MB`;
}

async function phase(d: Daemon, attack: Attack, devids: string[]): Promise<PhaseFigures> {
  const pid = d.proc.pid!;
  let peak = rssMb(pid);
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 200);
  const hup = HUP_MS > 0 ? setInterval(() => d.proc.kill('SIGHUP'), HUP_MS) : undefined;
  const samples = cephHealthMap(Math.floor(Date.now() / 1000), 12, 4);
  const hostile = attack === 'none' ? Promise.resolve(null) : runHelper<JsonObject>('bench/soakHostile.mjs', { socketPath: d.socketPath, attack, durationMs: PHASE_MS, bigDevid: BIG_DEVID });
  await sleep(500); // the attack is under way before the measured load starts
  const load = await runHelper<LoadResult>('bench/soakLoad.mjs', { socketPath: d.socketPath, clients: CLIENTS, paceMs: PACE_MS, durationMs: PHASE_MS - 1000, warmupMs: WARMUP_MS, samples, devids });
  const hostileStats = await hostile;
  clearInterval(hup);
  clearInterval(sampler);
  peak = Math.max(peak, rssMb(pid));
  const memoryAtEnd = await memoryBreakdown(d.socketPath);
  const settleStart = Date.now();
  let settleMs: number | null = null;
  while (Date.now() - settleStart < SETTLE_LIMIT_MS) {
    if (rssMb(pid) < TARGET_SETTLED_RSS_MB) {
      settleMs = Date.now() - settleStart;
      break;
    }
    await sleep(500);
  }
  const memorySettled = await memoryBreakdown(d.socketPath);
  const sorted = [...load.latenciesMs].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return { attack, p50: at(0.5), p99: at(0.99), p99ByOp: load.p99ByOp, perSecond: (sorted.length / load.elapsedMs) * 1000, errors: load.errors, peakRssMb: peak, settleMs, hostile: hostileStats, memoryAtEnd, memorySettled };
}

/** kill -9 while four writers ingest; every sample acknowledged before the kill must be there after restart. */
async function killRounds(dir: string): Promise<{ acknowledged: number; lost: number }> {
  let acknowledged = 0;
  let lost = 0;
  let d = await startDaemon(dir);
  for (let round = 0; round < KILL_ROUNDS; round++) {
    const acked = new Map<string, number[]>();
    let stop = false;
    const writers = Array.from({ length: 4 }, async (_, w) => {
      const c = new DiskPredictClient({ socketPath: d.socketPath });
      const devid = `kill-${round}-${w}`;
      acked.set(devid, []);
      let t = Math.floor(Date.now() / 1000) - 100_000;
      try {
        while (!stop) {
          t++;
          await c.request('ingest', { devid, samples: { [formatCephTimestampKey(t * 1000)]: smartctlDoc({ timeS: t }) } });
          acked.get(devid)!.push(t);
        }
      } catch {
        // the daemon died under us: what was acknowledged is in `acked`
      } finally {
        c.close();
      }
    });
    await sleep(500 + Math.random() * 1000);
    d.proc.kill('SIGKILL');
    stop = true;
    await Promise.all(writers);
    await new Promise((r) => (d.proc.exitCode !== null || d.proc.signalCode !== null ? r(null) : d.proc.once('exit', r)));
    d = await startDaemon(dir);
    const c = new DiskPredictClient({ socketPath: d.socketPath });
    for (const [devid, times] of acked) {
      acknowledged += times.length;
      if (times.length === 0) continue;
      const stored = new Set(Object.keys((await c.request('history', { devid, limit: 100_000 }))['samples'] as JsonObject));
      lost += times.filter((t) => !stored.has(formatCephTimestampKey(t * 1000))).length;
    }
    c.close();
  }
  d.proc.kill('SIGTERM');
  return { acknowledged, lost };
}

async function main(): Promise<void> {
  if (!existsSync(join(root, 'dist/lib/cli/main.js'))) throw new Error('build first: npm run build:ts');
  const dir = mkdtempSync(join(tmpdir(), 'dp-soak-'));
  const figures: PhaseFigures[] = [];
  let d: Daemon | undefined;
  try {
    d = await startDaemon(dir);
    const devids = await seed(d.socketPath);
    for (const attack of ATTACKS) {
      const f = await phase(d, attack, devids);
      figures.push(f);
      console.log(
        `${attack.padEnd(14)} p50 ${f.p50.toFixed(2)} ms  p99 ${f.p99.toFixed(2)} ms  ${f.perSecond.toFixed(0)} req/s  errors ${JSON.stringify(f.errors)}  peak RSS ${f.peakRssMb.toFixed(1)} MB  back < ${TARGET_SETTLED_RSS_MB} MB after ${f.settleMs === null ? `> ${SETTLE_LIMIT_MS / 1000} s` : `${(f.settleMs / 1000).toFixed(1)} s`}  hostile ${JSON.stringify(f.hostile)}`,
      );
      console.log(`${''.padEnd(14)} p99 by op: ${Object.entries(f.p99ByOp).map(([op, ms]) => `${op} ${ms === null ? '-' : ms.toFixed(2)}`).join(', ')} ms`);
      console.log(`${''.padEnd(14)} memory when the attack ended: ${formatMemory(f.memoryAtEnd)}; ${f.settleMs === null ? 'a minute later' : 'settled'}: ${formatMemory(f.memorySettled)}`);
    }
    d.proc.kill('SIGTERM');
    const killDir = mkdtempSync(join(dir, 'kill-'));
    const kills = await killRounds(killDir);
    console.log(`kill -9 rounds: ${KILL_ROUNDS}, acknowledged ingests ${kills.acknowledged}, lost ${kills.lost}`);
    const missed: string[] = [];
    for (const f of figures) {
      if (!(f.p99 <= TARGET_P99_MS)) missed.push(`${f.attack}: p99 ${f.p99.toFixed(2)} ms > ${TARGET_P99_MS}`);
      if (Object.keys(f.errors).length) missed.push(`${f.attack}: well-behaved clients got errors ${JSON.stringify(f.errors)}`);
      if (f.peakRssMb > TARGET_PEAK_RSS_MB) missed.push(`${f.attack}: peak RSS ${f.peakRssMb.toFixed(1)} MB > ${TARGET_PEAK_RSS_MB}`);
      if (f.settleMs === null) missed.push(`${f.attack}: RSS not under ${TARGET_SETTLED_RSS_MB} MB within ${SETTLE_LIMIT_MS / 1000} s`);
    }
    if (kills.lost > 0) missed.push(`kill -9: ${kills.lost} acknowledged samples lost`);
    console.log(missed.length ? `targets missed:\n  ${missed.join('\n  ')}` : 'all targets met');
    if (missed.length) process.exitCode = 1;
  } finally {
    if (d && d.proc.exitCode === null) d.proc.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
