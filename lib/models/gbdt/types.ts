/** Shapes shared by the gradient-boosted tree learner, its model and its JSON form. */

/** Training or validation rows. */
export interface GbdtDataset {
  /** row-major nRows × nFeatures; NaN = missing */
  x: Float32Array;
  nRows: number;
  nFeatures: number;
  /** labels, 0 or 1 */
  y: Uint8Array;
  /** per-row sample weight (default 1) */
  weight?: Float32Array;
}

export interface GbdtParams {
  /** seeds the row/feature subsampling and the binning sample */
  seed: number;
  learningRate: number;
  maxDepth: number;
  /** leaves per tree (default 2^maxDepth); trees grow best-gain-first up to this */
  maxLeaves?: number;
  /** minimum hessian sum in each child */
  minChildWeight: number;
  nRounds: number;
  /** stop when the validation loss has not improved for this many rounds (0 = never) */
  earlyStoppingRounds: number;
  /** value bins per feature, 2..255 (bin 0 is reserved for missing) */
  maxBins: number;
  /** L2 penalty on leaf values */
  l2: number;
  /** fraction of features drawn for each tree (default 1) */
  featureSubsample?: number;
  /** fraction of rows drawn for each round (default 1) */
  rowSubsample?: number;
  /** multiplies the weight of positive rows, for the ~1:1000 class imbalance (default 1) */
  positiveWeight?: number;
}

export const defaultGbdtParams: Readonly<GbdtParams> = Object.freeze({
  seed: 1,
  learningRate: 0.1,
  maxDepth: 6,
  minChildWeight: 1,
  nRounds: 200,
  earlyStoppingRounds: 20,
  maxBins: 255,
  l2: 1,
  featureSubsample: 1,
  rowSubsample: 1,
  positiveWeight: 1,
});

/**
 * One tree in JSON. Node i is a leaf when feature[i] === -1. Internal nodes send a row left when
 * `x[feature] <= threshold` (a null threshold means +∞: every present value goes left), and a
 * missing value (NaN) left when defaultLeft[i] === 1. value[i] is the node's Newton value
 * (learning rate applied): the leaf output for leaves, the path-contribution reference for internal
 * nodes. cover[i] is the node's training hessian sum. Children always have larger indices than
 * their parent, so traversal always ends.
 */
export interface GbdtTreeJson {
  feature: number[];
  threshold: (number | null)[];
  left: number[];
  right: number[];
  defaultLeft: number[];
  value: number[];
  cover: number[];
}

export interface GbdtModelJson {
  format: 'gbdt-binary-logloss';
  formatVersion: 1;
  nFeatures: number;
  /** log-odds added to every prediction */
  baseScore: number;
  /** rounds run before stopping; the first trees.length (best on validation) are kept */
  roundsTrained: number;
  trees: GbdtTreeJson[];
}
