/**
 * Per-drive detection metrics: what an operator asks of a failure predictor ("how many failing
 * drives does it catch, how many healthy drives does it flag, how early").
 *
 * Definitions (the contract the training gate and `diskpredict evaluate` rely on):
 * - A threshold t flags a score s iff s ≥ t (ties are flagged). NaN scores (no score that day) are
 *   never flagged.
 * - A failed drive (failure on epoch day F) is detected at t iff some day d with
 *   F − windowDays ≤ d ≤ F − 1 has p14 ≥ t; its lead time is F − (first such d). Days outside that
 *   window (earlier, the failure day itself, or after it) count neither way.
 * - A failed drive with no scored day in the window (e.g. it failed on its first day, or has no
 *   `failDay`) is undetectable: it stays in the FDR denominator and is counted in
 *   `undetectableFailed`.
 * - A healthy drive is a false alarm at t iff any of its days has p14 ≥ t. A healthy drive with no
 *   scored day never alarms and stays in the FAR denominator.
 * - FDR = detected / failed drives; FAR = false alarms / healthy drives (NaN when the denominator
 *   is 0).
 * - "FDR at FAR x" uses the lowest threshold t, among the distinct per-drive scores of all drives
 *   (plus +Infinity, which flags nothing), with FAR(t) ≤ x. FAR only falls as t rises, so this is
 *   the threshold with the highest FDR that keeps the FAR budget. With no healthy drives the FAR
 *   budget is undefined and the point reports threshold, FDR and FAR as NaN.
 * - Precision = detected / (detected + W · false alarms), W = `healthyWeight` (default 1), which
 *   corrects for a down-sampled healthy population (W = 6.7 for a 15 % sample).
 */
import { quartiles, type Quartiles } from './quantiles.js';

export interface DriveScores {
  serial: string;
  vendor?: string;
  failed: boolean;
  /** epoch day (days since 1970-01-01 UTC) of the failure row */
  failDay?: number;
  /** epoch days, ascending */
  days: Int32Array;
  /** p14 per day; NaN = no score that day */
  p14: Float64Array;
}

export interface PerDriveOptions {
  /** FAR budgets, as fractions; default [0.001, 0.005, 0.01, 0.02] */
  farPoints?: number[];
  /** weight of each healthy drive in precision; default 1 */
  healthyWeight?: number;
  /** detection window length before the failure day; default 30 */
  windowDays?: number;
}

export type LeadDays = Quartiles;

export interface ThresholdResult {
  /** scores ≥ threshold are flagged; +Infinity flags nothing */
  threshold: number;
  fdr: number;
  /** the FAR actually reached at this threshold */
  farAchieved: number;
  detected: number;
  failedDrives: number;
  falseAlarms: number;
  healthyDrives: number;
  /** detected / (detected + healthyWeight · falseAlarms) */
  precision: number;
  leadDays: LeadDays;
}

export interface FarPointResult extends ThresholdResult {
  /** the FAR budget asked for */
  far: number;
}

export interface PerDriveMetrics {
  windowDays: number;
  healthyWeight: number;
  failedDrives: number;
  healthyDrives: number;
  /** failed drives without any scored day in the detection window (still in the denominator) */
  undetectableFailed: number;
  points: FarPointResult[];
}

export interface CurvePoint {
  threshold: number;
  detected: number;
  falseAlarms: number;
  fdr: number;
  far: number;
}

export interface FdrFarCurve {
  failedDrives: number;
  healthyDrives: number;
  /** descending thresholds; the first point is +Infinity (nothing flagged) */
  points: CurvePoint[];
}

export const DEFAULT_FAR_POINTS: readonly number[] = [0.001, 0.005, 0.01, 0.02];
export const DEFAULT_WINDOW_DAYS = 30;

/**
 * The one number per drive that decides whether a threshold flags it: max p14 over the detection
 * window (failed drives) or over all days (healthy drives); -Infinity when no day counts.
 */
export function driveScore(drive: DriveScores, windowDays = DEFAULT_WINDOW_DAYS): number {
  const { from, to } = scoredRange(drive, windowDays);
  let max = -Infinity;
  for (let i = 0; i < drive.days.length; i++) {
    const day = drive.days[i] as number;
    const p = drive.p14[i] as number;
    if (day >= from && day <= to && p > max) max = p; // NaN > max is false: skipped
  }
  return max;
}

/** Days of the drive that count: the detection window for a failed drive, every day otherwise. */
function scoredRange(drive: DriveScores, windowDays: number): { from: number; to: number } {
  if (!drive.failed) return { from: -Infinity, to: Infinity };
  if (drive.failDay === undefined) return { from: Infinity, to: -Infinity }; // nothing counts
  return { from: drive.failDay - windowDays, to: drive.failDay - 1 };
}

/** Days from the first flagged window day to the failure; undefined when not detected. */
export function leadTime(drive: DriveScores, threshold: number, windowDays = DEFAULT_WINDOW_DAYS): number | undefined {
  if (!drive.failed || drive.failDay === undefined) return undefined;
  const { from, to } = scoredRange(drive, windowDays);
  for (let i = 0; i < drive.days.length; i++) {
    const day = drive.days[i] as number;
    if (day >= from && day <= to && (drive.p14[i] as number) >= threshold) return drive.failDay - day;
  }
  return undefined;
}

