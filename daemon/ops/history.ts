/** `history` and `devices`: what the store holds. */
import { RequestError } from '../protocol/errors.js';
import { isoTime } from '../../lib/util/utcTime.js';
import type { Reply, Request } from '../protocol/types.js';
import { formatCephTimestampKey } from '../../lib/smart/readCephDeviceHealth.js';
import { StoredJsonMap, type OutgoingReply } from '../storedJsonMap.js';
import type { Store, StoredPrediction, StoredSample } from '../store/store.js';
import { WorkSlicer } from '../workSlicer.js';
import { devidArg, optionalInteger, optionalTime } from './args.js';
import type { DaemonContext } from './context.js';

const DEFAULT_LIMIT = 1000;
const MAX_LIMIT = 100_000;
/** A sample's key and punctuation in the reply, beside its stored JSON. */
const ROW_OVERHEAD_BYTES = 32;
/** Rows read between yields: 4 MiB of 10 kB samples read at once held the loop 5-10 ms. */
const PAGE_ROWS = 16;

export async function historyOp(req: Request, ctx: DaemonContext): Promise<OutgoingReply> {
  const devid = devidArg(req, true);
  const since = optionalTime(req, 'since');
  const limit = optionalInteger(req, 'limit', 1, MAX_LIMIT) ?? DEFAULT_LIMIT;
  if (limit > ctx.config.maxSamplesPerRequest) {
    throw new RequestError('LIMIT_EXCEEDED', `limit ${limit} is above ${ctx.config.maxSamplesPerRequest} stored samples per request (maxSamplesPerRequest)`);
  }
  if (!ctx.store.hasDevice(devid)) throw new RequestError('UNKNOWN_DEVICE', `no device "${devid}" in the store`);
  const { maxReplyBytes } = ctx.config;
  // Room for the reply is taken before its rows are read, so clients waiting for room hold no rows.
  const release = await ctx.budget.reserveReply(ctx.store.historyBytesWithin(devid, since, limit, maxReplyBytes, ROW_OVERHEAD_BYTES));
  let samples: StoredJsonMap;
  let truncated: boolean;
  let predictions;
  try {
    const read = await readHistoryWithinBytes(ctx.store, devid, since, limit, maxReplyBytes, ROW_OVERHEAD_BYTES, new WorkSlicer(() => ctx.stopping));
    truncated = read.truncated;
    predictions = ctx.store.predictions(devid, since, limit).map(predictionRow);
    // The stored texts go into the reply as they are (StoredJsonMap): the connection splices or packs them row
    // by row and returns the reservation once the reply is queued.
    samples = new StoredJsonMap(
      read.rows.map((row) => [formatCephTimestampKey(row.time * 1000), row.raw] as const),
      release,
    );
  } catch (err) {
    release();
    throw err;
  }
  const reply: OutgoingReply = { devid, samples, predictions };
  if (truncated) reply['truncated'] = `only the newest ${samples.entries.length} samples fit in ${maxReplyBytes} bytes (maxReplyBytes); ask again with an earlier "since" window or a smaller "limit"`;
  return reply;
}

/**
 * The newest `limit` samples from `since` on that fit in `maxBytes` (UTF-8 bytes of each stored text plus
 * `overheadBytes`, as Store.historyBytesWithin counts), oldest first, read a page at a time between slices.
 */
export async function readHistoryWithinBytes(
  store: Store,
  devid: string,
  since: number | undefined,
  limit: number,
  maxBytes: number,
  overheadBytes: number,
  slicer: WorkSlicer,
): Promise<{ rows: StoredSample[]; truncated: boolean; bytes: number }> {
  const rows: StoredSample[] = [];
  let bytes = 0;
  let before = Number.MAX_SAFE_INTEGER;
  while (rows.length < limit) {
    const want = Math.min(PAGE_ROWS, limit - rows.length);
    const page = store.historyPage(devid, since, before, want);
    for (const row of page) {
      const next = bytes + Buffer.byteLength(row.raw) + overheadBytes;
      if (next > maxBytes) return { rows: rows.reverse(), truncated: true, bytes };
      bytes = next;
      rows.push(row);
    }
    if (page.length < want) break;
    before = page.at(-1)!.time;
    await slicer.yieldIfDue();
  }
  return { rows: rows.reverse(), truncated: false, bytes };
}

export function devicesOp(_req: Request, ctx: DaemonContext): Reply {
  return {
    devices: ctx.store.devices().map((d) => ({
      devid: d.devid,
      samples: d.samples,
      first_sample: unixSecondsToIso(d.firstSample),
      last_sample: unixSecondsToIso(d.lastSample),
      last_prediction: d.lastPrediction ? predictionRow(d.lastPrediction) : null,
    })),
  };
}

function predictionRow(p: StoredPrediction): { [k: string]: string | number | null } {
  return { time: unixSecondsToIso(p.time), status: p.status, p14: p.p14, p42: p.p42, model: p.model, version: p.modelVersion };
}

function unixSecondsToIso(s: number | null): string | null {
  return s === null ? null : isoTime(s * 1000);
}
