/**
 * Grows one regression tree on gradients/hessians, best-gain leaf first, up to maxLeaves leaves
 * and maxDepth levels. Rows of a node are a contiguous range of one index array, kept in
 * ascending order by a stable partition so column reads stay sequential.
 */
import type { BinnedMatrix } from './binning.js';
import { binThreshold, MISSING_BIN } from './binning.js';
import { buildFullHistogram, buildHistogram, clearHistogram, newHistogram, subtractHistogram } from './histogram.js';
import { findBestSplit, type SplitCandidate } from './split.js';
import type { TreeArrays } from './tree.js';

export interface GrowParams {
  maxDepth: number;
  maxLeaves: number;
  minChildWeight: number;
  l2: number;
  learningRate: number;
}

/** A grown tree: node arrays as in GbdtTreeJson plus the split bins for binned traversal. */
export interface GrownTree extends TreeArrays {
  splitBin: Int32Array;
  /** per leaf node: [start, end) of its rows in the `rows` array passed to growTree, else -1 */
  rowStart: Int32Array;
  rowEnd: Int32Array;
}

interface OpenLeaf {
  node: number;
  start: number;
  end: number;
  depth: number;
  hist: Float64Array | null;
  split: SplitCandidate | null;
}

/** Scratch buffers reused across trees so a round allocates nothing per node. */
export class GrowWorkspace {
  readonly g: Float64Array;
  readonly h: Float64Array;
  readonly spill: Uint32Array;
  private readonly pool: Float64Array[] = [];

  constructor(
    capacity: number,
    private readonly nFeatures: number,
  ) {
    this.g = new Float64Array(capacity);
    this.h = new Float64Array(capacity);
    this.spill = new Uint32Array(capacity);
  }

  acquire(features: Int32Array): Float64Array {
    const hist = this.pool.pop() ?? newHistogram(this.nFeatures);
    clearHistogram(hist, features);
    return hist;
  }

  release(hist: Float64Array | null): void {
    if (hist) this.pool.push(hist);
  }
}

