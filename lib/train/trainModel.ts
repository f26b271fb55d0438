/**
 * The training pipeline: load Backblaze files → drive-disjoint split → training rows → two boosted
 * forests (p14, p42) with early stopping on separate drives → Platt calibration on those drives →
 * per-drive validation metrics on drives never trained on, next to the Backblaze rule → thresholds
 * for the false-alarm budgets → the gate → a model document.
 *
 * Data policy: files that contain healthy drives ("population" files) are used for training and
 * validation. Files of failed drives only cannot give a false-alarm rate, so they are never used
 * for metrics or thresholds; their training-side drives add failure histories to the training rows
 * only when they report every Backblaze-rule counter (5, 187, 188, 197, 198) and have more than one
 * day (otherwise the model would learn "this column is missing" = "this drive fails"). Their
 * validation-side drives are reported on (share flagged in the 30-day window / on the last day).
 */
import { basename } from 'node:path';
import { trainGbdt, type GbdtModel, type GbdtParams } from '../models/gbdt/index.js';
import { perDriveMetrics, type DriveScores, type PerDriveMetrics } from '../evaluate/perDriveMetrics.js';
import type { BackblazeDrive, BackblazeFileSummary } from '../smart/backblazeColumns.js';
import { columnsFromBackblazeDrive } from '../features/columnsFromBackblaze.js';
import { FEATURE_COUNT, FEATURE_NAMES } from '../features/featurizeColumns.js';
import { featurizeColumns } from '../native/index.js'; // the addon when built, else the TypeScript function
import { fitCalibration, type Calibration } from '../models/calibration.js';
import { MODEL_SCHEMA, MODEL_SCHEMA_VERSION, type ModelDocumentBody } from '../models/modelSchema.js';
import { scoreMatrix, type ScoringModel } from '../predict/scoringModel.js';
import { backblazeRuleScores } from './backblazeRule.js';
import { buildTrainingRows, DEFAULT_HEALTHY_STRIDE, headDataset, type TrainingDrive } from './dataset.js';
import { DEFAULT_SPLIT, type SplitFractions } from '../evaluate/driveSplit.js';
import { DEFAULT_BAD_FAR, DEFAULT_WARNING_FAR, DRIVE_MODEL_BAD_FLOOR_FAR } from './alarmBudgets.js';
import type { FileRole } from './recipe.js';
import { familiarityThresholds, MAX_THRESHOLD_ODDS_RATIO } from './familiarityThresholds.js';
import { driveModelThresholds, MIN_SELECTION_DRIVES, MIN_SMALL_POPULATION_DRIVES, selectionCounts, type SelectionDrive } from './driveModelThresholds.js';
import { driveModelKey } from '../smart/driveModelKey.js';
import type { LeftOutModel } from './leaveOneModelOut.js';
import { loadTrainingDrives } from './trainingDrives.js';
import { CENSOR_DAYS, HORIZON_P14, HORIZON_P42, P14_GRAY_ZONE_DAYS, QUIET_POSITIVE_WEIGHT } from './labels.js';
import type { ProgressBar } from '../util/progressBar.js';

export interface TrainOptions {
  files: string[];
  seed: number;
  name?: string;
  /** semver stored in the model (default 1.0.0) */
  version?: string;
  split?: SplitFractions;
  /** keep every k-th day of healthy drives for training rows (default DEFAULT_HEALTHY_STRIDE) */
  healthyStride?: number;
  params?: Partial<GbdtParams>;
  /** FAR budget of the Bad threshold and of the gate; default DEFAULT_BAD_FAR */
  badFar?: number;
  /** FAR budget of the Warning threshold; default DEFAULT_WARNING_FAR */
  warnFar?: number;
  /** add failure histories of failed-only files to the training rows (see the data policy); default true */
  failedOnlyTraining?: boolean;
  /** file roles from a recipe (recipe.ts); files not in it get an inferred role */
  roles?: ReadonlyMap<string, FileRole>;
  /** the recipe the files came from, recorded in the model file */
  recipe?: string;
  /** drive models never trained on (leave-one-model-out; driveModelKey form) */
  excludeModels?: ReadonlySet<string>;
  /** leave-one-model-out runs to choose the thresholds of unfamiliar drives on (familiarityThresholds.ts) */
  leftOutRuns?: readonly LeftOutModel[];
  /** choose Bad thresholds per drive model on the training-side drives (driveModelThresholds.ts); default true */
  driveModelThresholds?: boolean;
  /** weight of quiet positive p14 rows (see labels.ts); default QUIET_POSITIVE_WEIGHT */
  quietPositiveWeight?: number;
  /** minimum validation FDR at badFar for the gate */
  minFdr?: number;
  progress?: ProgressBar;
  log?: (line: string) => void;
}

