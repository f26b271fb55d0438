/**
 * Prediction over a forest flattened into one set of typed arrays, each tree laid out breadth-first
 * so a node's two children are adjacent (right = left + 1). The step to a child is then
 * `child[node] + goesRight`, computed without branches — tree paths are unpredictable, so this
 * saves a mispredicted jump per level.
 */
import type { TreeArrays } from './tree.js';

export interface FlatForest {
  roots: Int32Array;
  /** -1 for a leaf */
  feature: Int32Array;
  threshold: Float64Array;
  /** left child (global index); the right child is the next node */
  child: Int32Array;
  defaultLeft: Uint8Array;
  value: Float64Array;
}

export function flattenForest(trees: readonly TreeArrays[]): FlatForest {
  let total = 0;
  for (const t of trees) total += t.feature.length;
  const roots = new Int32Array(trees.length);
  const feature = new Int32Array(total);
  const threshold = new Float64Array(total);
  const child = new Int32Array(total).fill(-1);
  const defaultLeft = new Uint8Array(total);
  const value = new Float64Array(total);
  // Locals, not properties of the result: this runs once per model load, mostly before V8 has
  // optimized it, where every property lookup costs.
  const order = new Int32Array(trees.reduce((m, t) => Math.max(m, t.feature.length), 0));
  let at = 0;
  for (let i = 0; i < trees.length; i++) {
    const t = trees[i]!;
    const tFeature = t.feature;
    const tLeft = t.left;
    const tRight = t.right;
    const tThreshold = t.threshold;
    const tDefaultLeft = t.defaultLeft;
    const tValue = t.value;
    roots[i] = at;
    // Breadth-first renumbering: `order` lists original node ids by their new position.
    order[0] = 0;
    let filled = 1;
    for (let pos = 0; pos < filled; pos++) {
      const node = order[pos]!;
      const g = at + pos;
      const f = tFeature[node]!;
      feature[g] = f;
      threshold[g] = tThreshold[node]!;
      defaultLeft[g] = tDefaultLeft[node]!;
      value[g] = tValue[node]!;
      if (f >= 0) {
        child[g] = at + filled;
        order[filled++] = tLeft[node]!;
        order[filled++] = tRight[node]!;
      }
    }
    at += tFeature.length;
  }
  return { roots, feature, threshold, child, defaultLeft, value };
}

/**
 * 1 when the row goes to the right child: x > threshold, or x missing and the node's default is
 * right. (NaN fails every comparison, so `!(v <= t)` is 1 for it.)
 */
export function goesRight(v: number, threshold: number, defaultLeft: number): number {
  return +!(v <= threshold) & (+(v === v) | (defaultLeft ^ 1));
}

/** Leaf node reached by the row in the tree starting at `root`. */
export function leafOf(forest: FlatForest, root: number, row: ArrayLike<number>, offset: number): number {
  const { feature, threshold, child, defaultLeft } = forest;
  let node = root;
  let f = feature[node]!;
  while (f >= 0) {
    node = child[node]! + goesRight(row[offset + f]!, threshold[node]!, defaultLeft[node]!);
    f = feature[node]!;
  }
  return node;
}

/** Sum of leaf values over the forest (without the base score). */
export function forestScore(forest: FlatForest, row: ArrayLike<number>, offset: number): number {
  const { roots, feature, threshold, child, defaultLeft, value } = forest;
  let s = 0;
  for (let t = 0; t < roots.length; t++) {
    let node = roots[t]!;
    let f = feature[node]!;
    while (f >= 0) {
      node = child[node]! + goesRight(row[offset + f]!, threshold[node]!, defaultLeft[node]!);
      f = feature[node]!;
    }
    s += value[node]!;
  }
  return s;
}
