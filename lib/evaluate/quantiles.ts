/** Quartiles of a sample, used for lead times. */

export interface Quartiles {
  median: number;
  q1: number;
  q3: number;
  /** number of values summarised; all three figures are NaN when it is 0 */
  count: number;
}

/**
 * Quantile q of an ascending-sorted array by linear interpolation between order statistics
 * (Hyndman & Fan type 7, the default of R and numpy), so the median of an even count is the mean
 * of the two middle values. NaN for an empty array.
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (h - lo) * (b - a);
}

export function quartiles(values: readonly number[]): Quartiles {
  const sorted = Float64Array.from(values).sort();
  return {
    median: quantileSorted(sorted, 0.5),
    q1: quantileSorted(sorted, 0.25),
    q3: quantileSorted(sorted, 0.75),
    count: sorted.length,
  };
}
