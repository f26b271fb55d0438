/** `diskpredict train`: train our failure model on Backblaze files; writes it only if it passes the gate. */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import type { LeftOutModel } from '../train/leaveOneModelOut.js';
import type { Command } from 'commander';
import { writeModelFile } from '../models/modelFile.js';
import { MODEL_FILE_NAME } from '../predict/predictorSpec.js';
import { ProgressBar } from '../util/progressBar.js';
import { crossValidate, formatCrossValidation } from '../train/crossValidate.js';
import { formatMetrics } from '../train/report.js';
import { readRecipe, recipeFilePaths, RecipeError, type FileRole, type TrainingRecipe } from '../train/recipe.js';
import { DEFAULT_BAD_FAR, DEFAULT_WARNING_FAR } from '../train/alarmBudgets.js';
import { pct, trainModel } from '../train/trainModel.js';
import { packageRoot } from '../util/packageInfo.js';
import { checkInputPaths, checkOutputDir } from './checkPaths.js';
import { CliError } from './errorLine.js';

export const DEFAULT_SEED = 1;

/** ../shared/data/backblaze beside the project (DISKPREDICT_SHARED overrides ../shared). */
export function sharedBackblazeDir(): string {
  const shared = process.env['DISKPREDICT_SHARED'] ?? resolve(packageRoot(), '..', 'shared');
  return join(shared, 'data', 'backblaze');
}

/** The default model's recipe, checked in beside it. */
export function defaultRecipePath(): string {
  return join(packageRoot(), 'models', 'default', 'recipe.json');
}

/** A recipe's files (in the shared Backblaze folder) with their roles; a missing file is an error. */
export function recipeFiles(recipePath: string): { recipe: TrainingRecipe; roles: Map<string, FileRole> } {
  const dir = sharedBackblazeDir();
  try {
    const recipe = readRecipe(recipePath);
    return { recipe, roles: recipeFilePaths(recipe, dir, existsSync) };
  } catch (err) {
    if (err instanceof RecipeError) throw new CliError(`${err.message} (set DISKPREDICT_SHARED to the folder holding data/)`);
    throw err;
  }
}

/** The recipe's leave-one-model-out results (the JSON `train --leave-one-model-out … --json` prints). */
export function readLeftOutRuns(path: string): LeftOutModel[] {
  let runs: unknown;
  try {
    runs = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new CliError(`cannot read the recipe's leave-one-model-out results ${path}: ${(err as Error).message}`);
  }
  const ok = (r: unknown): r is LeftOutModel => {
    const x = r as Partial<LeftOutModel> | null;
    return typeof x === 'object' && x !== null && typeof x.model === 'string' && Array.isArray(x.trainedDriveModels) && typeof x.healthyDays === 'number' && Array.isArray(x.scores?.healthyTop14) && Array.isArray(x.scores?.healthyTop42);
  };
  if (!Array.isArray(runs) || !runs.every(ok)) throw new CliError(`${path}: not leave-one-model-out results (an array of runs with model, trainedDriveModels, healthyDays and scores)`);
  return runs;
}

/** The runs a recipe names (its "leaveOneModelOut" file, relative to the recipe), if any. */
export function recipeLeftOutRuns(recipePath: string, recipe: TrainingRecipe): LeftOutModel[] | undefined {
  return recipe.leaveOneModelOut !== undefined ? readLeftOutRuns(join(dirname(recipePath), recipe.leaveOneModelOut)) : undefined;
}

interface TrainCliOptions {
  data?: string[];
  out?: string;
  seed: string;
  default?: boolean;
  recipe?: string;
  minFdr: string;
  far: string;
  warnFar: string;
  name?: string;
  crossValidate?: string;
  leaveOneModelOut?: string[];
  leaveOneModelOutReport?: boolean;
  json?: boolean;
  repeats: string;
  progress?: boolean;
}

function number(v: string, what: string): number {
  const n = Number(v);
  if (!Number.isFinite(n)) throw new CliError(`${what} must be a number, got "${v}"`);
  return n;
}

