/**
 * `diskpredict score --data <csv[.gz]|dir…> [--model NAME|DIR] --out scores.csv`: one causal
 * prediction per drive-day (`serial_number,date,p14,p42,status,reason`; reason says why a day is Unknown). `--model` also accepts the
 * baselines `backblaze-rule` and `smartctl-health`. Skipped and repaired input is summarised on
 * stderr.
 */
import type { Command } from 'commander';
import { loadModelOrBaseline } from '../evaluate/loadPredictors.js';
import { runScore } from '../evaluate/scoreRun.js';

interface ScoreCliOptions {
  data: string[];
  model?: string;
  out: string;
  partitions: string;
}

export function registerScoreCommand(program: Command): void {
  program
    .command('score')
    .description('score every drive-day causally (only that day and earlier) and write a CSV')
    .requiredOption('--data <paths...>', 'Backblaze CSV(.gz) files and/or directories of Ceph devicehealth dumps')
    .option('--model <name|dir>', 'model name or directory (default: the bundled model); or backblaze-rule | smartctl-health')
    .requiredOption('--out <file>', 'output CSV: serial_number,date,p14,p42,status,reason')
    .option('--partitions <n>', 'spill partitions for grouping rows by drive (memory ≈ input / n)', '32')
    .action(async (opts: ScoreCliOptions) => {
      const { predictor } = loadModelOrBaseline(opts.model);
      const result = await runScore(opts.data, predictor, opts.out, { partitions: Math.max(1, Number(opts.partitions) || 32) });
      process.stderr.write(
        `scored ${result.driveDays} drive-days of ${result.drives} drives with ${predictor.model.name} ${predictor.model.version} ` +
          `(${result.unknownDays} Unknown) → ${opts.out}\n`,
      );
      for (const u of result.unknownReasons) process.stderr.write(`  Unknown: ${u.reason}: ${u.count} drive-days\n`);
      for (const i of result.tally.list()) {
        process.stderr.write(`  ${i.kind}: ${i.reason}: ${i.count} ${i.unit}${i.examples.length ? ` (e.g. ${i.examples.join('; ')})` : ''}\n`);
      }
    });
}