function ratio(num: number, den: number): number {
  return den === 0 ? NaN : num / den;
}

/** Detection counts, lead times and precision at one threshold. */
export function evaluateAtThreshold(
  drives: readonly DriveScores[],
  threshold: number,
  options: Pick<PerDriveOptions, 'healthyWeight' | 'windowDays'> = {},
): ThresholdResult {
  const windowDays = options.windowDays ?? DEFAULT_WINDOW_DAYS;
  const healthyWeight = options.healthyWeight ?? 1;
  let failedDrives = 0;
  let healthyDrives = 0;
  let falseAlarms = 0;
  const leads: number[] = [];
  for (const drive of drives) {
    if (drive.failed) {
      failedDrives++;
      const lead = leadTime(drive, threshold, windowDays);
      if (lead !== undefined) leads.push(lead);
    } else {
      healthyDrives++;
      if (driveScore(drive, windowDays) >= threshold) falseAlarms++;
    }
  }
  const detected = leads.length;
  return {
    threshold,
    fdr: ratio(detected, failedDrives),
    farAchieved: ratio(falseAlarms, healthyDrives),
    detected,
    failedDrives,
    falseAlarms,
    healthyDrives,
    precision: ratio(detected, detected + healthyWeight * falseAlarms),
    leadDays: quartiles(leads),
  };
}

/** The exact FDR-vs-FAR curve: one point per distinct finite per-drive score, O(n log n). */
export function fdrFarCurve(drives: readonly DriveScores[], windowDays = DEFAULT_WINDOW_DAYS): FdrFarCurve {
  const scored: Array<{ score: number; failed: boolean }> = [];
  let failedDrives = 0;
  let healthyDrives = 0;
  for (const drive of drives) {
    if (drive.failed) failedDrives++;
    else healthyDrives++;
    const score = driveScore(drive, windowDays);
    if (score > -Infinity) scored.push({ score, failed: drive.failed });
  }
  scored.sort((a, b) => b.score - a.score);
  const points: CurvePoint[] = [
    { threshold: Infinity, detected: 0, falseAlarms: 0, fdr: ratio(0, failedDrives), far: ratio(0, healthyDrives) },
  ];
  let detected = 0;
  let falseAlarms = 0;
  for (let i = 0; i < scored.length; ) {
    const threshold = (scored[i] as { score: number }).score;
    // Every drive tied at this score is flagged by the same threshold.
    for (; i < scored.length && (scored[i] as { score: number }).score === threshold; i++) {
      if ((scored[i] as { failed: boolean }).failed) detected++;
      else falseAlarms++;
    }
    points.push({
      threshold,
      detected,
      falseAlarms,
      fdr: ratio(detected, failedDrives),
      far: ratio(falseAlarms, healthyDrives),
    });
  }
  return { failedDrives, healthyDrives, points };
}

/** True when `falseAlarms` of `healthyDrives` is within the FAR budget (tolerant of 0.001·1000). */
export function withinFarBudget(falseAlarms: number, healthyDrives: number, far: number): boolean {
  return falseAlarms <= far * healthyDrives * (1 + 1e-12);
}

/** Lowest curve threshold whose FAR is within the budget; NaN without healthy drives. */
export function thresholdAtFar(curve: FdrFarCurve, far: number): number {
  if (curve.healthyDrives === 0) return NaN;
  let best = Infinity;
  // FAR never falls as the threshold falls, so stop at the first point over budget.
  for (const point of curve.points) {
    if (!withinFarBudget(point.falseAlarms, curve.healthyDrives, far)) break;
    best = point.threshold;
  }
  return best;
}

export function perDriveMetrics(drives: readonly DriveScores[], options: PerDriveOptions = {}): PerDriveMetrics {
  const windowDays = options.windowDays ?? DEFAULT_WINDOW_DAYS;
  const healthyWeight = options.healthyWeight ?? 1;
  const farPoints = options.farPoints ?? DEFAULT_FAR_POINTS;
  const curve = fdrFarCurve(drives, windowDays);
  let undetectableFailed = 0;
  for (const drive of drives) if (drive.failed && driveScore(drive, windowDays) === -Infinity) undetectableFailed++;
  const points = farPoints.map((far): FarPointResult => {
    const threshold = thresholdAtFar(curve, far);
    if (Number.isNaN(threshold)) {
      return {
        far,
        ...evaluateAtThreshold(drives, Infinity, { healthyWeight, windowDays }),
        threshold: NaN,
        fdr: NaN,
        farAchieved: NaN,
        detected: 0,
        precision: NaN,
        leadDays: quartiles([]),
      };
    }
    return { far, ...evaluateAtThreshold(drives, threshold, { healthyWeight, windowDays }) };
  });
  return {
    windowDays,
    healthyWeight,
    failedDrives: curve.failedDrives,
    healthyDrives: curve.healthyDrives,
    undetectableFailed,
    points,
  };
}
