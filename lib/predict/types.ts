/**
 * What every predictor returns — ours, the rule scorer and Ceph's old models alike — so the CLI,
 * the daemon and the mgr module never care which one answered.
 */
import type { DeviceHistory } from '../smart/types.js';
import type { Familiarity } from './familiarity.js';
import type { AppliedOverride } from './overrides/types.js';

export type HealthStatus = 'Good' | 'Warning' | 'Bad' | 'Unknown';

/** Ceph's `predict_life_expectancy` strings. */
export type CephLifeExpectancy = '>6w' | '>=2w and <=6w' | '<2w' | 'unknown';

export interface LifeExpectancy {
  /** earliest expected failure, in days from when the prediction is made (the daemon counts from now) */
  fromDays: number;
  /** latest, in days; null = open-ended */
  toDays: number | null;
}

export interface PredictionReason {
  /** e.g. "smart_5_raw", "smart_197_raw_delta7", "nvme.media_errors" */
  feature: string;
  /** human text, e.g. "reallocated sectors (5) grew by 8 in 6 days (raises the 42-day risk)" */
  text: string;
  /**
   * Signed contribution: > 0 raises the risk, < 0 lowers it. Tree models: log-odds of the head that set the
   * status (p14 for Bad, p42 for Warning and Good); rules: the rule's level (2 Bad, 1 Warning).
   */
  contribution: number;
  value?: number;
  /** rule scorer only: the rule that fired, e.g. "grown defect list ≥ 1 → Warning" */
  rule?: string;
}

export interface ModelRef {
  name: string;
  version: string;
}

export interface Prediction {
  status: HealthStatus;
  /** probability of failure within 14 days (null when the model gives none: Ceph's models, the rule scorer) */
  p14: number | null;
  /** probability of failure within 42 days */
  p42: number | null;
  /** null when Unknown */
  lifeExpectancy: LifeExpectancy | null;
  cli: CephLifeExpectancy;
  /**
   * Why this status, strongest first: for Bad the features that raised p14, for Warning those that raised
   * p42, for Good those that lowered p42 (tree models); the rules that fired (rule scorer).
   */
  reasons: PredictionReason[];
  model: ModelRef;
  samplesUsed: number;
  /** why the status is Unknown (always set then) or anything else worth saying */
  reason?: string;
  /** predictor-specific detail (Ceph models: votes and score, per-window classes) */
  detail?: Record<string, unknown>;
  /** whether the drive's model/family/vendor was in training (lib/predict/familiarity.ts); absent: the predictor does not know what it was trained on */
  familiarity?: Familiarity;
  /** the operator's overrides that applied (set by withOverrides, lib/predict/overrides; [] = none matched) */
  overrides?: AppliedOverride[];
}

export interface PredictOptions {
  /** ms since epoch; defaults to the last sample's time */
  now?: number;
}

export interface Predictor {
  readonly model: ModelRef;
  /** reads `sample.ceph` (Ceph's old models): the readers build it only for such predictors */
  readonly needsCephDayDict?: boolean;
  predict(history: DeviceHistory, options?: PredictOptions): Prediction;
}

/** One causal score per sample: row i uses samples[0..i] only (batch scoring, evaluation). */
export interface DailyPrediction {
  time: number;
  p14: number | null;
  p42: number | null;
  status: HealthStatus;
  /** why the status is Unknown (always set then) */
  reason?: string;
}

/** A predictor that can score every day of a history in one pass (much faster than prefixes). */
export interface BatchPredictor extends Predictor {
  predictEachDay(history: DeviceHistory): DailyPrediction[];
}
