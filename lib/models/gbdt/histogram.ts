/**
 * Gradient/hessian histograms: for each feature, the sums of g and h of a node's rows per bin,
 * interleaved as hist[(f * BIN_SLOTS + bin) * 2] = Σg, [... + 1] = Σh. A child's histogram is
 * its parent's minus its sibling's, so only the smaller child is ever summed from rows.
 */
import { BIN_SLOTS, type BinnedMatrix } from './binning.js';

export const HIST_STRIDE = BIN_SLOTS * 2;

export function newHistogram(nFeatures: number): Float64Array {
  return new Float64Array(nFeatures * HIST_STRIDE);
}

/**
 * Sums the node's rows (rows[start..end), or rows start..end themselves when rows is null) into
 * hist for the listed features; g/h hold the node's gradients already gathered in row order.
 * hist must be zeroed for those features. Four features share one pass over the rows: the index
 * and gradient loads are amortised and four independent add chains hide the latency of repeated
 * hits on one bin (SMART columns are mostly a single value).
 */
export function buildHistogram(
  hist: Float64Array,
  binned: BinnedMatrix,
  features: Int32Array,
  rows: Uint32Array | null,
  start: number,
  end: number,
  g: Float64Array,
  h: Float64Array,
): void {
  const { bins, nRows } = binned;
  const count = end - start;
  const idx = rows ? rows.subarray(start, end) : null;
  let k = 0;
  for (; k + 4 <= features.length; k += 4) {
    const f0 = features[k]!;
    const f1 = features[k + 1]!;
    const f2 = features[k + 2]!;
    const f3 = features[k + 3]!;
    const c0 = bins.subarray(f0 * nRows, (f0 + 1) * nRows);
    const c1 = bins.subarray(f1 * nRows, (f1 + 1) * nRows);
    const c2 = bins.subarray(f2 * nRows, (f2 + 1) * nRows);
    const c3 = bins.subarray(f3 * nRows, (f3 + 1) * nRows);
    const b0 = f0 * HIST_STRIDE;
    const b1 = f1 * HIST_STRIDE;
    const b2 = f2 * HIST_STRIDE;
    const b3 = f3 * HIST_STRIDE;
    for (let i = 0; i < count; i++) {
      const r = idx ? idx[i]! : start + i;
      const gi = g[i]!;
      const hi = h[i]!;
      const s0 = b0 + (c0[r]! << 1);
      const s1 = b1 + (c1[r]! << 1);
      const s2 = b2 + (c2[r]! << 1);
      const s3 = b3 + (c3[r]! << 1);
      hist[s0] += gi;
      hist[s0 + 1] += hi;
      hist[s1] += gi;
      hist[s1 + 1] += hi;
      hist[s2] += gi;
      hist[s2 + 1] += hi;
      hist[s3] += gi;
      hist[s3 + 1] += hi;
    }
  }
  for (; k < features.length; k++) {
    const f = features[k]!;
    const col = bins.subarray(f * nRows, (f + 1) * nRows);
    const base = f * HIST_STRIDE;
    for (let i = 0; i < count; i++) {
      const slot = base + (col[idx ? idx[i]! : start + i]! << 1);
      hist[slot] += g[i]!;
      hist[slot + 1] += h[i]!;
    }
  }
}

/**
 * Histogram of every row (the root, all rows sampled): features stored sparsely sum only their
 * uncommon rows, and the common bin gets the remainder of the totals; the rest go through
 * buildHistogram. g/h are indexed by row.
 */
export function buildFullHistogram(
  hist: Float64Array,
  binned: BinnedMatrix,
  features: Int32Array,
  g: Float64Array,
  h: Float64Array,
  sumG: number,
  sumH: number,
): void {
  const { bins, nRows, commonBin, uncommonRows } = binned;
  const dense: number[] = [];
  for (let k = 0; k < features.length; k++) {
    const f = features[k]!;
    const rows = uncommonRows[f];
    if (!rows) {
      dense.push(f);
      continue;
    }
    const col = bins.subarray(f * nRows, (f + 1) * nRows);
    const base = f * HIST_STRIDE;
    let restG = sumG;
    let restH = sumH;
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      const slot = base + (col[r]! << 1);
      const gi = g[r]!;
      const hi = h[r]!;
      hist[slot] += gi;
      hist[slot + 1] += hi;
      restG -= gi;
      restH -= hi;
    }
    const common = base + (commonBin[f]! << 1);
    hist[common] += restG;
    hist[common + 1] += restH;
  }
  buildHistogram(hist, binned, Int32Array.from(dense), null, 0, nRows, g, h);
}

/** target = parent − sibling for the listed features (in place when target === parent). */
export function subtractHistogram(target: Float64Array, parent: Float64Array, sibling: Float64Array, features: Int32Array): void {
  for (let k = 0; k < features.length; k++) {
    const base = features[k]! * HIST_STRIDE;
    for (let i = base; i < base + HIST_STRIDE; i++) target[i] = parent[i]! - sibling[i]!;
  }
}

export function clearHistogram(hist: Float64Array, features: Int32Array): void {
  for (let k = 0; k < features.length; k++) {
    const base = features[k]! * HIST_STRIDE;
    hist.fill(0, base, base + HIST_STRIDE);
  }
}
