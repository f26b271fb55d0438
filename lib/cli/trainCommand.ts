/** `diskpredict train`: train our failure model on Backblaze files; writes it only if it passes the gate. */
import { mkdirSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { writeModelFile } from '../models/modelFile.js';
import { MODEL_FILE_NAME } from '../predict/predictorSpec.js';
import { ProgressBar } from '../util/progressBar.js';
import { crossValidate, formatCrossValidation } from '../train/crossValidate.js';
import { formatMetrics } from '../train/report.js';
import { pct, trainModel } from '../train/trainModel.js';
import { packageRoot } from '../util/packageInfo.js';
import { checkInputPaths, checkOutputDir } from './checkPaths.js';
import { CliError } from './errorLine.js';

export const DEFAULT_SEED = 1;

/** ../shared/data/backblaze beside the project (DISKPREDICT_SHARED overrides ../shared). */
export function sharedBackblazeFiles(): string[] {
  const shared = process.env['DISKPREDICT_SHARED'] ?? resolve(packageRoot(), '..', 'shared');
  const dir = join(shared, 'data', 'backblaze');
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    throw new CliError(`--default needs the shared Backblaze data in ${dir} (set DISKPREDICT_SHARED to the folder holding data/)`);
  }
  const files = names.filter((n) => /\.csv(\.gz)?$/.test(n)).sort().map((n) => join(dir, n));
  if (files.length === 0) throw new CliError(`no Backblaze CSV files in ${dir}`);
  return files;
}

interface TrainCliOptions {
  data?: string[];
  out?: string;
  seed: string;
  default?: boolean;
  minFdr: string;
  far: string;
  warnFar: string;
  name?: string;
  crossValidate?: string;
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
    .option('--default', 'all Backblaze files in $DISKPREDICT_SHARED/data/backblaze (DISKPREDICT_SHARED default: ../shared beside the package), default seed, out = models/default')
    .option('--min-fdr <fraction>', 'gate: minimum validation FDR at the Bad false-alarm budget', '0.25')
    .option('--far <fraction>', 'false-alarm budget (per drive) of the Bad threshold and the gate', '0.005')
    .option('--warn-far <fraction>', 'false-alarm budget (per drive) of the Warning threshold', '0.02')
    .option('--name <name>', 'model name stored in the file')
    .option('--cross-validate <folds>', 'instead of training: drive-disjoint K-fold cross-validation on the fit and early-stopping drives (writes nothing)')
    .option('--repeats <n>', 'with --cross-validate: this many different fold splits, reported as mean and range', '1')
    .option('--progress', 'progress lines on stderr even when it is not a terminal (on a terminal: always a progress bar)')
    .action(async (o: TrainCliOptions) => {
      const files = o.default ? sharedBackblazeFiles() : (o.data ?? []);
      if (files.length === 0) throw new CliError('no data: pass --data <csv…> or --default');
      checkInputPaths(files, '--data');
      const progress = new ProgressBar(process.stderr, o.progress ? 'always' : 'auto');
      if (o.crossValidate !== undefined) {
        const seed = number(o.seed, '--seed');
        const result = await crossValidate({ files, seed, folds: number(o.crossValidate, '--cross-validate'), repeats: number(o.repeats, '--repeats'), progress });
        process.stdout.write(`${formatCrossValidation(result)}\n`);
        return;
      }
      const out = o.out ?? (o.default ? join(packageRoot(), 'models', 'default') : undefined);
      if (out === undefined) throw new CliError('no output directory: pass --out <dir>');
      checkOutputDir(out, '--out');
      const seed = o.default && o.seed === String(DEFAULT_SEED) ? DEFAULT_SEED : number(o.seed, '--seed');
      const started = Date.now();
      const result = await trainModel({
        files,
        seed,
        name: o.name ?? (o.default ? 'default' : 'diskpredict-gbdt'),
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
