/**
 * Request `samples` → a DeviceHistory for the predictor and the rows the store keeps. Stored rows are read back
 * as a Ceph devicehealth map through the same reader, so a stored history predicts like the samples it came from.
 */
import { isJsonObject, parseJsonExact, stringifyJsonExact, type JsonObject, type JsonValue } from '../lib/util/json.js';
import { formatCephTimestampKey, parseCephTimestampKey, readCephDeviceHealthMap } from '../lib/smart/readCephDeviceHealth.js';
import { readSmartctlJson } from '../lib/smart/readSmartctlJson.js';
import { SmartParseError } from '../lib/smart/errors.js';
import type { DeviceHistory, SmartSample } from '../lib/smart/types.js';
import { RequestError } from './protocol/errors.js';
import type { Store, StoredSample } from './store/store.js';
import { jsonDepthExceeds } from '../lib/util/jsonDepth.js';
import type { WorkSlicer } from './workSlicer.js';

// smartctl's JSON nests about 6 deep. One rule for everything that may be stored: a sample nested deeper is
// refused at the door, since the store would keep it and every later `history` reply would carry it.
const MAX_SAMPLE_DEPTH = 64;

export interface IncomingSamples {
  history: DeviceHistory;
  /** one row per distinct second, raw JSON exactly as received (only when asked for: it costs a stringify each) */
  rows: StoredSample[];
  /** array entries that could not be read (and so have no time to be stored under) */
  skipped: number;
}

/** `cephDayDict`: build the samples' Ceph day dicts (only Ceph's old models read them: Predictor.needsCephDayDict). */
export function readIncomingSamples(samples: JsonValue, devid: string | undefined, withRows: boolean, cephDayDict: boolean): IncomingSamples {
  if (jsonDepthExceeds(samples, MAX_SAMPLE_DEPTH + 1)) {
    throw new RequestError('BAD_SAMPLES', `samples nest more than ${MAX_SAMPLE_DEPTH} levels deep (smartctl JSON nests about 6)`);
  }
  if (Array.isArray(samples)) return readSmartctlArray(samples, devid, withRows, cephDayDict);
  if (isJsonObject(samples)) return readCephMap(samples, devid, withRows, cephDayDict);
  throw new RequestError('BAD_SAMPLES', 'samples must be a Ceph devicehealth map or an array of smartctl JSON documents');
}

function readCephMap(map: JsonObject, devid: string | undefined, withRows: boolean, cephDayDict: boolean): IncomingSamples {
  const history = withSmartErrors(() => readCephDeviceHealthMap(map, { cephDayDict, ...(devid !== undefined && { devid }) }));
  const rows: StoredSample[] = [];
  if (withRows) for (const [key, entry] of Object.entries(map)) {
    // the reader accepted every key, so each parses
    rows.push({ time: Math.floor(parseCephTimestampKey(key)! / 1000), raw: stringifyJsonExact(entry) });
  }
  return { history, rows, skipped: 0 };
}

function readSmartctlArray(docs: JsonValue[], devid: string | undefined, withRows: boolean, cephDayDict: boolean): IncomingSamples {
  const read: { sample: SmartSample; doc: JsonValue }[] = [];
  let skipped = 0;
  docs.forEach((doc, i) => {
    try {
      const previous = read[read.length - 1]?.sample;
      read.push({ sample: readSmartctlJson(doc, { pointer: `/${i}`, format: 'smartctl', cephDayDict, previous }), doc });
    } catch (err) {
      if (!(err instanceof SmartParseError)) throw err;
      skipped++;
    }
  });
  read.sort((a, b) => a.sample.time - b.sample.time);
  // One sample per second, first one wins: the same rule as the store's (devid, time) key.
  const seen = new Set<number>();
  const samples: SmartSample[] = [];
  const rows: StoredSample[] = [];
  for (const { sample, doc } of read) {
    const time = Math.floor(sample.time / 1000);
    if (seen.has(time)) continue;
    seen.add(time);
    samples.push(sample);
    if (withRows) rows.push({ time, raw: stringifyJsonExact(doc) });
  }
  const history: DeviceHistory = { samples, errors: [] };
  if (devid !== undefined) history.devid = devid;
  return { history, rows, skipped };
}

/**
 * Samples read from the store per page (each may be a 64 kB smartctl output). Small: the work yields between pages,
 * and a page of 32 real 10 kB samples took 3-4 ms to read, a slice on its own (a probe's health p99 beside a
 * work-heavy batch loop: 15-17 ms at 32, 12.7-14 ms at 8).
 */
const STORE_PAGE_ROWS = 8;

/**
 * A device's stored samples from `firstS` on → a history, a page of rows at a time in time slices: thousands of
 * large rows take seconds to read, and reading them all first held every row's text and JSON tree at once
 * (hundreds of MB for 1,000 real outputs).
 */
export async function historyFromStore(store: Store, devid: string, firstS: number, cephDayDict: boolean, slicer: WorkSlicer): Promise<DeviceHistory> {
  const history: DeviceHistory = { devid, samples: [], errors: [] };
  let after = firstS - 1;
  for (;;) {
    const page = store.samplesAfter(devid, after, STORE_PAGE_ROWS);
    for (const row of page) {
      const one = withSmartErrors(() => readCephDeviceHealthMap({ [formatCephTimestampKey(row.time * 1000)]: parseJsonExact(row.raw) }, { devid, cephDayDict }));
      history.samples.push(...one.samples);
      history.errors.push(...one.errors);
      after = row.time;
    }
    if (page.length < STORE_PAGE_ROWS) break;
    await slicer.yieldIfDue();
  }
  // pages come oldest first, one row per second: already in the order the map reader would give
  return history;
}

function withSmartErrors<T>(read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof SmartParseError) throw new RequestError('BAD_SAMPLES', err.message);
    throw err;
  }
}
