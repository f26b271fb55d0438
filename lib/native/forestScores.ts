/**
 * Raw (log-odds) scores of many feature rows under one boosted forest: the addon's loop when loaded, else
 * GbdtModel.predictRaw row by row. Scoring, not featurising, is where batch prediction spends its time
 * (bench/native.bench.ts), so this is the addon's main speed-up.
 */
import { FEATURE_COUNT } from '../features/featurizeColumns.js';
import type { GbdtModel, TreeArrays } from '../models/gbdt/index.js';
import { flattenForest, type FlatForest } from '../models/gbdt/predict.js';
import type { NativeAddon } from './addon.js';

/**
 * The layout native/forest_scores.cc walks: lib/models/gbdt's breadth-first flat forest (right child = left + 1,
 * so the step down is arithmetic), except that a leaf's child is itself, so rows walked in lock-step stay put
 * once they reach their leaf.
 */
type ConcatenatedForest = FlatForest;

function concatenateTrees(trees: readonly TreeArrays[]): ConcatenatedForest {
  const flat = flattenForest(trees);
  const child = flat.child.slice();
  for (let node = 0; node < child.length; node++) if (flat.feature[node]! < 0) child[node] = node;
  return { ...flat, child };
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
