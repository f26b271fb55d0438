/**
 * `diskpredict evaluate`: scores every labelled drive with the model and the baselines in one pass
 * over the data (the same drives for all), then computes per-drive metrics, bootstrap intervals,
 * the operating point (each predictor's own Bad status), lead times and per-vendor rows.
 *
 * Drives in the evaluation: every healthy drive, and every failed drive with at least one row in
 * the detection window before its failure. A failed drive without such a row (a failure-day
 * snapshot, or a history that ends long before the failure) cannot be scored by anyone and is
 * reported as skipped rather than counted as a miss for every predictor.
 */
import type { ModelRef, Predictor } from '../predict/types.js';
import { bootstrapFdr, type FdrInterval } from './bootstrap.js';
import { compactScores } from './compactScores.js';
import type { DriveHistory } from './driveHistory.js';
import { epochDay } from '../util/utcTime.js';
import { driveStreamProgress, streamDrives, type DriveStreamOptions } from './driveStream.js';
import { IssueTally, type IssueCount } from './issueTally.js';
import {
  DEFAULT_FAR_POINTS,
  DEFAULT_WINDOW_DAYS,
  evaluateAtThreshold,
  fdrFarCurve,
  leadTime,
  perDriveMetrics,
  type CurvePoint,
  type DriveScores,
  type PerDriveMetrics,
  type ThresholdResult,
} from './perDriveMetrics.js';
import { ProgressBar } from '../util/progressBar.js';
import { badScore, dayScore, scoreEachDay, type ScoredDay } from './scoreEachDay.js';
import { ByModelAccumulator, type ByModelRow } from './byModel.js';
import { driveModelKey } from '../smart/driveModelKey.js';
import { thinCurve } from './thinCurve.js';

export interface EvaluatedPredictor {
  /** short id used in tables, e.g. "model", "backblaze-rule" */
  id: string;
  kind: 'model' | 'baseline';
  predictor: Predictor;
}

export interface EvaluateOptions extends Partial<Pick<DriveStreamOptions, 'partitions' | 'tmpDir'>> {
  farPoints?: number[];
  healthyWeight?: number;
  windowDays?: number;
  bootstrapReplicates?: number;
  seed?: number;
  progress?: ProgressBar;
  /** keep only these drives (e.g. the model's held-out split, one drive model); the rest are counted as skipped */
  driveFilter?: { keep: (drive: DriveHistory) => boolean; reason: string };
  /** also tally every drive per drive model (byModel.ts), failure-day snapshots included */
  byModel?: boolean;
}

export interface Coverage {
  driveDays: number;
  scoredDays: number;
  /** most frequent reasons for Unknown days */
  unknownReasons: Array<{ reason: string; count: number }>;
}

export interface OperatingPoint extends ThresholdResult {
  /** healthy drives not flagged */
  trueNegatives: number;
  /** failed drives not detected */
  missed: number;
}

export interface VendorRow {
  vendor: string;
  failedDrives: number;
  healthyDrives: number;
  /** per predictor id: its operating point on this vendor's drives */
  operatingPoints: Record<string, { fdr: number; far: number; detected: number; falseAlarms: number }>;
}

export interface PredictorResult {
  id: string;
  kind: 'model' | 'baseline';
  model: ModelRef;
  coverage: Coverage;
  metrics: PerDriveMetrics;
  intervals: FdrInterval[];
  operatingPoint: OperatingPoint;
  /** lead times (days) of the drives detected at the operating point */
  leadTimes: number[];
  curve: CurvePoint[];
}

export interface EvaluationResult {
  data: string[];
  windowDays: number;
  healthyWeight: number;
  farPoints: number[];
  failedDrives: number;
  healthyDrives: number;
  predictors: PredictorResult[];
  vendors: VendorRow[];
  /** with options.byModel */
  byModel?: ByModelRow[];
  issues: IssueCount[];
}