export const DEFAULT_TRAIN_PARAMS: Omit<GbdtParams, 'seed'> = {
  learningRate: 0.05,
  maxDepth: 6,
  maxLeaves: 31,
  minChildWeight: 5,
  nRounds: 200,
  earlyStoppingRounds: 0,
  maxBins: 64,
  l2: 5,
  featureSubsample: 0.6,
  rowSubsample: 0.8,
  positiveWeight: 3,
};

export interface FileMetrics {
  file: string;
  model: PerDriveMetrics;
  rule: { fdr: number; far: number; detected: number; falseAlarms: number; failedDrives: number; healthyDrives: number };
  /** our FDR at the rule's own FAR */
  modelAtRuleFar: PerDriveMetrics;
}

/** How training used a file: its role (recipe.ts). */
export interface TrainingFileUse {
  file: string;
  sha256: string;
  rows: number;
  badRows: number;
  drives: number;
  failedDrives: number;
  firstDay: string;
  lastDay: string;
  use: FileRole;
}

export interface TrainResult {
  document: ModelDocumentBody;
  gate: { passed: boolean; reasons: string[]; fdr: number; far: number; minFdr: number; ruleFdrAtEqualFar: number };
  metrics: FileMetrics[];
}

const DEFAULT_FAR_POINTS = [0.001, 0.005, 0.01, 0.02];

