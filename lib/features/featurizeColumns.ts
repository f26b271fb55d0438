/**
 * The numeric core of the feature function: one drive's columnar daily history → an N × F matrix,
 * row i computed from days 0..i only (causal). Training, batch scoring and live prediction (last
 * row) all call this, so there is no train/serve skew. A native C++ port must reproduce it
 * bit for bit: everything below is plain loops over typed arrays, in the order written.
 *
 * INPUT (FeatureColumns)
 *   days      Int32Array[N]   epoch days (days since 1970-01-01 UTC), strictly ascending
 *   raw[a]    Float64Array[N] raw value of attribute FEATURE_ATTRIBUTES[a] per day, NaN = missing
 *   norm[a]   Float64Array[N] normalized value of the same attribute, NaN = missing
 *   capacityBytes  number (NaN = unknown)
 *   vendorCode     number (index into VENDOR_CODES; NaN = unknown)
 *
 * SANITIZING (per value, before anything else): raw < 0 or raw > 2^48 → NaN; normalized < 0 or
 *   > 255 → NaN. (The caller has already decoded temperatures 190/194 to °C, see attributeColumnValue.)
 *
 * OUTPUT: Float64Array[N × F], row-major, F = FEATURE_COUNT. For attribute slot a (a = 0..A−1,
 * A = FEATURE_ATTRIBUTES.length) the nine columns at a·9 + k are, with x = sanitized raw:
 *   k=0 raw      x[i]
 *   k=1 norm     sanitized norm[i]
 *   k=2 delta1   x[i] − x[j], j = the smallest index < i with days[j] ≥ days[i] − 1 and x[j] not NaN
 *   k=3 delta7   same with 7
 *   k=4 delta30  same with 30   (NaN when x[i] is NaN or no such j; for MONOTONIC attributes a
 *                negative change is a counter reset and gives NaN)
 *   k=5 grew     1 if some index l ≤ i has x[l] > x[p] where p is the last index < l with x[p] not
 *                NaN, else 0; NaN while no x value has been seen yet
 *   k=6 mean6    mean of the non-NaN x[j], j ≤ i with days[j] > days[i] − 6 (sum in index order,
 *                then divide); NaN if none
 *   k=7 std6     population std over the same values: sqrt(Σ (x[j] − mean6)² / n), index order;
 *                NaN if n < 2
 *   k=8 cv6      std6 / mean6; 0 when std6 = 0; NaN when std6 is NaN or mean6 = 0 with std6 > 0
 * Then AGGREGATE columns at A·9 + k, over the attributes of ERROR_SUM_ATTRIBUTES (sums taken in the
 * order of that list, skipping NaN; NaN when every term is NaN):
 *   k=0 error_raw_sum      Σ raw
 *   k=1 error_delta7_sum   Σ delta7
 *   k=2 error_delta30_sum  Σ delta30
 *   k=3 error_grew_count   Σ grew
 *   k=4 capacity_tb        capacityBytes / 1e12 (same value on every row)
 *   k=5 vendor             vendorCode (same value on every row)
 */

/** ATA attribute ids with features, in slot order. */
export const FEATURE_ATTRIBUTES: readonly number[] = Object.freeze([
  1, 3, 4, 5, 7, 9, 10, 12, 183, 184, 187, 188, 189, 190, 192, 193, 194, 196, 197, 198, 199, 240, 241, 242,
]);

/** Counters that only ever grow: a fall means the counter was reset (or the drive swapped). */
export const MONOTONIC_ATTRIBUTES: readonly number[] = Object.freeze([
  4, 5, 9, 10, 12, 183, 184, 187, 188, 189, 192, 193, 196, 198, 199, 240, 241, 242,
]);

/** The counters the Backblaze rule and the "sum of increases" baseline look at. */
export const ERROR_SUM_ATTRIBUTES: readonly number[] = Object.freeze([5, 187, 188, 197, 198]);

export const PER_ATTRIBUTE_KINDS: readonly string[] = Object.freeze([
  'raw',
  'normalized',
  'raw_delta1',
  'raw_delta7',
  'raw_delta30',
  'raw_grew',
  'raw_mean6',
  'raw_std6',
  'raw_cv6',
]);
export const AGGREGATE_NAMES: readonly string[] = Object.freeze([
  'error_raw_sum',
  'error_delta7_sum',
  'error_delta30_sum',
  'error_grew_count',
  'capacity_tb',
  'vendor',
]);

const KINDS = 9;
const A = FEATURE_ATTRIBUTES.length;
export const FEATURE_COUNT = A * KINDS + AGGREGATE_NAMES.length;

