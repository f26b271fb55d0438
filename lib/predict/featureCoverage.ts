/**
 * How much history a windowed feature of the last row actually saw: a "30-day change" computed from a
 * six-day history covers 5 days, and "has not grown" from one sample says nothing. The reasons of a
 * prediction quote these days and sample counts instead of the nominal window. Mirrors the window
 * rules of featurizeColumns (same sanitizing, same window starts).
 */
import { ERROR_SUM_ATTRIBUTES, FEATURE_ATTRIBUTES, type FeatureColumns } from '../features/featurizeColumns.js';

export interface FeatureCoverage {
  /** days between the oldest and the newest sample the feature used */
  days: number;
  /** samples with a value that the feature used */
  samples: number;
}

const RAW_MAX = 2 ** 48;
const DELTA_WINDOW: Readonly<Record<string, number>> = { raw_delta1: 1, raw_delta7: 7, raw_delta30: 30 };
const AGGREGATE_DELTA: Readonly<Record<string, string>> = { error_delta7_sum: 'raw_delta7', error_delta30_sum: 'raw_delta30', error_grew_count: 'raw_grew' };

const valid = (v: number): boolean => v >= 0 && v <= RAW_MAX;

function slotCoverage(cols: Pick<FeatureColumns, 'days' | 'raw'>, slot: number, kind: string, last: number): FeatureCoverage | undefined {
  const x = cols.raw[slot]!;
  const days = cols.days;
  const today = days[last]!;
  if (kind in DELTA_WINDOW) {
    if (!valid(x[last]!)) return undefined;
    const from = today - DELTA_WINDOW[kind]!;
    for (let j = 0; j < last; j++) if (days[j]! >= from && valid(x[j]!)) return { days: today - days[j]!, samples: 2 };
    return undefined;
  }
  if (kind === 'raw_grew' || kind === 'raw_mean6' || kind === 'raw_std6' || kind === 'raw_cv6') {
    const after = kind === 'raw_grew' ? -Infinity : today - 6;
    let first = -1;
    let n = 0;
    for (let j = 0; j <= last; j++) {
      if (days[j]! > after && valid(x[j]!)) {
        if (first < 0) first = j;
        n++;
      }
    }
    if (n === 0) return undefined;
    let newest = last;
    while (newest > first && !valid(x[newest]!)) newest--;
    return { days: days[newest]! - days[first]!, samples: n };
  }
  return undefined;
}

/** Coverage of feature `name` on row `last`; undefined for point-in-time features and missing values. */
export function featureCoverage(cols: Pick<FeatureColumns, 'days' | 'raw'>, name: string, last: number): FeatureCoverage | undefined {
  const m = /^smart_(\d+)_(.+)$/.exec(name);
  if (m) {
    const slot = FEATURE_ATTRIBUTES.indexOf(Number(m[1]));
    return slot < 0 ? undefined : slotCoverage(cols, slot, m[2]!, last);
  }
  const kind = AGGREGATE_DELTA[name];
  if (kind === undefined) return undefined;
  // A sum over the error counters: the widest coverage among them.
  let best: FeatureCoverage | undefined;
  for (const id of ERROR_SUM_ATTRIBUTES) {
    const c = slotCoverage(cols, FEATURE_ATTRIBUTES.indexOf(id), kind, last);
    if (c && (!best || c.days > best.days || (c.days === best.days && c.samples > best.samples))) best = c;
  }
  return best;
}
