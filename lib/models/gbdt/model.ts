/** A trained boosted forest for binary classification: raw log-odds, probability, explanation. */
import { pathContributions } from './contributions.js';
import { sigmoid } from './loss.js';
import { flattenForest, forestScore, type FlatForest } from './predict.js';
import type { TreeArrays } from './tree.js';
import type { GbdtModelJson, GbdtTreeJson } from './types.js';

export class GbdtModel {
  private readonly forest: FlatForest;

  constructor(
    readonly nFeatures: number,
    readonly baseScore: number,
    readonly trees: readonly TreeArrays[],
    /** rounds run before stopping; trees.length of them are kept (the best on validation) */
    readonly roundsTrained: number,
    /** flattenForest(trees), when already made (a compiled model file holds it) */
    forest?: FlatForest,
  ) {
    this.forest = forest ?? flattenForest(trees);
  }

  /** Log-odds including the base score. Reads row[offset .. offset + nFeatures). */
  predictRaw(row: ArrayLike<number>, offset = 0): number {
    return this.baseScore + forestScore(this.forest, row, offset);
  }

  /** Uncalibrated probability (sigmoid of predictRaw). */
  predictProba(row: ArrayLike<number>, offset = 0): number {
    return sigmoid(this.predictRaw(row, offset));
  }

  /** Per-feature path contributions; the last slot is the bias. They sum to predictRaw. */
  contributions(row: ArrayLike<number>, offset = 0): Float64Array {
    return pathContributions(this.forest, this.baseScore, this.nFeatures, row, offset);
  }

  toJSON(): GbdtModelJson {
    return {
      format: 'gbdt-binary-logloss',
      formatVersion: 1,
      nFeatures: this.nFeatures,
      baseScore: this.baseScore,
      roundsTrained: this.roundsTrained,
      trees: this.trees.map(treeToJson),
    };
  }
}

function treeToJson(t: TreeArrays): GbdtTreeJson {
  return {
    feature: Array.from(t.feature),
    // JSON has no Infinity: null stands for +∞ (see GbdtTreeJson).
    threshold: Array.from(t.threshold, (v) => (v === Infinity ? null : v)),
    left: Array.from(t.left),
    right: Array.from(t.right),
    defaultLeft: Array.from(t.defaultLeft),
    value: Array.from(t.value),
    cover: Array.from(t.cover),
  };
}
