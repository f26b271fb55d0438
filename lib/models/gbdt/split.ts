/**
 * Best split of one node from its histogram. Gain is the Newton loss reduction
 * G_L²/(H_L+λ) + G_R²/(H_R+λ) − G²/(H+λ); missing values try both sides and keep the better.
 * Ties keep the first candidate in (feature, bin, missing-right-before-left) order, so the
 * choice never depends on anything but the data.
 */
import { MISSING_BIN } from './binning.js';
import { HIST_STRIDE } from './histogram.js';

export interface SplitCandidate {
  gain: number;
  feature: number;
  /** bins 1..bin go left */
  bin: number;
  defaultLeft: boolean;
  leftG: number;
  leftH: number;
}

/** Splits must beat this gain; guards against splitting on float noise. */
const MIN_GAIN = 1e-10;

export function findBestSplit(
  hist: Float64Array,
  features: Int32Array,
  binCounts: Int32Array,
  sumG: number,
  sumH: number,
  l2: number,
  minChildWeight: number,
): SplitCandidate | null {
  const parentScore = (sumG * sumG) / (sumH + l2);
  let best: SplitCandidate | null = null;
  let bestGain = MIN_GAIN;
  for (let k = 0; k < features.length; k++) {
    const f = features[k]!;
    const nBins = binCounts[f]!;
    if (nBins < 1) continue;
    const base = f * HIST_STRIDE;
    const missG = hist[base + MISSING_BIN * 2]!;
    const missH = hist[base + MISSING_BIN * 2 + 1]!;
    const hasMissing = missH > 0;
    let accG = 0;
    let accH = 0;
    // The last bin (b === nBins) sends every present value left: a pure "missing or not" split.
    const lastBin = hasMissing ? nBins : nBins - 1;
    for (let b = 1; b <= lastBin; b++) {
      accG += hist[base + b * 2]!;
      accH += hist[base + b * 2 + 1]!;
      {
        // missing right
        const rG = sumG - accG;
        const rH = sumH - accH;
        if (accH >= minChildWeight && rH >= minChildWeight) {
          const gain = (accG * accG) / (accH + l2) + (rG * rG) / (rH + l2) - parentScore;
          if (gain > bestGain) {
            bestGain = gain;
            // With no missing rows in training, send future missing values to the heavier side.
            best = { gain, feature: f, bin: b, defaultLeft: !hasMissing && accH >= rH, leftG: accG, leftH: accH };
          }
        }
      }
      if (hasMissing && b < nBins) {
        const lG = accG + missG;
        const lH = accH + missH;
        const rG = sumG - lG;
        const rH = sumH - lH;
        if (lH >= minChildWeight && rH >= minChildWeight) {
          const gain = (lG * lG) / (lH + l2) + (rG * rG) / (rH + l2) - parentScore;
          if (gain > bestGain) {
            bestGain = gain;
            best = { gain, feature: f, bin: b, defaultLeft: true, leftG: lG, leftH: lH };
          }
        }
      }
    }
  }
  return best;
}