export async function trainModel(options: TrainOptions): Promise<TrainResult> {
  const log = options.log ?? (() => {});
  const split = options.split ?? DEFAULT_SPLIT;
  const badFar = options.badFar ?? DEFAULT_BAD_FAR;
  const warnFar = options.warnFar ?? DEFAULT_WARNING_FAR;
  const minFdr = options.minFdr ?? 0.25;
  const files = [...options.files].sort((a, b) => basename(a).localeCompare(basename(b)));
  options.progress?.update('loading data', 0, '', true);
  const { load, population, roles, usable, sideOf, toTraining } = await loadTrainingDrives(files, options.seed, split, {
    ...(options.roles ? { roles: options.roles } : {}),
    ...(options.excludeModels ? { excludeModels: options.excludeModels } : {}),
    failedOnlyTraining: options.failedOnlyTraining ?? true,
  });
  const fitDrives = usable.filter((d) => sideOf(d) === 'fit').map(toTraining);
  const stopDrives = usable.filter((d) => sideOf(d) === 'earlyStop').map(toTraining);
  const stride = options.healthyStride ?? DEFAULT_HEALTHY_STRIDE;
  const quietWeight = options.quietPositiveWeight ?? QUIET_POSITIVE_WEIGHT;
  const fitRows = buildTrainingRows(fitDrives, stride, quietWeight);
  const stopRows = buildTrainingRows(stopDrives, stride, quietWeight);
  log(`training rows: ${fitRows.nRows} (early-stopping rows: ${stopRows.nRows}), features: ${FEATURE_COUNT}`);

  const params: GbdtParams = { ...DEFAULT_TRAIN_PARAMS, ...options.params, seed: options.seed };
  const train = (which: 'p14' | 'p42', step: number): GbdtModel =>
    trainGbdt(headDataset(fitRows, which), headDataset(stopRows, which), params, (round) =>
      options.progress?.update(`training ${which}`, (step * params.nRounds + round + 1) / (2 * params.nRounds), `round ${round + 1}/${params.nRounds}`),
    );
  const p14 = train('p14', 0);
  const p42 = train('p42', 1);
  options.progress?.done();

  const calibrate = (m: GbdtModel, y: Uint8Array, w?: Float32Array): Calibration => {
    const raw = new Float64Array(stopRows.nRows);
    for (let i = 0; i < stopRows.nRows; i++) raw[i] = m.predictRaw(stopRows.x, i * FEATURE_COUNT);
    return fitCalibration(raw, y, w);
  };
  const model: ScoringModel = {
    p14: { gbdt: p14, calibration: calibrate(p14, stopRows.y14, stopRows.c14) },
    p42: { gbdt: p42, calibration: calibrate(p42, stopRows.y42) },
  };

  // Validation: every day of every validation drive, scored causally.
  const validation = load.drives.filter((d) => sideOf(d) === 'validation');
  const scored = validation.map((d) => ({ drive: d, scores: scoreDrive(model, d), rule: backblazeRuleScores(d) }));
  const popScored = scored.filter((s) => population.has(s.drive.file));
  const asDrive = (s: (typeof scored)[number], which: 'p14' | 'p42' | 'rule'): DriveScores =>
    driveScores(s.drive, which === 'rule' ? s.rule : which === 'p14' ? s.scores.p14 : s.scores.p42);

  const metrics: FileMetrics[] = [];
  const groups = [...population].sort().map((f) => ({ file: basename(f), items: popScored.filter((s) => s.drive.file === f) }));
  if (groups.length > 1) groups.push({ file: 'all population files', items: popScored });
  for (const g of groups) metrics.push(fileMetrics(g.file, g.items.map((s) => asDrive(s, 'p14')), g.items.map((s) => asDrive(s, 'rule'))));

  const all14 = popScored.map((s) => asDrive(s, 'p14'));
  const all42 = popScored.map((s) => asDrive(s, 'p42'));
  const badPoint = perDriveMetrics(all14, { farPoints: [badFar] }).points[0]!;
  const p42Points = perDriveMetrics(all42, { farPoints: [warnFar, DRIVE_MODEL_BAD_FLOOR_FAR], windowDays: HORIZON_P42 }).points;
  const warnPoint = p42Points[0]!;
  const bad = finiteOr(badPoint.threshold, 1);
  // The schema wants warning ≤ bad (a Bad drive is also a Warning drive).
  const baseThresholds = { bad, warning: Math.min(finiteOr(warnPoint.threshold, 1), bad) };
  const familiarity = options.leftOutRuns ? familiarityThresholds(options.leftOutRuns, baseThresholds, { bad: badFar, warning: warnFar }) : undefined;
  const fittedModels = [...new Set(fitDrives.map((t) => t.drive.model).filter((m) => m !== ''))].sort();
  const byDriveModel = (options.driveModelThresholds ?? true) ? driveModelThresholds(selectionDrives(model, usable, sideOf, roles, fittedModels), { ...baseThresholds, badFloor: Math.min(finiteOr(p42Points[1]!.threshold, 1), bad) }) : undefined;
  const thresholds = {
    ...baseThresholds,
    falseAlarmBudget: badFar,
    ...(familiarity && Object.keys(familiarity.thresholds).length > 0 ? { byFamiliarity: familiarity.thresholds } : {}),
    ...(byDriveModel && byDriveModel.choices.length > 0 ? { byDriveModel: byDriveModel.thresholds } : {}),
  };

  const reportOnly = scored
    .filter((s) => !population.has(s.drive.file))
    .reduce((m, s) => {
      const f = basename(s.drive.file);
      const r = m.get(f) ?? { failedDrives: 0, flaggedInWindow: 0, flaggedOnLastDay: 0 };
      if (s.drive.failDay >= 0) {
        r.failedDrives++;
        const n = s.drive.days.length;
        let inWindow = false;
        for (let i = 0; i < n; i++) {
          const d = s.drive.days[i]!;
          if (d >= s.drive.failDay - 30 && d <= s.drive.failDay - 1 && s.scores.p14[i]! >= bad) inWindow = true;
        }
        if (inWindow) r.flaggedInWindow++;
        if (s.scores.p14[n - 1]! >= bad) r.flaggedOnLastDay++;
      }
      m.set(f, r);
      return m;
    }, new Map<string, { failedDrives: number; flaggedInWindow: number; flaggedOnLastDay: number }>());

  // Gate: on the combined population validation drives.
  const gateMetrics = metrics[metrics.length - 1]!;
  const gatePoint = gateMetrics.model.points.find((p) => p.far === badFar) ?? perDriveMetrics(all14, { farPoints: [badFar] }).points[0]!;
  const reasons: string[] = [];
  if (!(gatePoint.fdr >= minFdr)) reasons.push(`validation FDR ${pct(gatePoint.fdr)} at FAR ≤ ${pct(badFar)} is below the floor ${pct(minFdr)}`);
  const atRule = gateMetrics.modelAtRuleFar.points[0]!;
  if (!(atRule.fdr >= gateMetrics.rule.fdr)) reasons.push(`at the Backblaze rule's FAR ${pct(gateMetrics.rule.far)} the model's FDR ${pct(atRule.fdr)} is below the rule's ${pct(gateMetrics.rule.fdr)}`);
  const ruleAtGateFar = gateMetrics.rule.far <= badFar ? gateMetrics.rule.fdr : 0;
  if (!(gatePoint.fdr > ruleAtGateFar)) reasons.push(`FDR ${pct(gatePoint.fdr)} does not beat the Backblaze rule at equal FAR (${pct(ruleAtGateFar)})`);

  const trainingFiles: TrainingFileUse[] = load.files.map((f: BackblazeFileSummary) => ({
    file: basename(f.file),
    sha256: f.sha256,
    rows: f.rows,
    badRows: f.badRows,
    drives: f.drives,
    failedDrives: f.failedDrives,
    firstDay: f.firstDay,
    lastDay: f.lastDay,
    use: roles.get(f.file)!,
  }));
  const trainedOnFiles = new Set(fitDrives.map((t) => basename(t.drive.file)));
  const used = trainingFiles.filter((f) => trainedOnFiles.has(f.file));
  const firstDay = used.map((f) => f.firstDay).sort()[0] ?? '1970-01-01';
  const created = used.map((f) => f.lastDay).sort().at(-1) ?? '1970-01-01';
  const count = (ds: TrainingDrive[], failed: boolean) => ds.filter((d) => d.drive.failDay >= 0 === failed).length;
  const trainedOn = [...fitDrives, ...stopDrives];
  const document: ModelDocumentBody = {
    schema: MODEL_SCHEMA,
    schemaVersion: MODEL_SCHEMA_VERSION,
    name: options.name ?? 'diskpredict-gbdt',
    version: options.version ?? '1.0.0',
    created,
    features: [...FEATURE_NAMES],
    heads: {
      p14: { trees: p14.toJSON(), calibration: model.p14.calibration.toJSON() },
      p42: { trees: p42.toJSON(), calibration: model.p42.calibration.toJSON() },
    },
    thresholds,
    training: {
      files: trainingFiles.map((f) => ({ name: f.file, sha256: f.sha256, rows: f.rows, role: trainedOnFiles.has(f.file) ? f.use : 'evaluation' })),
      ...(options.recipe !== undefined ? { recipe: options.recipe } : {}),
      ...(options.excludeModels && options.excludeModels.size > 0 ? { excludedModels: [...options.excludeModels].sort() } : {}),
      driveModels: fittedModels,
      drives: trainedOn.length,
      failures: count(trainedOn, true),
      dateRange: [firstDay, created],
      seed: options.seed,
      params,
    },
    validation: jsonSafe({
      protocol:
        'per-drive, on drives never trained on: a failed drive is detected if p14 ≥ t on some day in [F−30, F−1]; a healthy drive is a false alarm if p14 ≥ t on any day; FDR at FAR x uses the lowest threshold meeting x',
      thresholdChoice: {
        bad: `p14 threshold at per-drive FAR ≤ ${badFar}`,
        warning: `p42 threshold at per-drive FAR ≤ ${warnFar} (42-day window)`,
        ...(familiarity
          ? {
              byFamiliarity: `drives of models not trained on: per familiarity class, pooled healthy per-day rates ≤ ${badFar} (p14) / ${warnFar} (p42) over the leave-one-model-out runs of that class, never below the base thresholds, family ≤ vendor ≤ none`,
              familiarityClasses: familiarity.classes,
              ...(familiarity.skipped.length > 0 ? { familiarityRunsSkipped: familiarity.skipped.map((r) => ({ ...r, why: `its own Bad threshold is more than ${MAX_THRESHOLD_ODDS_RATIO}× off the base in odds: its scores are on another scale` })) } : {}),
            }
          : {}),
        ...(byDriveModel
          ? {
              byDriveModel: `Bad per drive model with at least ${MIN_SMALL_POPULATION_DRIVES} healthy training-side (fit and early-stopping) drives (distinct serials) in population and snapshot files: p14 threshold at per-drive rate ≤ ${byDriveModel.rate}; from ${MIN_SELECTION_DRIVES} drives never below the p42 threshold at per-drive FAR ≤ ${DRIVE_MODEL_BAD_FLOOR_FAR} (rule "rate"), with fewer never below the base Bad threshold (rule "raise-only"); Warning at the base Warning threshold or that model's Bad, whichever is lower`,
              driveModelBadFloor: byDriveModel.badFloor,
              driveModelChoices: byDriveModel.choices,
            }
          : {}),
      },
      files: trainingFiles,
      split: { ...split, method: 'sha256(salt:seed:serial) buckets; the same serial is on the same side in every file' },
      labels: { p14: `failure within 0..${HORIZON_P14} days`, p42: `failure within 0..${HORIZON_P42} days`, censoredHealthyDays: CENSOR_DAYS, healthyStride: stride, p14GrayZone: `failed-drive days ${HORIZON_P14 + 1}..${P14_GRAY_ZONE_DAYS} before failure have weight 0 in the p14 head`, p14QuietPositiveWeight: `positive p14 rows with error_raw_sum not > 0 have weight ${quietWeight} in training and early stopping (1 in calibration)` },
      fitDrives: { healthy: count(fitDrives, false), failed: count(fitDrives, true), rows: fitRows.nRows },
      earlyStopDrives: { healthy: count(stopDrives, false), failed: count(stopDrives, true), rows: stopRows.nRows },
      rounds: { p14: p14.trees.length, p42: p42.trees.length },
      perFile: metrics.map((m) => ({ file: m.file, model: m.model, backblazeRule: m.rule, modelAtRuleFar: m.modelAtRuleFar.points[0] })),
      reportOnlyFiles: Object.fromEntries(reportOnly),
      gate: { passed: reasons.length === 0, far: badFar, fdr: gatePoint.fdr, minFdr, reasons },
    }) as Record<string, unknown>,
  };
  return {
    document,
    gate: { passed: reasons.length === 0, reasons, fdr: gatePoint.fdr, far: badFar, minFdr, ruleFdrAtEqualFar: ruleAtGateFar },
    metrics,
  };
}

