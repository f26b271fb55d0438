/**
 * Drive-disjoint K-fold cross-validation on the drives `train` may learn from (fit and early-stopping sides of
 * the split; never the validation side): the way to compare training settings without looking at the
 * validation drives. Each fold trains the p14 head on the other folds' fit drives, stops early on their
 * early-stopping drives, and scores every day of its own population-file drives; the figures are the
 * per-drive metrics of trainModel's report, averaged over the folds. Calibration is monotone, so raw scores
 * rank the drives as the calibrated p14 would.
 *
 * One fold split moves the 2018 figures by about 5 points at FAR 0.5 %, so `repeats` runs R different
 * splits (repeat r salts the fold hash and the learner seed with r; repeat 0 is the plain split) and the
 * report gives the mean over every fold of every repeat with the range of the per-repeat means.
 */
import { basename } from 'node:path';
import { columnsFromBackblazeDrive } from '../features/columnsFromBackblaze.js';
import { trainGbdt, type GbdtModel, type GbdtParams } from '../models/gbdt/index.js';
import { featurizeColumns, predictRawRows } from '../native/index.js'; // the addon when built, else the TypeScript functions
import type { BackblazeDrive } from '../smart/backblazeColumns.js';
import type { ProgressBar } from '../util/progressBar.js';
import { backblazeRuleScores } from './backblazeRule.js';
import { buildTrainingRows, DEFAULT_HEALTHY_STRIDE, headDataset } from './dataset.js';
import { serialBucket, DEFAULT_SPLIT } from '../evaluate/driveSplit.js';
import { DEFAULT_TRAIN_PARAMS, driveScores, fileMetrics, pct, type FileMetrics, type TrainOptions } from './trainModel.js';
import { loadTrainingDrives } from './trainingDrives.js';

export type CrossValidationOptions = Pick<TrainOptions, 'files' | 'seed' | 'split' | 'healthyStride' | 'params' | 'failedOnlyTraining' | 'quietPositiveWeight' | 'roles'> & {
  folds: number;
  /** independent fold splits (default 1) */
  repeats?: number;
  progress?: ProgressBar;
};

export interface CrossValidationResult {
  folds: number;
  repeats: number;
  /** per population file: per repeat, one FileMetrics per fold */
  perFile: { file: string; repeats: FileMetrics[][] }[];
}

export async function crossValidate(options: CrossValidationOptions): Promise<CrossValidationResult> {
  const { folds, seed } = options;
  const repeats = options.repeats ?? 1;
  if (!Number.isInteger(folds) || folds < 2) throw new Error(`cross-validation needs at least 2 folds, got ${folds}`);
  if (!Number.isInteger(repeats) || repeats < 1) throw new Error(`cross-validation needs at least 1 repeat, got ${repeats}`);
  options.progress?.update('loading data', 0, '', true);
  const { population, usable, sideOf, toTraining } = await loadTrainingDrives(options.files, seed, options.split ?? DEFAULT_SPLIT, {
    ...(options.roles ? { roles: options.roles } : {}),
    failedOnlyTraining: options.failedOnlyTraining ?? true,
  });
  const learnable = usable.filter((d) => sideOf(d) !== 'validation');
  const stride = options.healthyStride ?? DEFAULT_HEALTHY_STRIDE;
  const files = [...population].sort();
  const perFile = files.map((file) => ({ file: basename(file), repeats: [] as FileMetrics[][] }));
  const steps = repeats * folds;
  for (let r = 0; r < repeats; r++) {
    const salt = r === 0 ? 'cv-fold' : `cv-fold-${r}`;
    const foldOf = (d: BackblazeDrive) => Math.floor(serialBucket(d.serial, seed, salt) * folds);
    const params: GbdtParams = { ...DEFAULT_TRAIN_PARAMS, ...options.params, seed: seed + r };
    perFile.forEach((p) => p.repeats.push([]));
    for (let f = 0; f < folds; f++) {
      const step = r * folds + f;
      const rows = (side: 'fit' | 'earlyStop') =>
        buildTrainingRows(learnable.filter((d) => foldOf(d) !== f && sideOf(d) === side).map(toTraining), stride, options.quietPositiveWeight);
      const model = trainGbdt(headDataset(rows('fit'), 'p14'), headDataset(rows('earlyStop'), 'p14'), params, (round) =>
        options.progress?.update(
          repeats > 1 ? `repeat ${r + 1}/${repeats} fold ${f + 1}/${folds}` : `fold ${f + 1}/${folds}`,
          (step * params.nRounds + round + 1) / (steps * params.nRounds),
          `round ${round + 1}/${params.nRounds}`,
        ),
      );
      files.forEach((file, k) => {
        const held = learnable.filter((d) => foldOf(d) === f && d.file === file);
        perFile[k]!.repeats[r]!.push(fileMetrics(basename(file), held.map((d) => driveScores(d, rawScores(model, d))), held.map((d) => driveScores(d, backblazeRuleScores(d)))));
      });
    }
  }
  options.progress?.done();
  return { folds, repeats, perFile };
}

function rawScores(model: GbdtModel, drive: BackblazeDrive): Float64Array {
  return predictRawRows(model, featurizeColumns(columnsFromBackblazeDrive(drive)), drive.days.length);
}

/**
 * Mean over all folds of each figure: FDR at the FAR points, the rule's FDR and FAR, the model at the rule's
 * FAR. With several repeats, each FDR is followed by the range of the per-repeat means.
 */
export function formatCrossValidation(result: CrossValidationResult): string {
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const several = result.repeats > 1;
  const header = several ? `; mean over ${result.repeats} fold splits × ${result.folds} folds, [range of the split means]` : '; mean over folds';
  const lines = [`drive-disjoint ${result.folds}-fold cross-validation on the fit and early-stopping drives (validation drives untouched)${header}`];
  const figure = (repeats: FileMetrics[][], of: (m: FileMetrics) => number) => {
    const all = pct(mean(repeats.flat().map(of)));
    if (!several) return all;
    const perRepeat = repeats.map((folds) => mean(folds.map(of)));
    return `${all} [${pct(Math.min(...perRepeat))}–${pct(Math.max(...perRepeat))}]`;
  };
  for (const { file, repeats } of result.perFile) {
    const first = repeats[0]!;
    const failed = first.reduce((s, m) => s + m.model.failedDrives, 0);
    const healthy = first.reduce((s, m) => s + m.model.healthyDrives, 0);
    lines.push(`${file}: ${failed} failed / ${healthy} healthy held-out drives in all`);
    const points = first[0]!.model.points.map((p, j) => `${pct(p.far)} → ${figure(repeats, (m) => m.model.points[j]!.fdr)}`);
    lines.push(`  FDR at FAR ${points.join(', ')}`);
    lines.push(
      `  Backblaze rule: FDR ${pct(mean(repeats.flat().map((m) => m.rule.fdr)))} at FAR ${pct(mean(repeats.flat().map((m) => m.rule.far)))}; ` +
        `model at the rule's FAR: ${figure(repeats, (m) => m.modelAtRuleFar.points[0]!.fdr)}`,
    );
  }
  return lines.join('\n');
}