export function growTree(
  binned: BinnedMatrix,
  binCounts: Int32Array,
  rows: Uint32Array,
  grad: Float64Array,
  hess: Float64Array,
  features: Int32Array,
  params: GrowParams,
  ws: GrowWorkspace,
): GrownTree {
  const maxNodes = 2 * params.maxLeaves - 1;
  const feature = new Int32Array(maxNodes).fill(-1);
  const threshold = new Float64Array(maxNodes);
  const left = new Int32Array(maxNodes).fill(-1);
  const right = new Int32Array(maxNodes).fill(-1);
  const defaultLeft = new Uint8Array(maxNodes);
  const value = new Float64Array(maxNodes);
  const cover = new Float64Array(maxNodes);
  const splitBin = new Int32Array(maxNodes);
  const rowStart = new Int32Array(maxNodes).fill(-1);
  const rowEnd = new Int32Array(maxNodes).fill(-1);
  const sumG = new Float64Array(maxNodes);
  const sumH = new Float64Array(maxNodes);
  const { l2, minChildWeight, maxDepth } = params;

  // Every row, in order: the root can read the columns directly, skipping the index array.
  const identityRows = rows.length === binned.nRows;
  const gatherAndBuild = (hist: Float64Array, start: number, end: number): void => {
    if (identityRows && start === 0 && end === rows.length) {
      buildFullHistogram(hist, binned, features, grad, hess, sumG[0]!, sumH[0]!);
      return;
    }
    for (let i = start; i < end; i++) {
      const r = rows[i]!;
      ws.g[i - start] = grad[r]!;
      ws.h[i - start] = hess[r]!;
    }
    buildHistogram(hist, binned, features, rows, start, end, ws.g, ws.h);
  };
  const canSplit = (node: number, depth: number): boolean => depth < maxDepth && sumH[node]! >= 2 * minChildWeight;
  const splitOf = (leaf: OpenLeaf): SplitCandidate | null =>
    leaf.hist ? findBestSplit(leaf.hist, features, binCounts, sumG[leaf.node]!, sumH[leaf.node]!, l2, minChildWeight) : null;

  let g0 = 0;
  let h0 = 0;
  for (let i = 0; i < rows.length; i++) {
    g0 += grad[rows[i]!]!;
    h0 += hess[rows[i]!]!;
  }
  sumG[0] = g0;
  sumH[0] = h0;
  let nNodes = 1;
  const open: OpenLeaf[] = [];
  const root: OpenLeaf = { node: 0, start: 0, end: rows.length, depth: 0, hist: null, split: null };
  if (canSplit(0, 0)) {
    root.hist = ws.acquire(features);
    gatherAndBuild(root.hist, 0, rows.length);
    root.split = splitOf(root);
  }
  open.push(root);

  let nLeaves = 1;
  while (nLeaves < params.maxLeaves) {
    let pick = -1;
    for (let i = 0; i < open.length; i++) {
      const s = open[i]!.split;
      if (s && (pick < 0 || s.gain > open[pick]!.split!.gain)) pick = i;
    }
    if (pick < 0) break;
    const leaf = open[pick]!;
    open.splice(pick, 1);
    const split = leaf.split!;
    const node = leaf.node;
    const f = split.feature;
    feature[node] = f;
    threshold[node] = binThreshold(binned.edges[f]!, split.bin);
    splitBin[node] = split.bin;
    defaultLeft[node] = split.defaultLeft ? 1 : 0;

    const mid = partitionRows(binned, rows, leaf.start, leaf.end, f, split.bin, split.defaultLeft, ws.spill);
    const l = nNodes++;
    const r = nNodes++;
    left[node] = l;
    right[node] = r;
    sumG[l] = split.leftG;
    sumH[l] = split.leftH;
    sumG[r] = sumG[node]! - split.leftG;
    sumH[r] = sumH[node]! - split.leftH;
    const depth = leaf.depth + 1;
    const lLeaf: OpenLeaf = { node: l, start: leaf.start, end: mid, depth, hist: null, split: null };
    const rLeaf: OpenLeaf = { node: r, start: mid, end: leaf.end, depth, hist: null, split: null };
    const lWants = canSplit(l, depth);
    const rWants = canSplit(r, depth);
    if (lWants || rWants) {
      // Sum the smaller child from rows; the larger is parent − smaller, computed in the parent's buffer.
      const [small, large] = mid - leaf.start <= leaf.end - mid ? [lLeaf, rLeaf] : [rLeaf, lLeaf];
      small.hist = ws.acquire(features);
      gatherAndBuild(small.hist, small.start, small.end);
      const parentHist = leaf.hist!;
      subtractHistogram(parentHist, parentHist, small.hist, features);
      large.hist = parentHist;
    } else {
      ws.release(leaf.hist);
    }
    for (const child of [lLeaf, rLeaf]) {
      if (child.hist && !canSplit(child.node, depth)) {
        ws.release(child.hist);
        child.hist = null;
      }
      child.split = splitOf(child);
      if (!child.split) {
        ws.release(child.hist);
        child.hist = null;
      }
      open.push(child);
    }
    nLeaves++;
  }
  for (const leaf of open) {
    ws.release(leaf.hist);
    rowStart[leaf.node] = leaf.start;
    rowEnd[leaf.node] = leaf.end;
  }

  for (let i = 0; i < nNodes; i++) {
    value[i] = (-sumG[i]! / (sumH[i]! + l2)) * params.learningRate;
    cover[i] = sumH[i]!;
  }
  return {
    feature: feature.slice(0, nNodes),
    threshold: threshold.slice(0, nNodes),
    left: left.slice(0, nNodes),
    right: right.slice(0, nNodes),
    defaultLeft: defaultLeft.slice(0, nNodes),
    value: value.slice(0, nNodes),
    cover: cover.slice(0, nNodes),
    splitBin: splitBin.slice(0, nNodes),
    rowStart: rowStart.slice(0, nNodes),
    rowEnd: rowEnd.slice(0, nNodes),
  };
}

/** Stable partition of rows[start..end): left-going rows first; returns the boundary. */
function partitionRows(
  binned: BinnedMatrix,
  rows: Uint32Array,
  start: number,
  end: number,
  f: number,
  bin: number,
  defaultLeft: boolean,
  spill: Uint32Array,
): number {
  const col = binned.bins.subarray(f * binned.nRows, (f + 1) * binned.nRows);
  let w = start;
  let s = 0;
  for (let i = start; i < end; i++) {
    const r = rows[i]!;
    const b = col[r]!;
    if (b === MISSING_BIN ? defaultLeft : b <= bin) rows[w++] = r;
    else spill[s++] = r;
  }
  rows.set(spill.subarray(0, s), w);
  return w;
}
