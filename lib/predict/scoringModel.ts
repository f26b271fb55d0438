/**
 * The two heads of our model (p14, p42: boosted trees + Platt calibration): feature rows in,
 * probabilities out. Shared by training (validation scoring) and the predictor.
 */
import type { ModelHead } from '../models/modelSchema.js';
import { FEATURE_COUNT } from '../features/featurizeColumns.js';
import { predictRawRows } from '../native/index.js';

export interface ScoringModel {
  p14: ModelHead;
  p42: ModelHead;
}

export interface DayScores {
  p14: Float64Array;
  p42: Float64Array;
}

/** Scores rows 0..n−1 of a row-major feature matrix. */
export function scoreMatrix(model: ScoringModel, matrix: Float64Array, n: number): DayScores {
  // Forest sums through the native addon when built (bit-identical to gbdt.predictRaw per row).
  const raw14 = predictRawRows(model.p14.gbdt, matrix, n, FEATURE_COUNT);
  const raw42 = predictRawRows(model.p42.gbdt, matrix, n, FEATURE_COUNT);
  const p14 = new Float64Array(n);
  const p42 = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    p14[i] = model.p14.calibration.apply(raw14[i]!);
    p42[i] = model.p42.calibration.apply(raw42[i]!);
  }
  return { p14, p42 };
}

/** Calibrated probability of one head for one feature row. */
export function scoreRow(head: ModelHead, row: Float64Array, offset = 0): number {
  return head.calibration.apply(head.gbdt.predictRaw(row, offset));
}
