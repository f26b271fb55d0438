/**
 * Path (Saabas) contributions: walking a row down a tree, each split moves the node value from
 * parent to child; that change is credited to the split's feature. The root value goes to the
 * bias, so per tree bias + Σ feature credits equals the leaf value exactly (up to rounding), and
 * over the forest the contributions (with the base score in the bias) sum to predictRaw.
 */
import { goesRight, type FlatForest } from './predict.js';

export function pathContributions(forest: FlatForest, baseScore: number, nFeatures: number, row: ArrayLike<number>, offset: number): Float64Array {
  const out = new Float64Array(nFeatures + 1);
  out[nFeatures] = baseScore;
  addPathContributions(forest, row, offset, out);
  return out;
}

/** Adds each tree's credits into out (length nFeatures + 1; the last slot is the bias). */
function addPathContributions(forest: FlatForest, row: ArrayLike<number>, offset: number, out: Float64Array): void {
  const { roots, feature, threshold, child, defaultLeft, value } = forest;
  const biasSlot = out.length - 1;
  for (let t = 0; t < roots.length; t++) {
    let node = roots[t]!;
    out[biasSlot] += value[node]!;
    let f = feature[node]!;
    while (f >= 0) {
      const next = child[node]! + goesRight(row[offset + f]!, threshold[node]!, defaultLeft[node]!);
      out[f] += value[next]! - value[node]!;
      node = next;
      f = feature[node]!;
    }
  }
}
