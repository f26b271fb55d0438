import type { ForestModel, ScalerModel, TreeModel } from './modelTypes.js';

/** scikit-learn's transform: subtract the center, then divide by the scale (float64). */
export function scale(scaler: ScalerModel, x: Float64Array): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    let v = x[i]!;
    if (scaler.center) v -= scaler.center[i]!;
    if (scaler.scale) v /= scaler.scale[i]!;
    out[i] = v;
  }
  return out;
}

/** The leaf a float32 input reaches: scikit-learn trees compare `x <= threshold` after casting X to float32. */
function treeLeaf(tree: TreeModel, x32: Float64Array): number {
  let node = 0;
  while (tree.left[node] !== -1) {
    node = x32[tree.feature[node]!]! <= tree.threshold[node]! ? tree.left[node]! : tree.right[node]!;
  }
  return node;
}

export interface ForestOutput {
  proba: number[];
  /** index into `classes` (first maximum) */
  classIndex: number;
  leaves: number[];
}

/** RandomForestClassifier.predict_proba for one row: per-tree normalised leaf counts, summed in tree order, / n. */
export function forestPredict(forest: ForestModel, x: Float64Array): ForestOutput {
  const nClasses = forest.classes.length;
  const x32 = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) x32[i] = Math.fround(x[i]!);
  const acc = new Array<number>(nClasses).fill(0);
  const leaves: number[] = [];
  for (const tree of forest.trees) {
    const leaf = treeLeaf(tree, x32);
    leaves.push(leaf);
    const base = leaf * nClasses;
    let total = 0;
    for (let c = 0; c < nClasses; c++) total += tree.value[base + c]!;
    if (total === 0) total = 1;
    for (let c = 0; c < nClasses; c++) acc[c] = acc[c]! + tree.value[base + c]! / total;
  }
  const proba = acc.map((p) => p / forest.trees.length);
  let classIndex = 0;
  for (let c = 1; c < nClasses; c++) if (proba[c]! > proba[classIndex]!) classIndex = c;
  return { proba, classIndex, leaves };
}
