/** Seeded synthetic datasets for the learner tests (generated here, no fixtures on disk). */
import type { GbdtDataset, GbdtParams } from '../../lib/models/index.js';

export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/** nFeatures uniform [0, 10) columns; `label` decides y from a row; `missing` blanks a cell. */
export function synthetic(
  nRows: number,
  nFeatures: number,
  seed: number,
  label: (row: Float32Array, rnd: () => number) => number,
  missing: (f: number, rnd: () => number) => boolean = () => false,
): GbdtDataset {
  const rnd = lcg(seed);
  const x = new Float32Array(nRows * nFeatures);
  const y = new Uint8Array(nRows);
  for (let r = 0; r < nRows; r++) {
    const row = x.subarray(r * nFeatures, (r + 1) * nFeatures);
    for (let f = 0; f < nFeatures; f++) row[f] = missing(f, rnd) ? NaN : rnd() * 10;
    y[r] = label(row, rnd);
  }
  return { x, nRows, nFeatures, y };
}

export const smallParams: GbdtParams = {
  seed: 7,
  learningRate: 0.3,
  maxDepth: 4,
  minChildWeight: 1,
  nRounds: 40,
  earlyStoppingRounds: 0,
  maxBins: 64,
  l2: 1,
};

/** Area under the ROC curve (ties count half). */
export function auc(scores: ArrayLike<number>, y: ArrayLike<number>): number {
  const idx = Array.from({ length: y.length }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let rankSum = 0;
  let nPos = 0;
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && scores[idx[j + 1]!] === scores[idx[i]!]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (y[idx[k]!]) {
      rankSum += rank;
      nPos++;
    }
    i = j + 1;
  }
  const nNeg = y.length - nPos;
  return (rankSum - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

export function scoresOf(d: GbdtDataset, predict: (row: Float32Array, offset: number) => number): Float64Array {
  const out = new Float64Array(d.nRows);
  for (let r = 0; r < d.nRows; r++) out[r] = predict(d.x, r * d.nFeatures);
  return out;
}