/**
 * The healthy training-side drives of population and snapshot files whose model was fitted on, with their highest
 * p14 in each file (driveModelThresholds.ts); only models with enough distinct serials are scored.
 */
function selectionDrives(
  model: ScoringModel,
  usable: readonly BackblazeDrive[],
  sideOf: (d: BackblazeDrive) => string,
  roles: ReadonlyMap<string, FileRole>,
  fittedModels: readonly string[],
): SelectionDrive[] {
  const fitted = new Set(fittedModels.map(driveModelKey));
  const candidates = usable.filter((d) => {
    const role = roles.get(d.file);
    return d.failDay < 0 && sideOf(d) !== 'validation' && (role === 'population' || role === 'snapshots') && fitted.has(driveModelKey(d.model));
  });
  const counts = selectionCounts(candidates);
  return candidates
    .filter((d) => counts.get(driveModelKey(d.model))! >= MIN_SMALL_POPULATION_DRIVES)
    .map((d) => {
      let maxP14 = -Infinity;
      for (const v of scoreDrive(model, d).p14) if (v > maxP14) maxP14 = v;
      return { model: d.model, serial: d.serial, maxP14 };
    })
    .filter((d) => d.maxP14 > -Infinity);
}

export function scoreDrive(model: ScoringModel, drive: BackblazeDrive): { p14: Float64Array; p42: Float64Array } {
  const matrix = featurizeColumns(columnsFromBackblazeDrive(drive));
  return scoreMatrix(model, matrix, drive.days.length);
}

