/**
 * `diskpredict score --data <csv[.gz]|dir…> [--model NAME|DIR] --out scores.csv`: one causal
 * prediction per drive-day (`serial_number,date,p14,p42,status,reason`; reason says why a day is Unknown). `--model` also accepts the
 * baselines `backblaze-rule` and `smartctl-health`. Skipped and repaired input is summarised on
 * stderr.
 */
import { rmSync } from 'node:fs';
import type { Command } from 'commander';
import { loadModelOrBaseline } from '../evaluate/loadPredictors.js';
import { runScore } from '../evaluate/scoreRun.js';
import { countNoun } from '../util/plural.js';
import { ProgressBar } from '../util/progressBar.js';
import { checkInputPaths, checkOutputFile } from './checkPaths.js';
import { CEPH_MODELS_FLAG_HELP, cephModelDirFor } from './modelFlags.js';
import { noUsableDrives } from './noUsableDrives.js';

interface ScoreCliOptions {
  data: string[];
  model?: string;
  out: string;
  partitions: string;
  progress?: boolean;
  cephModels?: string;
}

export function registerScoreCommand(program: Command): void {
  program
    .command('score')
    .description('score every drive-day causally (only that day and earlier) and write a CSV')
    .requiredOption('--data <paths...>', 'Backblaze CSV(.gz) files and/or directories of them or of Ceph devicehealth dumps')
    .option('--model <name|dir>', 'model name (default, rules, prophetstor, redhat) or directory, or a baseline: backblaze-rule, smartctl-health (default: the bundled model)')
    .option('--ceph-models <dir>', CEPH_MODELS_FLAG_HELP)
    .requiredOption('--out <file>', 'output CSV: serial_number,date,p14,p42,status,reason')
    .option('--partitions <n>', 'spill partitions for grouping rows by drive (memory ≈ input / n)', '32')
    .option('--progress', 'progress lines on stderr even when it is not a terminal (on a terminal: always a progress bar)')
    .action(async (opts: ScoreCliOptions) => {
      checkInputPaths(opts.data, '--data');
      checkOutputFile(opts.out, '--out');
      const cephModelDir = cephModelDirFor(opts.model, opts.cephModels);
      const { predictor } = loadModelOrBaseline(opts.model, cephModelDir !== undefined ? { cephModelDir } : {});
      const result = await runScore(opts.data, predictor, opts.out, {
        partitions: Math.max(1, Number(opts.partitions) || 32),
        progress: new ProgressBar(process.stderr, opts.progress ? 'always' : 'auto'),
      });
      if (result.drives === 0) {
        // A header-only CSV would look like a run that found nothing to alarm on.
        rmSync(opts.out, { force: true });
        throw noUsableDrives(result.tally.list());
      }
      process.stderr.write(
        `scored ${countNoun(result.driveDays, 'drive-days')} of ${countNoun(result.drives, 'drives')} with ${predictor.model.name} ${predictor.model.version} ` +
          `(${result.unknownDays} Unknown) → ${opts.out}\n`,
      );
      for (const u of result.unknownReasons) process.stderr.write(`  Unknown: ${u.reason}: ${u.count} drive-days\n`);
      for (const i of result.tally.list()) {
        process.stderr.write(`  ${i.kind}: ${i.reason}: ${countNoun(i.count, i.unit)}${i.examples.length ? ` (e.g. ${i.examples.join('; ')})` : ''}\n`);
      }
    });
}
