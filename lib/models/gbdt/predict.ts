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
  const total = trees.reduce((n, t) => n + t.feature.length, 0);
  const flat: FlatForest = {
    roots: new Int32Array(trees.length),
    feature: new Int32Array(total),
    threshold: new Float64Array(total),
    child: new Int32Array(total).fill(-1),
    defaultLeft: new Uint8Array(total),
    value: new Float64Array(total),
  };
  let at = 0;
  trees.forEach((t, i) => {
    flat.roots[i] = at;
    // Breadth-first renumbering: `order` lists original node ids by their new position.
    const order = new Int32Array(t.feature.length);
    let filled = 1;
    for (let pos = 0; pos < filled; pos++) {
      const node = order[pos]!;
      const g = at + pos;
      flat.feature[g] = t.feature[node]!;
      flat.threshold[g] = t.threshold[node]!;
      flat.defaultLeft[g] = t.defaultLeft[node]!;
      flat.value[g] = t.value[node]!;
      if (t.feature[node]! >= 0) {
        flat.child[g] = at + filled;
        order[filled++] = t.left[node]!;
        order[filled++] = t.right[node]!;
      }
    }
    at += t.feature.length;
  });
  return flat;
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