interface Accumulator {
  entry: EvaluatedPredictor;
  scores: DriveScores[];
  bad: DriveScores[];
  driveDays: number;
  scoredDays: number;
  unknownReasons: Map<string, number>;
}

const MAX_REASON_KINDS = 50;

/** The drive model string as the source gave it (Backblaze `model`), 'unknown' when absent. */
export function driveModelOf(drive: DriveHistory): string {
  const m = drive.history.samples.find((s) => s.device.model !== undefined && s.device.model !== '')?.device.model;
  return m === undefined ? 'unknown' : m.trim().replace(/\s+/g, ' ');
}

/** Keeps the drives of the given models (compared upper-cased, spaces collapsed). */
export function driveModelFilter(models: readonly string[]): { keep: (drive: DriveHistory) => boolean; reason: string } {
  const wanted = new Set(models.map(driveModelKey));
  return { keep: (d) => wanted.has(driveModelKey(driveModelOf(d))), reason: `drive model not among ${models.join(', ')}` };
}

function hasWindowRow(drive: DriveHistory, windowDays: number): boolean {
  if (drive.failDay === undefined) return true;
  return drive.history.samples.some((s) => {
    const d = epochDay(s.time);
    return d >= drive.failDay! - windowDays && d <= drive.failDay! - 1;
  });
}

function accumulate(acc: Accumulator, drive: DriveHistory, days: Int32Array, windowDays: number, daily: readonly ScoredDay[]): void {
  const scores = Float64Array.from(daily, dayScore);
  const bad = Float64Array.from(daily, badScore);
  acc.driveDays += daily.length;
  for (const [i, day] of daily.entries()) {
    if (!Number.isNaN(scores[i]!)) {
      acc.scoredDays++;
      continue;
    }
    const reason = day.reason ?? 'Unknown (no reason given)';
    if (acc.unknownReasons.has(reason) || acc.unknownReasons.size < MAX_REASON_KINDS) {
      acc.unknownReasons.set(reason, (acc.unknownReasons.get(reason) ?? 0) + 1);
    }
  }
  const label = { serial: drive.serial, vendor: drive.vendor, ...(drive.failDay !== undefined ? { failDay: drive.failDay } : {}) };
  acc.scores.push(compactScores(label, days, scores, windowDays));
  acc.bad.push(compactScores(label, days, bad, windowDays));
}

function operatingPoint(bad: readonly DriveScores[], healthyWeight: number, windowDays: number): OperatingPoint {
  const r = evaluateAtThreshold(bad, 1, { healthyWeight, windowDays });
  return { ...r, trueNegatives: r.healthyDrives - r.falseAlarms, missed: r.failedDrives - r.detected };
}

function vendorRows(accs: readonly Accumulator[], windowDays: number): VendorRow[] {
  const byVendor = new Map<string, number[]>();
  accs[0]?.bad.forEach((d, i) => {
    const v = d.vendor ?? 'unknown';
    if (!byVendor.has(v)) byVendor.set(v, []);
    byVendor.get(v)!.push(i);
  });
  return [...byVendor.entries()]
    .map(([vendor, idx]): VendorRow => {
      const operatingPoints: VendorRow['operatingPoints'] = {};
      let failedDrives = 0;
      let healthyDrives = 0;
      for (const acc of accs) {
        const r = evaluateAtThreshold(
          idx.map((i) => acc.bad[i]!),
          1,
          { windowDays },
        );
        failedDrives = r.failedDrives;
        healthyDrives = r.healthyDrives;
        operatingPoints[acc.entry.id] = { fdr: r.fdr, far: r.farAchieved, detected: r.detected, falseAlarms: r.falseAlarms };
      }
      return { vendor, failedDrives, healthyDrives, operatingPoints };
    })
    .sort((a, b) => b.failedDrives + b.healthyDrives - (a.failedDrives + a.healthyDrives));
}

