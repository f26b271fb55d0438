/**
 * One device's SmartSamples → the columnar input of featurizeColumns: one row per UTC day (the
 * day's last sample wins), oldest first.
 */
import type { SmartSample } from '../smart/types.js';
import { epochDay } from '../util/utcTime.js';
import { attributeColumnValue } from './attributeValue.js';
import { FEATURE_ATTRIBUTES, type FeatureColumns } from './featurizeColumns.js';
import { vendorCode } from './vendorCode.js';

export interface HistoryColumns extends FeatureColumns {
  /** time of the sample kept for each row */
  times: number[];
  /** how many rows have at least one feature attribute */
  usableRows: number;
}

export function columnsFromSamples(samples: readonly SmartSample[]): HistoryColumns {
  const sorted = samples.filter((s) => Number.isFinite(s.time)).sort((a, b) => a.time - b.time);
  const byDay: SmartSample[] = [];
  for (const s of sorted) {
    const last = byDay[byDay.length - 1];
    if (last !== undefined && epochDay(last.time) === epochDay(s.time)) byDay[byDay.length - 1] = s;
    else byDay.push(s);
  }
  const n = byDay.length;
  const days = new Int32Array(n);
  // One allocation for all columns; each column is a view of it.
  const A = FEATURE_ATTRIBUTES.length;
  const buffer = new Float64Array(2 * A * n).fill(NaN);
  const raw: Float64Array[] = new Array(A);
  const norm: Float64Array[] = new Array(A);
  for (let a = 0; a < A; a++) {
    raw[a] = buffer.subarray(a * n, (a + 1) * n);
    norm[a] = buffer.subarray((A + a) * n, (A + a + 1) * n);
  }
  let usableRows = 0;
  let capacityBytes = NaN;
  const lastDevice = byDay[n - 1]?.device;
  for (let i = 0; i < n; i++) {
    const s = byDay[i]!;
    days[i] = epochDay(s.time);
    if (s.device.capacityBytes !== undefined && s.device.capacityBytes > 0) capacityBytes = s.device.capacityBytes;
    const ata = s.ata;
    if (ata === undefined) continue;
    let any = false;
    for (let a = 0; a < FEATURE_ATTRIBUTES.length; a++) {
      const attr = ata.get(FEATURE_ATTRIBUTES[a]!);
      if (attr === undefined) continue;
      const r = attributeColumnValue(attr.id, attr.raw, s.device.vendor, attr.decoded, attr.rawString);
      raw[a]![i] = r;
      if (attr.value !== undefined) norm[a]![i] = attr.value;
      if (r === r || attr.value !== undefined) any = true;
    }
    if (any) usableRows++;
  }
  return { days, raw, norm, capacityBytes, vendorCode: vendorCode(lastDevice?.vendor), times: byDay.map((s) => s.time), usableRows };
}