export function registerTrainCommand(program: Command): void {
  program
    .command('train')
    .description('train the failure model on Backblaze Drive Stats CSV files (drive-disjoint validation, accuracy gate)')
    .option('--data <csv...>', 'Backblaze CSV files (.csv or .csv.gz) (required unless --default)')
    .option('--out <dir>', 'directory to write model.json into, created if missing (required unless --default or --cross-validate)')
    .option('--seed <n>', 'seed for the split and the learner', String(DEFAULT_SEED))
    .option('--recipe <file>', 'a training recipe (JSON naming each file of $DISKPREDICT_SHARED/data/backblaze and its role; see models/default/recipe.json)')
    .option('--default', 'the default model: --recipe models/default/recipe.json (files in $DISKPREDICT_SHARED/data/backblaze, DISKPREDICT_SHARED default: ../shared beside the package), out = models/default')
    .option('--min-fdr <fraction>', 'gate: minimum validation FDR at the Bad false-alarm budget', '0.25')
    .option('--far <fraction>', 'false-alarm budget (per drive) of the Bad threshold and the gate', String(DEFAULT_BAD_FAR))
    .option('--warn-far <fraction>', 'false-alarm budget (per drive) of the Warning threshold', String(DEFAULT_WARNING_FAR))
    .option('--name <name>', 'model name stored in the file')
    .option('--cross-validate <folds>', 'instead of training: drive-disjoint K-fold cross-validation on the fit and early-stopping drives (writes nothing)')
    .option('--leave-one-model-out <model...>', 'instead of training: for each drive model, train without it and measure on every drive of it (writes nothing; needs --recipe or --default)')
    .option('--json', 'with --leave-one-model-out: print the result as JSON')
    .option('--leave-one-model-out-report', "instead of training: the recipe's leave-one-model-out results, also at the thresholds the model in --out (default: the recipe's model) uses for each run's familiarity class")
    .option('--repeats <n>', 'with --cross-validate: this many different fold splits, reported as mean and range', '1')
    .option('--progress', 'progress lines on stderr even when it is not a terminal (on a terminal: always a progress bar)')
    .action(async (o: TrainCliOptions) => {
      if ((o.default || o.recipe !== undefined) && o.data !== undefined) throw new CliError('--data cannot be combined with --recipe or --default (the recipe names the files)');
      const recipePath = o.recipe ?? (o.default ? defaultRecipePath() : undefined);
      const fromRecipe = recipePath !== undefined ? recipeFiles(recipePath) : undefined;
      const files = fromRecipe ? [...fromRecipe.roles.keys()] : (o.data ?? []);
      if (files.length === 0) throw new CliError('no data: pass --data <csv…>, --recipe <file> or --default');
      checkInputPaths(files, '--data');
      const roles = fromRecipe ? { roles: fromRecipe.roles } : {};
      const seed = fromRecipe && o.seed === String(DEFAULT_SEED) ? fromRecipe.recipe.seed : number(o.seed, '--seed');
      const progress = new ProgressBar(process.stderr, o.progress ? 'always' : 'auto');
      if (o.crossValidate !== undefined) {
        const result = await crossValidate({ files, ...roles, seed, folds: number(o.crossValidate, '--cross-validate'), repeats: number(o.repeats, '--repeats'), progress });
        process.stdout.write(`${formatCrossValidation(result)}\n`);
        return;
      }
      if (o.leaveOneModelOut !== undefined) {
        if (!fromRecipe) throw new CliError('--leave-one-model-out needs --recipe or --default (evaluation-only files count too)');
        const { leaveOneModelOut } = await import('../train/leaveOneModelOut.js');
        const { formatLeaveOneModelOut } = await import('../train/leaveOneModelOutText.js');
        const result = await leaveOneModelOut({ files, roles: fromRecipe.roles, seed, models: o.leaveOneModelOut, progress, log: (line) => process.stderr.write(`${line}\n`) });
        process.stdout.write(o.json ? `${JSON.stringify(result, null, 2)}\n` : formatLeaveOneModelOut(result));
        return;
      }
      const leftOutRuns = fromRecipe ? recipeLeftOutRuns(recipePath!, fromRecipe.recipe) : undefined;
      if (o.leaveOneModelOutReport) {
        if (!leftOutRuns) throw new CliError('--leave-one-model-out-report needs a recipe with a "leaveOneModelOut" file');
        const dir = o.out ?? (o.default ? join(packageRoot(), 'models', 'default') : undefined);
        if (dir === undefined) throw new CliError('--leave-one-model-out-report needs --out <model dir> or --default');
        const { loadModel } = await import('../models/modelFile.js');
        const t = loadModel(join(dir, MODEL_FILE_NAME)).document.thresholds;
        const { formatAtClassThresholds, formatLeaveOneModelOut } = await import('../train/leaveOneModelOutText.js');
        process.stdout.write(`${formatLeaveOneModelOut(leftOutRuns)}\n${formatAtClassThresholds(leftOutRuns, t.byFamiliarity ?? {}, t)}`);
        return;
      }
      const out = o.out ?? (o.default ? join(packageRoot(), 'models', 'default') : undefined);
      if (out === undefined) throw new CliError('no output directory: pass --out <dir>');
      checkOutputDir(out, '--out');
      const started = Date.now();
      const result = await trainModel({
        files,
        ...roles,
        ...(recipePath !== undefined ? { recipe: o.default ? 'models/default/recipe.json' : recipePath } : {}),
        seed,
        ...(leftOutRuns ? { leftOutRuns } : {}),
        name: o.name ?? fromRecipe?.recipe.name ?? 'diskpredict-gbdt',
        ...(fromRecipe?.recipe.version !== undefined ? { version: fromRecipe.recipe.version } : {}),
        minFdr: number(o.minFdr, '--min-fdr'),
        badFar: number(o.far, '--far'),
        warnFar: number(o.warnFar, '--warn-far'),
        progress,
        log: (line) => process.stderr.write(`${line}\n`),
      });
      process.stdout.write(`${formatMetrics(result.metrics)}\n`);
      process.stdout.write(`thresholds: Bad p14 ≥ ${result.document.thresholds.bad.toPrecision(4)}, Warning p42 ≥ ${result.document.thresholds.warning.toPrecision(4)}\n`);
      process.stdout.write(`training took ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
      const g = result.gate;
      if (!g.passed) {
        process.stdout.write(`gate FAILED (model not written): ${g.reasons.join('; ')}\n`);
        process.exitCode = 3;
        return;
      }
      mkdirSync(out, { recursive: true });
      const path = join(out, MODEL_FILE_NAME);
      writeModelFile(path, result.document);
      process.stdout.write(`gate passed: FDR ${pct(g.fdr)} at FAR ≤ ${pct(g.far)} (floor ${pct(g.minFdr)}); wrote ${path}\n`);
    });
}
