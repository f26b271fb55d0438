/**
 * Leave-one-model-out: for each drive model M, train with every drive of M left out (same recipe, same
 * split, same settings), then measure that model on every drive of M in every file, training or
 * evaluation-only. This is how the default model behaves on a drive model it never saw, and where the
 * thresholds for unfamiliar drives come from.
 *
 * Per M it reports the by-model figures at the model's own statuses (byModel.ts) and the thresholds
 * M's healthy days would need: the lowest p14 (p42) threshold whose healthy per-day Bad (Warning) rate
 * is ≤ the budget, with the failed-drive catch rate there. Per-day, because several of the files are
 * isolated days or one-day snapshots where a per-drive rate means nothing.
 */
import { basename } from 'node:path';
import type { ByModelRow } from '../evaluate/byModel.js';
import { driveModelFilter, runEvaluate } from '../evaluate/evaluateRun.js';
import { parseModel, serializeModelDocument } from '../models/modelFile.js';
import { ModelPredictor } from '../predict/modelPredictor.js';
import type { DailyPrediction } from '../predict/types.js';
import type { DeviceHistory } from '../smart/types.js';
import { epochDay } from '../util/utcTime.js';
import type { FileRole } from './recipe.js';
import { thresholdAtRate } from './thresholdAtRate.js';
import { DEFAULT_BAD_FAR, DEFAULT_WARNING_FAR } from './alarmBudgets.js';
import { trainModel, type TrainOptions } from './trainModel.js';
import { driveModelKey } from '../smart/driveModelKey.js';

export interface LeaveOneModelOutOptions extends Pick<TrainOptions, 'files' | 'seed' | 'progress' | 'log' | 'params'> {
  roles: ReadonlyMap<string, FileRole>;
  /** drive models to leave out, one run each */
  models: readonly string[];
  badBudget?: number;
  warningBudget?: number;
  windowDays?: number;
}

export interface ThresholdNeed {
  /** lowest threshold keeping the healthy per-day rate within the budget (+Infinity if none) */
  threshold: number;
  healthyDayRate: number;
  /** failed drives with a day in [F − window, F] at or above the threshold */
  failedCaught: number;
}

export interface LeftOutModel {
  model: string;
  /** the run's model: thresholds and the drive models it was fitted on */
  thresholds: { bad: number; warning: number };
  trainedDriveModels: string[];
  row: ByModelRow | undefined;
  /** what M's own healthy days would need */
  badNeed: ThresholdNeed | null;
  warningNeed: ThresholdNeed | null;
  healthyDays: number;
  failedDrives: number;
  /**
   * The scores thresholds are chosen from, so runs can be pooled (thresholds for a familiarity class): the highest
   * 5 % of healthy-day p14 and p42 (descending), and every failed drive's window maximum.
   */
  scores: { healthyTop14: number[]; healthyTop42: number[]; failedMax14: number[]; failedMax42: number[] };
}

/** Collects p14/p42 per healthy day and the window maximum per failed drive, while runEvaluate scores them. */
class ScoreCollector extends ModelPredictor {
  healthy14: number[] = [];
  healthy42: number[] = [];
  failedMax14: number[] = [];
  failedMax42: number[] = [];
  windowDays = 30;

  override predictEachDay(history: DeviceHistory): DailyPrediction[] {
    const days = super.predictEachDay(history);
    const failIndex = history.samples.findIndex((s) => s.failure === true);
    if (failIndex < 0) {
      for (const d of days) if (d.p14 !== null) (this.healthy14.push(d.p14), this.healthy42.push(d.p42!));
    } else {
      const failDay = epochDay(history.samples[failIndex]!.time);
      let m14 = -Infinity;
      let m42 = -Infinity;
      for (const d of days) {
        const day = epochDay(d.time);
        if (day < failDay - this.windowDays || day > failDay || d.p14 === null) continue;
        m14 = Math.max(m14, d.p14);
        m42 = Math.max(m42, d.p42!);
      }
      this.failedMax14.push(m14);
      this.failedMax42.push(m42);
    }
    return days;
  }
}

function need(healthy: number[], failedMax: number[], budget: number): ThresholdNeed | null {
  const at = thresholdAtRate(healthy, budget);
  if (!at) return null;
  return {
    threshold: at.threshold,
    healthyDayRate: at.rate,
    failedCaught: failedMax.length ? failedMax.filter((v) => v >= at.threshold).length / failedMax.length : NaN,
  };
}

function topShare(values: number[], share: number): number[] {
  const sorted = Float64Array.from(values).sort().reverse();
  return Array.from(sorted.subarray(0, Math.ceil(share * sorted.length)));
}

/**
 * The files a left-out model is measured on: all of them except files of failure days only (no healthy
 * drive, one row per drive): their drives would swamp the failed histories with one-day cases that the
 * snapshot files (which have healthy drives beside them) already measure fairly.
 */
function lomoEvaluationFiles(files: readonly string[], uses: unknown): string[] {
  const summaries = Array.isArray(uses) ? (uses as Array<{ file: string; drives: number; failedDrives: number; rows: number }>) : [];
  const failureDaysOnly = new Set(summaries.filter((f) => f.failedDrives === f.drives && f.rows < 1.1 * f.drives).map((f) => f.file));
  return files.filter((f) => !failureDaysOnly.has(basename(f)));
}

export async function leaveOneModelOut(options: LeaveOneModelOutOptions): Promise<LeftOutModel[]> {
  const out: LeftOutModel[] = [];
  const windowDays = options.windowDays ?? 30;
  for (const model of options.models) {
    options.log?.(`leave-one-model-out: training without ${model}`);
    const result = await trainModel({
      files: options.files,
      roles: options.roles,
      seed: options.seed,
      excludeModels: new Set([driveModelKey(model)]),
      name: `without-${model.replace(/[^A-Za-z0-9._-]+/g, '_')}`,
      minFdr: 0,
      // the left-out model never has thresholds of its own, and scoring the others' training drives costs time
      driveModelThresholds: false,
      ...(options.params ? { params: options.params } : {}),
      ...(options.progress ? { progress: options.progress } : {}),
    });
    const doc = result.document;
    const collector = new ScoreCollector(parseModel(serializeModelDocument(doc), `model without ${model}`));
    collector.windowDays = windowDays;
    const evaluation = await runEvaluate(lomoEvaluationFiles(options.files, doc.validation['files']), [{ id: 'model', kind: 'model', predictor: collector }], {
      byModel: true,
      windowDays,
      bootstrapReplicates: 1,
      driveFilter: driveModelFilter([model]),
    });
    out.push({
      model,
      thresholds: { bad: doc.thresholds.bad, warning: doc.thresholds.warning },
      trainedDriveModels: doc.training.driveModels ?? [],
      row: evaluation.byModel?.find((r) => driveModelKey(r.model) === driveModelKey(model)),
      badNeed: need(collector.healthy14, collector.failedMax14, options.badBudget ?? DEFAULT_BAD_FAR),
      warningNeed: need(collector.healthy42, collector.failedMax42, options.warningBudget ?? DEFAULT_WARNING_FAR),
      healthyDays: collector.healthy14.length,
      failedDrives: collector.failedMax14.length,
      scores: {
        healthyTop14: topShare(collector.healthy14, 0.05),
        healthyTop42: topShare(collector.healthy42, 0.05),
        failedMax14: collector.failedMax14,
        failedMax42: collector.failedMax42,
      },
    });
    options.log?.(`leave-one-model-out: ${model} done`);
  }
  return out;
}
