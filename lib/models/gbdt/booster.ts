/**
 * Gradient boosting for binary log-loss: each round fits one Newton tree to the gradients of the
 * current scores on binned features, with optional seeded row/feature subsampling and early
 * stopping on the weighted validation loss.
 */
import { binMatrix, computeBinEdges, type BinnedMatrix } from './binning.js';
import { baseLogOdds, computeGradients, meanLogLoss } from './loss.js';
import { GbdtModel } from './model.js';
import { flattenForest, leafOf } from './predict.js';
import { SeededRandom } from './random.js';
import type { TreeArrays } from './tree.js';
import { growTree, GrowWorkspace, type GrownTree } from './treeGrowth.js';
import { defaultGbdtParams, type GbdtDataset, type GbdtParams } from './types.js';

export type GbdtProgress = (round: number, trainLoss: number, validLoss: number) => void;

/** Bad parameters or inconsistent dataset shapes. */
export class GbdtInputError extends Error {
  override readonly name = 'GbdtInputError';
}

function checkDataset(d: GbdtDataset, what: string, nFeatures?: number): void {
  const fail = (m: string): never => {
    throw new GbdtInputError(`${what}: ${m}`);
  };
  if (!Number.isInteger(d.nRows) || d.nRows < 0) fail(`nRows must be a non-negative integer, got ${d.nRows}`);
  if (!Number.isInteger(d.nFeatures) || d.nFeatures < 1) fail(`nFeatures must be a positive integer, got ${d.nFeatures}`);
  if (nFeatures !== undefined && d.nFeatures !== nFeatures) fail(`has ${d.nFeatures} features, training data has ${nFeatures}`);
  if (d.x.length !== d.nRows * d.nFeatures) fail(`x has ${d.x.length} values, expected nRows × nFeatures = ${d.nRows * d.nFeatures}`);
  if (d.y.length !== d.nRows) fail(`y has ${d.y.length} labels, expected ${d.nRows}`);
  if (d.weight && d.weight.length !== d.nRows) fail(`weight has ${d.weight.length} values, expected ${d.nRows}`);
  for (let i = 0; i < d.nRows; i++) if (d.y[i]! > 1) fail(`y[${i}] is ${d.y[i]}, labels must be 0 or 1`);
  if (d.weight) for (let i = 0; i < d.nRows; i++) if (!(d.weight[i]! >= 0)) fail(`weight[${i}] is ${d.weight[i]}, weights must be >= 0`);
}

function resolveParams(params: GbdtParams): Required<GbdtParams> {
  const p = { ...defaultGbdtParams, ...params } as Required<GbdtParams>;
  if (p.maxLeaves === undefined) p.maxLeaves = 2 ** Math.min(p.maxDepth, 16);
  const fail = (m: string): never => {
    throw new GbdtInputError(`GbdtParams: ${m}`);
  };
  if (!Number.isFinite(p.seed)) fail(`seed must be a finite number, got ${p.seed}`);
  if (!(p.learningRate > 0 && p.learningRate <= 1)) fail(`learningRate must be in (0, 1], got ${p.learningRate}`);
  if (!Number.isInteger(p.maxDepth) || p.maxDepth < 1 || p.maxDepth > 16) fail(`maxDepth must be an integer in 1..16, got ${p.maxDepth}`);
  if (!Number.isInteger(p.maxLeaves) || p.maxLeaves < 2) fail(`maxLeaves must be an integer >= 2, got ${p.maxLeaves}`);
  if (!(p.minChildWeight >= 0)) fail(`minChildWeight must be >= 0, got ${p.minChildWeight}`);
  if (!Number.isInteger(p.nRounds) || p.nRounds < 0) fail(`nRounds must be a non-negative integer, got ${p.nRounds}`);
  if (!Number.isInteger(p.earlyStoppingRounds) || p.earlyStoppingRounds < 0) fail(`earlyStoppingRounds must be a non-negative integer, got ${p.earlyStoppingRounds}`);
  if (!Number.isInteger(p.maxBins) || p.maxBins < 2 || p.maxBins > 255) fail(`maxBins must be an integer in 2..255, got ${p.maxBins}`);
  if (!(p.l2 >= 0)) fail(`l2 must be >= 0, got ${p.l2}`);
  // With both zero a leaf with no hessian would get an infinite value.
  if (p.l2 === 0 && p.minChildWeight === 0) fail('l2 and minChildWeight cannot both be 0');
  if (!(p.featureSubsample > 0 && p.featureSubsample <= 1)) fail(`featureSubsample must be in (0, 1], got ${p.featureSubsample}`);
  if (!(p.rowSubsample > 0 && p.rowSubsample <= 1)) fail(`rowSubsample must be in (0, 1], got ${p.rowSubsample}`);
  if (!(p.positiveWeight > 0 && Number.isFinite(p.positiveWeight))) fail(`positiveWeight must be a positive number, got ${p.positiveWeight}`);
  return p;
}

/** Per-row training weight: sample weight × positiveWeight for positives. */
function rowWeights(d: GbdtDataset, positiveWeight: number): Float64Array {
  const w = new Float64Array(d.nRows);
  for (let i = 0; i < d.nRows; i++) w[i] = (d.weight ? d.weight[i]! : 1) * (d.y[i] ? positiveWeight : 1);
  return w;
}