export async function runEvaluate(paths: readonly string[], predictors: readonly EvaluatedPredictor[], options: EvaluateOptions = {}): Promise<EvaluationResult> {
  const windowDays = options.windowDays ?? DEFAULT_WINDOW_DAYS;
  const healthyWeight = options.healthyWeight ?? 1;
  const farPoints = options.farPoints ?? [...DEFAULT_FAR_POINTS];
  const tally = new IssueTally();
  const progress = options.progress ?? new ProgressBar();
  const accs: Accumulator[] = predictors.map((entry) => ({ entry, scores: [], bad: [], driveDays: 0, scoredDays: 0, unknownReasons: new Map() }));
  const byModel = options.byModel ? new ByModelAccumulator(windowDays) : undefined;
  let drivesSeen = 0;
  const drives = streamDrives(paths, {
    requireLabels: true,
    tally,
    ...(options.partitions !== undefined ? { partitions: options.partitions } : {}),
    ...(options.tmpDir !== undefined ? { tmpDir: options.tmpDir } : {}),
    ...driveStreamProgress(progress, () => drivesSeen),
  });
  try {
    for await (const drive of drives) {
      drivesSeen++;
      if (options.driveFilter && !options.driveFilter.keep(drive)) {
        tally.add('skipped', options.driveFilter.reason, 'drives', drive.serial);
        continue;
      }
      const inCurves = hasWindowRow(drive, windowDays);
      if (!inCurves) {
        const reason = drive.history.samples.every((s) => epochDay(s.time) >= drive.failDay!)
          ? 'failed drive without any day before its failure'
          : `failed drive without any row in the ${windowDays} days before its failure`;
        tally.add('skipped', byModel ? `${reason} (counted in the per-model table only)` : reason, 'drives', drive.serial);
        if (!byModel) continue;
      }
      const days = Int32Array.from(drive.history.samples, (s) => epochDay(s.time));
      const model = driveModelOf(drive);
      byModel?.addDrive(model, drive.vendor, drive.failDay, days, drive.history.samples);
      for (const acc of accs) {
        const daily = scoreEachDay(acc.entry.predictor, drive.history);
        if (inCurves) accumulate(acc, drive, days, windowDays, daily);
        byModel?.addStatuses(acc.entry.id, model, drive.vendor, drive.failDay, days, daily.map((d) => d.status));
      }
      // Slow predictors (Ceph's) take seconds per partition: show the drives as they go.
      progress.detail(`${drivesSeen} drives`);
    }
  } catch (err) {
    progress.done();
    throw err;
  }

  const results = accs.map((acc, i): PredictorResult => {
    progress.update('metrics and bootstrap intervals', i / accs.length, acc.entry.id, true);
    const metrics = perDriveMetrics(acc.scores, { farPoints, healthyWeight, windowDays });
    const op = operatingPoint(acc.bad, healthyWeight, windowDays);
    const leadTimes: number[] = [];
    for (const d of acc.bad) {
      const lead = leadTime(d, 1, windowDays);
      if (lead !== undefined) leadTimes.push(lead);
    }
    return {
      id: acc.entry.id,
      kind: acc.entry.kind,
      model: acc.entry.predictor.model,
      coverage: {
        driveDays: acc.driveDays,
        scoredDays: acc.scoredDays,
        unknownReasons: [...acc.unknownReasons.entries()].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count).slice(0, 5),
      },
      metrics,
      intervals: bootstrapFdr(acc.scores, {
        farPoints,
        windowDays,
        replicates: options.bootstrapReplicates ?? 1000,
        seed: options.seed ?? 1,
      }),
      operatingPoint: op,
      leadTimes,
      curve: thinCurve(fdrFarCurve(acc.scores, windowDays).points),
    };
  });
  progress.done();
  return {
    data: [...paths],
    windowDays,
    healthyWeight,
    farPoints,
    failedDrives: results[0]?.metrics.failedDrives ?? 0,
    healthyDrives: results[0]?.metrics.healthyDrives ?? 0,
    predictors: results,
    vendors: vendorRows(accs, windowDays),
    ...(byModel ? { byModel: byModel.rows() } : {}),
    issues: tally.list(),
  };
}
