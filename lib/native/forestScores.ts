/**
 * Raw (log-odds) scores of many feature rows under one boosted forest: the addon's loop when loaded, else
 * GbdtModel.predictRaw row by row. Scoring, not featurising, is where batch prediction spends its time
 * (bench/native.bench.ts), so this is the addon's main speed-up.
 */
import { FEATURE_COUNT } from '../features/featurizeColumns.js';
import type { GbdtModel, TreeArrays } from '../models/gbdt/index.js';
import type { NativeAddon } from './addon.js';

/**
 * The model's trees end to end, the layout native/forest_scores.cc walks: each tree renumbered breadth-first so a
 * node's children are adjacent (right = child + 1) and the step down is arithmetic, not a jump; a leaf's child is
 * itself, so stepping from a leaf stays put.
 */
interface ConcatenatedForest {
  roots: Int32Array;
  /** -1 for a leaf */
  feature: Int32Array;
  threshold: Float64Array;
  /** left child (global index); the right child is the next node */
  child: Int32Array;
  defaultLeft: Uint8Array;
  value: Float64Array;
}

function concatenateTrees(trees: readonly TreeArrays[]): ConcatenatedForest {
  const total = trees.reduce((n, t) => n + t.feature.length, 0);
  const forest: ConcatenatedForest = {
    roots: new Int32Array(trees.length),
    feature: new Int32Array(total).fill(-1),
    threshold: new Float64Array(total),
    child: Int32Array.from({ length: total }, (_, i) => i),
    defaultLeft: new Uint8Array(total),
    value: new Float64Array(total),
  };
  let at = 0;
  trees.forEach((tree, t) => {
    forest.roots[t] = at;
    const queue = [0]; // original node ids, in their new order
    for (let position = 0; position < queue.length; position++) {
      const node = queue[position]!;
      const global = at + position;
      forest.threshold[global] = tree.threshold[node]!;
      forest.defaultLeft[global] = tree.defaultLeft[node]!;
      forest.value[global] = tree.value[node]!;
      if (tree.feature[node]! >= 0) {
        forest.feature[global] = tree.feature[node]!;
        forest.child[global] = at + queue.length;
        queue.push(tree.left[node]!, tree.right[node]!);
        if (queue.length > tree.feature.length) throw new RangeError(`tree ${t}: a node is reached twice`);
      }
    }
    at += tree.feature.length;
  });
  return forest;
}

/** A model is immutable: concatenate its trees once. */
const concatenated = new WeakMap<GbdtModel, ConcatenatedForest>();

function forestOf(model: GbdtModel): ConcatenatedForest {
  let forest = concatenated.get(model);
  if (!forest) {
    forest = concatenateTrees(model.trees);
    concatenated.set(model, forest);
  }
  return forest;
}

/** out[i] = model.predictRaw(matrix, i · stride) for i < rows; bit-identical on both paths. */
export function predictRawRowsVia(
  addon: NativeAddon | null,
  model: GbdtModel,
  matrix: Float64Array,
  rows: number,
  stride: number = FEATURE_COUNT,
): Float64Array {
  if (!Number.isInteger(rows) || rows < 0) throw new RangeError(`rows must be a non-negative integer, got ${rows}`);
  if (!Number.isInteger(stride) || stride < model.nFeatures) {
    throw new RangeError(`stride ${stride} is smaller than the model's ${model.nFeatures} features`);
  }
  if (rows * stride > matrix.length) throw new RangeError(`matrix holds ${matrix.length} values, needs ${rows * stride}`);
  const out = new Float64Array(rows);
  if (addon) {
    const f = forestOf(model);
    addon.forestRawScores(f.roots, f.feature, f.threshold, f.child, f.defaultLeft, f.value, model.baseScore, matrix, rows, stride, out);
  } else {
    for (let i = 0; i < rows; i++) out[i] = model.predictRaw(matrix, i * stride);
  }
  return out;
}