export function trainGbdt(data: GbdtDataset, valid: GbdtDataset | undefined, params: GbdtParams, onProgress?: GbdtProgress): GbdtModel {
  const p = resolveParams(params);
  checkDataset(data, 'training data');
  if (data.nRows === 0) throw new GbdtInputError('training data: no rows');
  if (valid) checkDataset(valid, 'validation data', data.nFeatures);
  const { nRows, nFeatures, y } = data;

  const edges = computeBinEdges(data, p.maxBins, p.seed);
  const binned = binMatrix(data, edges);
  const binCounts = Int32Array.from(edges, (e) => e.length + 1);
  const w = rowWeights(data, p.positiveWeight);
  const baseScore = baseLogOdds(y, w);
  const scores = new Float64Array(nRows).fill(baseScore);
  const grad = new Float64Array(nRows);
  const hess = new Float64Array(nRows);

  const validW = valid ? rowWeights(valid, p.positiveWeight) : new Float64Array(0);
  const validScores = new Float64Array(valid ? valid.nRows : 0).fill(baseScore);

  const rng = new SeededRandom(p.seed);
  const ws = new GrowWorkspace(nRows, nFeatures);
  const rows = new Uint32Array(nRows);
  const allFeatures = Int32Array.from({ length: nFeatures }, (_, i) => i);
  const nTreeFeatures = Math.max(1, Math.round(nFeatures * p.featureSubsample));
  const growParams = { maxDepth: p.maxDepth, maxLeaves: p.maxLeaves, minChildWeight: p.minChildWeight, l2: p.l2, learningRate: p.learningRate };

  const trees: TreeArrays[] = [];
  let bestLoss = Infinity;
  let bestRound = 0;
  let roundsTrained = 0;
  for (let round = 0; round < p.nRounds; round++) {
    computeGradients(scores, y, w, grad, hess);
    const nSampled = sampleRows(rows, nRows, p.rowSubsample, rng);
    const features = nTreeFeatures < nFeatures ? Int32Array.from(rng.sampleIndices(nFeatures, nTreeFeatures)) : allFeatures;
    const tree = growTree(binned, binCounts, rows.subarray(0, nSampled), grad, hess, features, growParams, ws);
    trees.push(toTreeArrays(tree));
    roundsTrained = round + 1;

    if (nSampled === nRows) addLeafValuesByRange(tree, rows, scores);
    else addTreeBinned(tree, binned, scores);
    let validLoss = NaN;
    if (valid && valid.nRows > 0) {
      addTreeRaw(trees[trees.length - 1]!, valid, validScores);
      validLoss = meanLogLoss(validScores, valid.y, validW);
    }
    if (onProgress) onProgress(round, meanLogLoss(scores, y, w), validLoss);

    if (validLoss === validLoss) {
      if (validLoss < bestLoss) {
        bestLoss = validLoss;
        bestRound = round + 1;
      } else if (p.earlyStoppingRounds > 0 && round + 1 - bestRound >= p.earlyStoppingRounds) break;
    } else {
      bestRound = round + 1;
    }
  }
  return new GbdtModel(nFeatures, baseScore, trees.slice(0, bestRound), roundsTrained);
}

/** Fills rows with this round's row sample (ascending); returns how many. */
function sampleRows(rows: Uint32Array, nRows: number, fraction: number, rng: SeededRandom): number {
  if (fraction >= 1) {
    for (let i = 0; i < nRows; i++) rows[i] = i;
    return nRows;
  }
  let k = 0;
  for (let i = 0; i < nRows; i++) if (rng.next() < fraction) rows[k++] = i;
  return k;
}

function toTreeArrays(t: GrownTree): TreeArrays {
  const { feature, threshold, left, right, defaultLeft, value, cover } = t;
  return { feature, threshold, left, right, defaultLeft, value, cover };
}

/** All rows were in the tree: each leaf's row range says which scores it updates. */
function addLeafValuesByRange(tree: GrownTree, rows: Uint32Array, scores: Float64Array): void {
  for (let node = 0; node < tree.feature.length; node++) {
    if (tree.feature[node]! >= 0) continue;
    const v = tree.value[node]!;
    for (let i = tree.rowStart[node]!; i < tree.rowEnd[node]!; i++) scores[rows[i]!] += v;
  }
}

/** Rows were subsampled: route every row through the tree on its bins. */
function addTreeBinned(tree: GrownTree, binned: BinnedMatrix, scores: Float64Array): void {
  const { bins, nRows } = binned;
  const { feature, splitBin, left, right, defaultLeft, value } = tree;
  for (let r = 0; r < nRows; r++) {
    let node = 0;
    let f = feature[0]!;
    while (f >= 0) {
      const b = bins[f * nRows + r]!;
      node = (b === 0 ? defaultLeft[node] === 1 : b <= splitBin[node]!) ? left[node]! : right[node]!;
      f = feature[node]!;
    }
    scores[r] += value[node]!;
  }
}

function addTreeRaw(tree: TreeArrays, d: GbdtDataset, scores: Float64Array): void {
  const forest = flattenForest([tree]);
  for (let r = 0; r < d.nRows; r++) scores[r] += forest.value[leafOf(forest, 0, d.x, r * d.nFeatures)]!;
}
