/**
 * Quantile binning: each feature's values are replaced by a small bin index so split finding sums
 * histograms instead of sorting. Bin 0 holds missing values (NaN); bins 1..k hold present values,
 * bin b (b < k) being the values v with edges[b-2] < v <= edges[b-1]; the last bin is unbounded
 * above. A split "bins 1..b go left" is therefore exactly `x <= edges[b-1]` on the raw value.
 */
import { SeededRandom } from './random.js';
import type { GbdtDataset } from './types.js';

export const MISSING_BIN = 0;
/** Histogram slots per feature: bin 0 (missing) plus at most 255 value bins. */
export const BIN_SLOTS = 256;
/** Rows drawn to place the quantile edges; more barely moves them and costs sorting time. */
const BIN_SAMPLE_ROWS = 100_000;
/** Rows binned together: their row-major slice stays in cache while every column is written. */
const BIN_BLOCK_ROWS = 2048;

export interface BinnedMatrix {
  nRows: number;
  nFeatures: number;
  /** column-major: bins[f * nRows + r] */
  bins: Uint8Array;
  /** per feature, ascending upper edges of the value bins except the last */
  edges: Float64Array[];
  /** per feature, its most frequent bin */
  commonBin: Uint8Array;
  /**
   * per feature, the rows outside its common bin when those are under half the rows, else null.
   * SMART counters are mostly 0: the root histogram then sums only these rows.
   */
  uncommonRows: (Uint32Array | null)[];
}

/** Upper edges for one feature from sorted present values: at most maxBins bins. */
export function quantileEdges(sorted: Float64Array, maxBins: number): Float64Array {
  const m = sorted.length;
  if (m === 0) return new Float64Array(0);
  const out: number[] = [];
  const max = sorted[m - 1]!;
  let distinct = 1;
  for (let i = 1; i < m && distinct <= maxBins; i++) if (sorted[i] !== sorted[i - 1]) distinct++;
  if (distinct <= maxBins) {
    // Few distinct values: one bin each, so every distinct threshold can be split on.
    for (let i = 0; i < m; i++) {
      const v = sorted[i]!;
      if (v !== max && (out.length === 0 || out[out.length - 1] !== v)) out.push(v);
    }
  } else {
    for (let k = 1; k < maxBins; k++) {
      const v = sorted[Math.floor((k * m) / maxBins) - 1]!;
      if (v !== max && (out.length === 0 || out[out.length - 1]! < v)) out.push(v);
    }
  }
  return Float64Array.from(out);
}

export function computeBinEdges(data: GbdtDataset, maxBins: number, seed: number): Float64Array[] {
  const { x, nRows, nFeatures } = data;
  const sample = new SeededRandom(seed ^ 0x5bd1e995).sampleIndices(nRows, Math.min(nRows, BIN_SAMPLE_ROWS));
  const m = sample.length;
  // Gather row by row (x is row-major) into one column-major buffer.
  const columns = new Float64Array(m * nFeatures);
  for (let i = 0; i < m; i++) {
    const at = sample[i]! * nFeatures;
    for (let f = 0; f < nFeatures; f++) columns[f * m + i] = x[at + f]!;
  }
  const edges: Float64Array[] = [];
  for (let f = 0; f < nFeatures; f++) {
    const col = columns.subarray(f * m, (f + 1) * m);
    let present = 0;
    for (let i = 0; i < m; i++) {
      const v = col[i]!;
      if (v === v) col[present++] = v;
    }
    edges.push(quantileEdges(col.subarray(0, present).sort(), maxBins));
  }
  return edges;
}

/** Bin index of a value: 0 for NaN, else 1 + the first edge it does not exceed. */
export function binOf(v: number, edges: Float64Array): number {
  if (v !== v) return MISSING_BIN;
  // Most SMART counters sit at their lowest value (0): skip the search for them.
  if (edges.length === 0 || v <= edges[0]!) return 1;
  let lo = 1;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (v <= edges[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo + 1;
}

export function binMatrix(data: GbdtDataset, edges: Float64Array[]): BinnedMatrix {
  const { x, nRows, nFeatures } = data;
  const bins = new Uint8Array(nRows * nFeatures);
  for (let r0 = 0; r0 < nRows; r0 += BIN_BLOCK_ROWS) {
    const r1 = Math.min(nRows, r0 + BIN_BLOCK_ROWS);
    for (let f = 0; f < nFeatures; f++) {
      const e = edges[f]!;
      const col = f * nRows;
      for (let r = r0, p = r0 * nFeatures + f; r < r1; r++, p += nFeatures) bins[col + r] = binOf(x[p]!, e);
    }
  }
  const commonBin = new Uint8Array(nFeatures);
  const uncommonRows: (Uint32Array | null)[] = [];
  const counts = new Uint32Array(BIN_SLOTS);
  for (let f = 0; f < nFeatures; f++) {
    const col = bins.subarray(f * nRows, (f + 1) * nRows);
    counts.fill(0);
    for (let r = 0; r < nRows; r++) counts[col[r]!]++;
    let common = 0;
    for (let b = 1; b < BIN_SLOTS; b++) if (counts[b]! > counts[common]!) common = b;
    commonBin[f] = common;
    const uncommon = nRows - counts[common]!;
    if (uncommon * 2 >= nRows) {
      uncommonRows.push(null);
      continue;
    }
    const list = new Uint32Array(uncommon);
    for (let r = 0, k = 0; r < nRows; r++) if (col[r] !== common) list[k++] = r;
    uncommonRows.push(list);
  }
  return { nRows, nFeatures, bins, edges, commonBin, uncommonRows };
}

/** Raw threshold for "bins 1..b go left": the upper edge of bin b, +∞ for the last bin. */
export function binThreshold(edges: Float64Array, b: number): number {
  return b - 1 < edges.length ? edges[b - 1]! : Infinity;
}
