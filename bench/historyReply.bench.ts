/**
 * One `history` reply at the default maxReplyBytes (4 MiB of stored samples), encoded the way the daemon did
 * before (every stored sample parsed into one tree, the tree encoded in one go) and the way it does now
 * (daemon/replyEncoding.ts: JSON lines splice the stored texts, msgpack packs a row at a time between slices).
 * Reports the CPU time of a reply and the longest stretch without yielding to other clients (what their
 * latency sees; CPU time, so other work on the machine does not inflate it), both framings, as medians over the
 * runs; the "before" figures are the baseline of this run.
 *
 *   npx tsx bench/historyReply.bench.ts      (real smartctl output when ../shared is there, else padded test documents)
 */
import { existsSync, readFileSync } from 'node:fs';
import { encodeFrame } from '../lib/client/wire/msgpack.js';
import { parseJsonExact, stringifyJsonExact, type JsonObject } from '../lib/util/json.js';
import { encodeFrameReply, encodeJsonLine } from '../daemon/replyEncoding.js';
import { StoredJsonMap } from '../daemon/storedJsonMap.js';
import type { WorkSlicer } from '../daemon/workSlicer.js';
import { cephKey, smartctlDoc } from '../test/daemon/helpers/smartctlDocs.js';
import { hasShared, sharedPath } from '../test/helpers/shared.js';

const REPLY_BYTES = 4 * 1024 * 1024;
const RUNS = Number(process.env["RUNS"] ?? 15);
const REAL_DOC = 'smartctl/ata_hdd__ST32000644NS__smartctl_exporter-d57026.json';

const real = hasShared && existsSync(sharedPath(REAL_DOC)) ? (parseJsonExact(readFileSync(sharedPath(REAL_DOC), 'utf8')) as JsonObject) : undefined;
const rows: [string, string][] = [];
for (let bytes = 0, t = 1_780_000_000; bytes < REPLY_BYTES; t -= 3600) {
  const doc = real ? { ...real, local_time: { time_t: t, asctime: '' } } : { ...smartctlDoc({ timeS: t }), padding: 'x'.repeat(10_000) };
  const raw = stringifyJsonExact(doc);
  if (bytes + raw.length > REPLY_BYTES) break;
  bytes += raw.length;
  rows.push([cephKey(t), raw]);
}
const predictions = Array.from({ length: 50 }, () => ({ time: '2026-12-03T00:00:00Z', status: 'Good', p14: 0.01, p42: 0.02, model: 'default', version: '1' }));

/**
 * Times every step between yields, in CPU time of this process (user + system), so that the other work sharing
 * the machine does not count: the total and the longest step.
 */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

class StepTimer {
  private last = cpuMs();
  longest = 0;
  readonly start = this.last;
  step(): void {
    const now = cpuMs();
    this.longest = Math.max(this.longest, now - this.last);
    this.last = now;
  }
  /** start to the last step */
  get total(): number {
    return this.last - this.start;
  }
}

function before(framing: 'json' | 'msgpack'): StepTimer {
  // The old history op: parse a row, yield when due (counted as a step boundary), then encode the tree at once.
  const timer = new StepTimer();
  const samples: JsonObject = {};
  for (const [key, raw] of rows) {
    samples[key] = parseJsonExact(raw);
    timer.step();
  }
  const reply = { ok: true, devid: 'bench', samples, predictions };
  if (framing === 'json') Buffer.from(stringifyJsonExact(reply) + '\n');
  else encodeFrame(reply);
  timer.step();
  return timer;
}

async function after(framing: 'json' | 'msgpack'): Promise<StepTimer> {
  const timer = new StepTimer();
  const reply = { ok: true, devid: 'bench', samples: new StoredJsonMap(rows), predictions };
  const slicer = () => ({ yieldIfDue: async () => timer.step() }) as unknown as WorkSlicer;
  // the pieces go to the socket as they are (one writev)
  if (framing === 'json') await encodeJsonLine(reply, slicer);
  else await encodeFrameReply(reply, slicer);
  timer.step();
  return timer;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const results: string[] = [];
for (const framing of ['json', 'msgpack'] as const) {
  const old: StepTimer[] = [];
  const now: StepTimer[] = [];
  for (let i = 0; i < RUNS + 2; i++) {
    // alternate, and drop the first two of each (JIT warm-up)
    const o = before(framing);
    const n = await after(framing);
    if (i >= 2) {
      old.push(o);
      now.push(n);
    }
  }
  const [oTotal, oLong, nTotal, nLong] = [median(old.map((t) => t.total)), median(old.map((t) => t.longest)), median(now.map((t) => t.total)), median(now.map((t) => t.longest))];
  results.push(
    `${framing.padEnd(8)} before: ${oTotal.toFixed(1).padStart(6)} ms, longest stretch ${oLong.toFixed(1).padStart(6)} ms   after: ${nTotal.toFixed(1).padStart(6)} ms (×${(nTotal / oTotal).toFixed(2)}), longest stretch ${nLong.toFixed(2).padStart(6)} ms (×${(nLong / oLong).toFixed(3)})`,
  );
}
console.log(`history reply of ${rows.length} stored samples, ${(rows.reduce((n, [, r]) => n + r.length, 0) / 2 ** 20).toFixed(2)} MiB of JSON (${real ? `real smartctl output: ${REAL_DOC}` : 'padded test documents: ../shared absent'}), median of ${RUNS} runs each:`);
for (const r of results) console.log(r);
