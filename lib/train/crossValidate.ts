/**
 * Drive-disjoint K-fold cross-validation on the drives `train` may learn from (fit and early-stopping sides of
 * the split; never the validation side): the way to compare training settings without looking at the
 * validation drives. Each fold trains the p14 head on the other folds' fit drives, stops early on their
 * early-stopping drives, and scores every day of its own population-file drives; the figures are the
 * per-drive metrics of trainModel's report, averaged over the folds. Calibration is monotone, so raw scores
 * rank the drives as the calibrated p14 would.
 */
import { basename } from 'node:path';
import { columnsFromBackblazeDrive } from '../features/columnsFromBackblaze.js';
import { FEATURE_COUNT } from '../features/featurizeColumns.js';
import { trainGbdt, type GbdtModel, type GbdtParams } from '../models/gbdt/index.js';
import { featurizeColumns } from '../native/index.js'; // the addon when built, else the TypeScript function
import type { BackblazeDrive } from '../smart/backblazeColumns.js';
import type { ProgressBar } from '../util/progressBar.js';
import { backblazeRuleScores } from './backblazeRule.js';
import { buildTrainingRows, DEFAULT_HEALTHY_STRIDE, headDataset } from './dataset.js';
import { serialBucket, DEFAULT_SPLIT } from './split.js';
import { DEFAULT_TRAIN_PARAMS, driveScores, fileMetrics, pct, type FileMetrics, type TrainOptions } from './trainModel.js';
import { loadTrainingDrives } from './trainingDrives.js';

export type CrossValidationOptions = Pick<TrainOptions, 'files' | 'seed' | 'split' | 'healthyStride' | 'params' | 'failedOnlyTraining' | 'quietPositiveWeight'> & {
  folds: number;
  progress?: ProgressBar;
};

export interface CrossValidationResult {
  folds: number;
  /** per population file: one FileMetrics per fold */
  perFile: { file: string; folds: FileMetrics[] }[];
}

export async function crossValidate(options: CrossValidationOptions): Promise<CrossValidationResult> {
  const { folds, seed } = options;
  if (!Number.isInteger(folds) || folds < 2) throw new Error(`cross-validation needs at least 2 folds, got ${folds}`);
  options.progress?.update('loading data', 0, '', true);
  const { population, usable, sideOf, toTraining } = await loadTrainingDrives(options.files, seed, options.split ?? DEFAULT_SPLIT, options.failedOnlyTraining ?? true);
  const learnable = usable.filter((d) => sideOf(d) !== 'validation');
  const foldOf = (d: BackblazeDrive) => Math.floor(serialBucket(d.serial, seed, 'cv-fold') * folds);
  const stride = options.healthyStride ?? DEFAULT_HEALTHY_STRIDE;
  const params: GbdtParams = { ...DEFAULT_TRAIN_PARAMS, ...options.params, seed };
  const files = [...population].sort();
  const perFile = files.map((file) => ({ file: basename(file), folds: [] as FileMetrics[] }));
  for (let f = 0; f < folds; f++) {
    const rows = (side: 'fit' | 'earlyStop') =>
      buildTrainingRows(learnable.filter((d) => foldOf(d) !== f && sideOf(d) === side).map(toTraining), stride, options.quietPositiveWeight);
    const model = trainGbdt(headDataset(rows('fit'), 'p14'), headDataset(rows('earlyStop'), 'p14'), params, (round) =>
      options.progress?.update(`fold ${f + 1}/${folds}`, (f * params.nRounds + round + 1) / (folds * params.nRounds), `round ${round + 1}/${params.nRounds}`),
    );
    files.forEach((file, k) => {
      const held = learnable.filter((d) => foldOf(d) === f && d.file === file);
      perFile[k]!.folds.push(fileMetrics(basename(file), held.map((d) => driveScores(d, rawScores(model, d))), held.map((d) => driveScores(d, backblazeRuleScores(d)))));
    });
  }
  options.progress?.done();
  return { folds, perFile };
}

function rawScores(model: GbdtModel, drive: BackblazeDrive): Float64Array {
  const matrix = featurizeColumns(columnsFromBackblazeDrive(drive));
  const out = new Float64Array(drive.days.length);
  for (let i = 0; i < out.length; i++) out[i] = model.predictRaw(matrix, i * FEATURE_COUNT);
  return out;
}

/** Mean over folds of each figure: FDR at the FAR points, the rule's FDR and FAR, the model at the rule's FAR. */
export function formatCrossValidation(result: CrossValidationResult): string {
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const lines = [`drive-disjoint ${result.folds}-fold cross-validation on the fit and early-stopping drives (validation drives untouched); mean over folds`];
  for (const { file, folds } of result.perFile) {
    const failed = folds.reduce((s, m) => s + m.model.failedDrives, 0);
    const healthy = folds.reduce((s, m) => s + m.model.healthyDrives, 0);
    lines.push(`${file}: ${failed} failed / ${healthy} healthy held-out drives in all`);
    const points = folds[0]!.model.points.map((p, j) => `${pct(p.far)} → ${pct(mean(folds.map((m) => m.model.points[j]!.fdr)))}`);
    lines.push(`  FDR at FAR ${points.join(', ')}`);
    lines.push(
      `  Backblaze rule: FDR ${pct(mean(folds.map((m) => m.rule.fdr)))} at FAR ${pct(mean(folds.map((m) => m.rule.far)))}; ` +
        `model at the rule's FAR: ${pct(mean(folds.map((m) => m.modelAtRuleFar.points[0]!.fdr)))}`,
    );
  }
  return lines.join('\n');
}
