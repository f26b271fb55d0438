/**
 * Ceph diskprediction_local's `_predict_life_expectancy` input step: from the devicehealth
 * metrics map (`{"YYYYmmdd-HHMMSS": sample}`) to the day dicts its predictors see, newest first.
 * Works on the raw JSON map so that error entries count exactly as upstream counts them.
 */
import { extractCephDayDict, type CephDayDict } from '../../smart/cephDayDict.js';
import { isJsonObject, type JsonValue } from '../../util/json.js';

/** Upstream needs at least this many map entries, and this many non-empty day dicts. */
export const DPL_MIN_SAMPLES = 6;
/** Upstream stops after this many non-empty day dicts. */
export const DPL_MAX_DAYS = 12;

export type DplReason = 'insufficient_samples' | 'insufficient_usable_samples';

export interface DplInput {
  /** entries in the map (error objects included) */
  nSamples: number;
  /** non-empty day dicts, newest first, at most 12 */
  dayDicts: CephDayDict[];
  keysUsed: string[];
  keysSkippedEmpty: string[];
  /** set when upstream would not call a predictor at all */
  reason: DplReason | null;
}

// Python sorts str by code point; JS's default sort compares UTF-16 units, which differs for astral characters.
function byCodePointDescending(a: string, b: string): number {
  const ca = [...a];
  const cb = [...b];
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) {
    const d = ca[i]!.codePointAt(0)! - cb[i]!.codePointAt(0)!;
    if (d !== 0) return -d;
  }
  return cb.length - ca.length;
}

export interface DplEntry {
  key: string;
  day: CephDayDict;
}

/** Upstream's selection over entries already sorted newest first. */
export function dplFromEntries(newestFirst: DplEntry[]): DplInput {
  const out: DplInput = { nSamples: newestFirst.length, dayDicts: [], keysUsed: [], keysSkippedEmpty: [], reason: null };
  if (newestFirst.length < DPL_MIN_SAMPLES) {
    out.reason = 'insufficient_samples';
    return out;
  }
  for (const { key, day } of newestFirst) {
    if (Object.keys(day).length > 0) {
      out.dayDicts.push(day);
      out.keysUsed.push(key);
    } else out.keysSkippedEmpty.push(key);
    if (out.dayDicts.length >= DPL_MAX_DAYS) break;
  }
  if (out.dayDicts.length < DPL_MIN_SAMPLES) out.reason = 'insufficient_usable_samples';
  return out;
}

/** From devicehealth's metrics map: keys sorted descending as strings, each sample extracted as upstream does. */
export function dplDayDicts(map: JsonValue): DplInput {
  const entries = isJsonObject(map) ? map : {};
  const keys = Object.keys(entries).sort(byCodePointDescending);
  return dplFromEntries(keys.map((key) => ({ key, day: extractCephDayDict(entries[key]!) })));
}
