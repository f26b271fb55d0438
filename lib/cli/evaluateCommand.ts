/**
 * `diskpredict evaluate --data <csv…> [--model NAME|DIR] [--healthy-weight W] [--ceph-models DIR]
 * [--json] [--report out.html]`: per-drive FDR/FAR, operating point, lead times and per-vendor rows
 * for the model next to the baselines, on the same drives in the same run.
 * `--ssd-snapshots FILE` instead measures the rule scorer on failed-SSD snapshots (ssdSnapshotsCommand.ts).
 */
import { writeFileSync } from 'node:fs';
import { Option, type Command } from './commander.js';
import type { DriveHistory } from '../evaluate/driveHistory.js';
import { driveModelFilter, runEvaluate, type EvaluatedPredictor } from '../evaluate/evaluateRun.js';
import { formatEvaluation } from '../evaluate/formatText.js';
import { BASELINES, heldOutDrives, loadCephPredictors, loadModelOrBaseline, type LoadedModel } from '../evaluate/loadPredictors.js';
import { renderHtmlReport } from '../evaluate/report/htmlReport.js';
import { ProgressBar } from '../util/progressBar.js';
import { checkInputPaths, checkOutputFile } from './checkPaths.js';
import { CliError, errorLine, messageOf } from './errorLine.js';
import { cephModelDirFor } from './modelFlags.js';
import { noUsableDrives } from './noUsableDrives.js';
import { runSsdSnapshotsCommand } from './ssdSnapshotsCommand.js';

interface EvaluateCliOptions {
  data?: string[];
  ssdSnapshots?: string;
  model?: string;
  healthyWeight: string;
  cephModels?: string;
  json?: boolean;
  report?: string;
  heldOut?: boolean;
  byModel?: boolean;
  driveModel?: string[];
  bootstrap: string;
  seed: string;
  partitions: string;
  progress?: boolean;
}

function positive(text: string, what: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new CliError(`${what} must be a positive number, got "${text}"`);
  return n;
}

export function registerEvaluateCommand(program: Command): void {
  program
    .command('evaluate')
    .description('per-drive detection and false-alarm rates of the model and baselines on labelled data')
    .option('--data <paths...>', 'Backblaze CSV(.gz) files with a failure column, or directories of them (required unless --ssd-snapshots)')
    .option('--ssd-snapshots <file>', "instead: the rule scorer on Alibaba's failed-SSD snapshots (CSV or .gz): share flagged per model, vendor and rule family; detection only, the data has no healthy SSDs")
    .option('--model <name|dir>', 'model name or directory; a baseline name (backblaze-rule, smartctl-health) evaluates baselines only (default: the bundled model)')
    .option('--healthy-weight <W>', 'weight of each healthy drive in precision (6.7 for a 15% healthy sample)', '1')
    .option('--ceph-models <dir>', "also evaluate Ceph's ProphetStor and Red Hat models from this directory (import-ceph-models output)")
    .addOption(new Option('--ceph-model-dir <dir>').hideHelp())
    .option('--json', 'print the full result as JSON')
    .option('--report <file.html>', 'write a self-contained HTML report')
    .option('--held-out', "evaluate only the drives the model's training split held out (never trained on)")
    .option('--by-model', 'a row per drive model at each predictor\'s own statuses (failure-day snapshots included; see docs/model.md)')
    .option('--drive-model <model...>', 'evaluate only drives of these models (Backblaze model strings, case-insensitive)')
    .option('--bootstrap <n>', 'bootstrap replicates for the FDR intervals', '1000')
    .option('--seed <n>', 'bootstrap seed', '1')
    .option('--partitions <n>', 'spill partitions for grouping rows by drive (memory ≈ input / n)', '32')
    .option('--progress', 'progress lines on stderr even when it is not a terminal (on a terminal: always a progress bar)')
    .action(async (opts: EvaluateCliOptions & { cephModelDir?: string }, command: Command) => {
      if (opts.ssdSnapshots !== undefined) {
        const given = command.options.filter((o) => command.getOptionValueSource(o.attributeName()) === 'cli').map((o) => o.long ?? o.flags);
        return runSsdSnapshotsCommand({ ssdSnapshots: opts.ssdSnapshots, given, ...(opts.json ? { json: true } : {}) });
      }
      if (opts.data === undefined) throw new CliError("required option '--data <paths...>' not specified (or --ssd-snapshots <file>)");
      checkInputPaths(opts.data, '--data');
      if (opts.report) checkOutputFile(opts.report, '--report');
      const cephModels = opts.cephModels ?? opts.cephModelDir;
      const notes: string[] = [];
      const predictors: EvaluatedPredictor[] = [];
      let model: LoadedModel | undefined;
      if (opts.model === undefined || !BASELINES[opts.model]) {
        try {
          const cephModelDir = cephModelDirFor(opts.model, cephModels);
          model = loadModelOrBaseline(opts.model, cephModelDir !== undefined ? { cephModelDir } : {});
          predictors.push({ id: 'model', kind: 'model', predictor: model.predictor });
        } catch (err) {
          // An explicitly named model that cannot load is an error; a missing default is a note.
          if (opts.model !== undefined) throw err;
          notes.push(`default model unavailable, baselines only: ${messageOf(err)}`);
        }
      }
      for (const [id, predictor] of Object.entries(BASELINES)) predictors.push({ id, kind: 'baseline', predictor });
      if (cephModels) predictors.push(...loadCephPredictors(cephModels, (m) => notes.push(m)));
      const filters: Array<{ keep: (drive: DriveHistory) => boolean; reason: string }> = [];
      if (opts.heldOut) {
        const keep = heldOutDrives(model?.document);
        if (!keep) throw new CliError('--held-out needs a model whose document records its training split (seed and fractions)');
        filters.push({ keep: (d) => keep(d.serial), reason: 'drive on the training side of the model\'s split (--held-out)' });
      }
      if (opts.driveModel) filters.push(driveModelFilter(opts.driveModel));
      const driveFilter = filters.length === 0 ? undefined : { keep: (d: DriveHistory) => filters.every((f) => f.keep(d)), reason: filters.map((f) => f.reason).join(' or ') };
      const result = await runEvaluate(opts.data, predictors, {
        ...(driveFilter ? { driveFilter } : {}),
        ...(opts.byModel ? { byModel: true } : {}),
        healthyWeight: positive(opts.healthyWeight, '--healthy-weight'),
        bootstrapReplicates: Math.round(positive(opts.bootstrap, '--bootstrap')),
        seed: Number(opts.seed) || 1,
        partitions: Math.round(positive(opts.partitions, '--partitions')),
        progress: new ProgressBar(process.stderr, opts.progress ? 'always' : 'auto'),
      });
      for (const n of notes) process.stderr.write(errorLine('evaluate', `note: ${n}`));
      if (result.failedDrives + result.healthyDrives === 0) throw noUsableDrives(result.issues);
      if (opts.report) {
        const html = renderHtmlReport({ result, generated: new Date().toISOString(), ...(model?.metadata ? { modelMetadata: model.metadata } : {}) });
        writeFileSync(opts.report, html);
        process.stderr.write(`report: ${opts.report}\n`);
      }
      process.stdout.write(opts.json ? `${JSON.stringify({ ...result, notes }, null, 2)}\n` : formatEvaluation(result));
    });
}