export const FEATURE_NAMES: readonly string[] = Object.freeze([
  ...FEATURE_ATTRIBUTES.flatMap((id) => PER_ATTRIBUTE_KINDS.map((k) => (k === 'normalized' ? `smart_${id}_normalized` : `smart_${id}_${k}`))),
  ...AGGREGATE_NAMES,
]);

const RAW_MAX = 2 ** 48;
const MONOTONIC_SLOT: Uint8Array = (() => {
  const m = new Uint8Array(A);
  for (let a = 0; a < A; a++) m[a] = MONOTONIC_ATTRIBUTES.includes(FEATURE_ATTRIBUTES[a]!) ? 1 : 0;
  return m;
})();
const ERROR_SUM_SLOTS: Int32Array = Int32Array.from(ERROR_SUM_ATTRIBUTES.map((id) => FEATURE_ATTRIBUTES.indexOf(id)));

export interface FeatureColumns {
  days: Int32Array;
  /** FEATURE_ATTRIBUTES.length columns of N raw values */
  raw: Float64Array[];
  /** FEATURE_ATTRIBUTES.length columns of N normalized values */
  norm: Float64Array[];
  capacityBytes: number;
  vendorCode: number;
}

export function featurizeColumns(input: FeatureColumns, out?: Float64Array): Float64Array {
  const n = input.days.length;
  const F = FEATURE_COUNT;
  const result = out ?? new Float64Array(n * F);
  if (result.length < n * F) throw new RangeError(`output holds ${result.length} values, needs ${n * F}`);
  const days = input.days;
  const x = new Float64Array(n);
  for (let a = 0; a < A; a++) {
    const rawCol = input.raw[a]!;
    const normCol = input.norm[a]!;
    const base = a * KINDS;
    const monotonic = MONOTONIC_SLOT[a] === 1;
    for (let i = 0; i < n; i++) {
      const v = rawCol[i]!;
      x[i] = v >= 0 && v <= RAW_MAX ? v : NaN; // NaN fails both comparisons
    }
    let grew = NaN;
    let lastValid = NaN;
    // Window starts only move forward (days ascend): lo[s] = first index with days ≥ days[i] − span.
    let lo1 = 0;
    let lo7 = 0;
    let lo30 = 0;
    let lo6 = 0;
    for (let i = 0; i < n; i++) {
      const today = days[i]!;
      while (days[lo1]! < today - 1) lo1++;
      while (days[lo7]! < today - 7) lo7++;
      while (days[lo30]! < today - 30) lo30++;
      while (days[lo6]! <= today - 6) lo6++;
      const row = i * F + base;
      const xi = x[i]!;
      result[row] = xi;
      const nv = normCol[i]!;
      result[row + 1] = nv >= 0 && nv <= 255 ? nv : NaN;
      for (let s = 0; s < 3; s++) {
        let d = NaN;
        if (xi === xi) {
          for (let j = s === 0 ? lo1 : s === 1 ? lo7 : lo30; j < i; j++) {
            if (x[j] === x[j]) {
              d = xi - x[j]!;
              break;
            }
          }
          if (monotonic && d < 0) d = NaN;
        }
        result[row + 2 + s] = d;
      }
      if (xi === xi) {
        if (grew !== grew) grew = 0;
        if (lastValid === lastValid && xi > lastValid) grew = 1;
        lastValid = xi;
      }
      result[row + 5] = grew;
      let cnt = 0;
      let sum = 0;
      for (let j = lo6; j <= i; j++) {
        if (x[j] === x[j]) {
          sum += x[j]!;
          cnt++;
        }
      }
      let mean = NaN;
      let std = NaN;
      if (cnt > 0) mean = sum / cnt;
      if (cnt >= 2) {
        let ss = 0;
        for (let j = lo6; j <= i; j++) {
          if (x[j] === x[j]) {
            const e = x[j]! - mean;
            ss += e * e;
          }
        }
        std = Math.sqrt(ss / cnt);
      }
      let cv = NaN;
      if (std === 0) cv = 0;
      else if (std === std && mean !== 0) cv = std / mean;
      result[row + 6] = mean;
      result[row + 7] = std;
      result[row + 8] = cv;
    }
  }
  const agg = A * KINDS;
  const capTb = input.capacityBytes / 1e12;
  for (let i = 0; i < n; i++) {
    const row = i * F;
    for (let k = 0; k < 4; k++) {
      const kind = k === 0 ? 0 : k === 1 ? 3 : k === 2 ? 4 : 5;
      let s = NaN;
      for (let e = 0; e < ERROR_SUM_SLOTS.length; e++) {
        const slot = ERROR_SUM_SLOTS[e]!;
        const v = result[row + slot * KINDS + kind]!;
        if (v === v) s = s === s ? s + v : v;
      }
      result[row + agg + k] = s;
    }
    result[row + agg + 4] = capTb;
    result[row + agg + 5] = input.vendorCode;
  }
  return result;
}