/** A drive's daily scores in the shape the per-drive metrics read. */
export function driveScores(d: BackblazeDrive, p14: Float64Array): DriveScores {
  return { serial: d.serial, vendor: d.vendor, failed: d.failDay >= 0, ...(d.failDay >= 0 ? { failDay: d.failDay } : {}), days: d.days, p14 };
}

/** Our model next to the Backblaze rule on one set of drives: FDR at the FAR points, the rule at its own FAR, the model there. */
export function fileMetrics(file: string, model: DriveScores[], rule: DriveScores[]): FileMetrics {
  const atOne = ruleAtThresholdOne(rule);
  const modelAtRuleFar = perDriveMetrics(model, { farPoints: [atOne.far] });
  return { file, model: perDriveMetrics(model, { farPoints: DEFAULT_FAR_POINTS }), rule: atOne, modelAtRuleFar };
}

/** The rule flags a day when its score is 1: detection and false alarms at threshold 1. */
function ruleAtThresholdOne(rule: DriveScores[]): FileMetrics['rule'] {
  let detected = 0, failedDrives = 0, falseAlarms = 0, healthyDrives = 0;
  for (const d of rule) {
    if (d.failed) {
      failedDrives++;
      let hit = false;
      for (let i = 0; i < d.days.length; i++) {
        const day = d.days[i]!;
        if (day >= d.failDay! - 30 && day <= d.failDay! - 1 && d.p14[i] === 1) hit = true;
      }
      if (hit) detected++;
    } else {
      healthyDrives++;
      if (d.p14.some((v) => v === 1)) falseAlarms++;
    }
  }
  return { fdr: detected / failedDrives, far: falseAlarms / healthyDrives, detected, falseAlarms, failedDrives, healthyDrives };
}

function finiteOr(v: number, fallback: number): number {
  return Number.isFinite(v) ? v : fallback;
}

export function pct(v: number): string {
  return Number.isFinite(v) ? `${(v * 100).toFixed(1)}%` : 'n/a';
}

/** JSON has no NaN/Infinity: metrics that are undefined (no drives, no lead times) are stored as null. */
function jsonSafe(v: unknown): unknown {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (Array.isArray(v)) return v.map(jsonSafe);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, jsonSafe(x)]));
  return v;
}
