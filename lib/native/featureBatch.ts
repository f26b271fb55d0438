/**
 * Many drives' histories in one set of columns, so featurising a fleet is one native call instead of one per drive
 * (crossing into the addon costs about as much as featurising a short history). History h is rows
 * offsets[h] .. offsets[h+1]−1; its features are the same rows of the output matrix.
 */
import { FEATURE_ATTRIBUTES, FEATURE_COUNT, featurizeColumns, type FeatureColumns } from '../features/featurizeColumns.js';

export interface FeatureBatch {
  /** histories + 1 row offsets: 0, n₀, n₀+n₁, …, days.length */
  offsets: Int32Array;
  days: Int32Array;
  /** FEATURE_ATTRIBUTES.length columns of days.length values */
  raw: Float64Array[];
  norm: Float64Array[];
  /** one per history */
  capacityBytes: Float64Array;
  vendorCode: Float64Array;
}

function batchHistoryCount(batch: FeatureBatch): number {
  return Math.max(0, batch.offsets.length - 1);
}

/** Copies histories into one batch (column by column). */
export function packFeatureBatch(histories: readonly FeatureColumns[]): FeatureBatch {
  const offsets = new Int32Array(histories.length + 1);
  for (let h = 0; h < histories.length; h++) offsets[h + 1] = offsets[h]! + histories[h]!.days.length;
  const rows = offsets[histories.length]!;
  const days = new Int32Array(rows);
  const raw = FEATURE_ATTRIBUTES.map(() => new Float64Array(rows));
  const norm = FEATURE_ATTRIBUTES.map(() => new Float64Array(rows));
  const capacityBytes = new Float64Array(histories.length);
  const vendorCode = new Float64Array(histories.length);
  for (let h = 0; h < histories.length; h++) {
    const history = histories[h]!;
    const start = offsets[h]!;
    const n = history.days.length;
    for (let i = 0; i < n; i++) days[start + i] = history.days[i]!;
    for (let a = 0; a < FEATURE_ATTRIBUTES.length; a++) {
      copyColumn(raw[a]!, history.raw[a]!, start, n);
      copyColumn(norm[a]!, history.norm[a]!, start, n);
    }
    capacityBytes[h] = history.capacityBytes;
    vendorCode[h] = history.vendorCode;
  }
  return { offsets, days, raw, norm, capacityBytes, vendorCode };
}

/**
 * A column shorter than its history reads as missing beyond its end, as in featurizeColumns. A plain loop: for
 * the short columns of daily histories it is several times faster than TypedArray.set.
 */
function copyColumn(target: Float64Array, source: Float64Array, start: number, n: number): void {
  const available = Math.min(n, source.length);
  for (let i = 0; i < available; i++) target[start + i] = source[i]!;
  for (let i = available; i < n; i++) target[start + i] = NaN;
}

/** Throws RangeError/TypeError for a malformed batch: both implementations see only valid batches. */
export function validateFeatureBatch(batch: FeatureBatch): void {
  const { offsets, days } = batch;
  if (!(offsets instanceof Int32Array) || offsets.length === 0) throw new TypeError('offsets must be a non-empty Int32Array');
  if (offsets[0] !== 0) throw new RangeError('offsets[0] must be 0');
  for (let h = 1; h < offsets.length; h++) {
    if (offsets[h]! < offsets[h - 1]!) throw new RangeError(`offsets must not decrease (offsets[${h}])`);
  }
  if (offsets[offsets.length - 1] !== days.length) throw new RangeError('offsets must end at days.length');
  const histories = batchHistoryCount(batch);
  if (batch.capacityBytes.length < histories || batch.vendorCode.length < histories) {
    throw new RangeError('capacityBytes and vendorCode need one entry per history');
  }
  if (batch.raw.length < FEATURE_ATTRIBUTES.length || batch.norm.length < FEATURE_ATTRIBUTES.length) {
    throw new TypeError(`raw and norm need ${FEATURE_ATTRIBUTES.length} columns`);
  }
}

/** The caller's output matrix for `rows` feature rows (or a new one), checked to be large enough. */
export function featureOutput(rows: number, out?: Float64Array): Float64Array {
  const needed = rows * FEATURE_COUNT;
  const result = out ?? new Float64Array(needed);
  if (result.length < needed) throw new RangeError(`output holds ${result.length} values, needs ${needed}`);
  return result;
}

/** The TypeScript twin of the native batch: featurizeColumns on each history's slice of the columns. */
export function featurizeBatchTs(batch: FeatureBatch, result: Float64Array): void {
  const histories = batchHistoryCount(batch);
  for (let h = 0; h < histories; h++) {
    const start = batch.offsets[h]!;
    const end = batch.offsets[h + 1]!;
    featurizeColumns(
      {
        days: batch.days.subarray(start, end),
        raw: batch.raw.map((column) => column.subarray(start, end)),
        norm: batch.norm.map((column) => column.subarray(start, end)),
        capacityBytes: batch.capacityBytes[h]!,
        vendorCode: batch.vendorCode[h]!,
      },
      result.subarray(start * FEATURE_COUNT),
    );
  }
}
