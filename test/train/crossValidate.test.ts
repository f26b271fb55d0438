import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerTrainCommand } from '../../lib/cli/trainCommand.js';
import { loadBackblazeDrives } from '../../lib/smart/backblazeColumns.js';
import { FEATURE_ATTRIBUTES } from '../../lib/features/featurizeColumns.js';
import { crossValidate, formatCrossValidation } from '../../lib/train/crossValidate.js';
import { splitSide } from '../../lib/evaluate/driveSplit.js';
import type { TrainOptions } from '../../lib/train/trainModel.js';
import { runCommand } from '../helpers/runCommand.js';
import { writeSyntheticBackblaze } from './syntheticBackblaze.js';

const dir = mkdtempSync(join(tmpdir(), 'dp-cv-'));
const file = join(dir, 'synthetic.csv');
const failedOnly = join(dir, 'failed-only.csv');
const SMALL: TrainOptions['params'] = { nRounds: 15, earlyStoppingRounds: 5, maxDepth: 3, maxLeaves: 8, maxBins: 32 };

beforeAll(() => {
  writeSyntheticBackblaze(file, { healthy: 150, failing: 40, days: 60, seed: 11 });
  writeSyntheticBackblaze(failedOnly, { healthy: 0, failing: 10, days: 40, seed: 12 });
});

describe('crossValidate', () => {
  it('holds out every non-validation drive of a population file exactly once, and never a validation drive', async () => {
    const seed = 5;
    const result = await crossValidate({ files: [file, failedOnly], seed, folds: 3, params: SMALL });
    const { drives } = await loadBackblazeDrives([file], FEATURE_ATTRIBUTES);
    const learnable = drives.filter((d) => splitSide(d.serial, seed) !== 'validation');
    // Only the file with healthy drives is a population file: the failed-only one gives no false-alarm rate.
    expect(result.perFile.map((p) => p.file)).toEqual(['synthetic.csv']);
    expect(result.repeats).toBe(1);
    const folds = result.perFile[0]!.repeats[0]!;
    expect(folds).toHaveLength(3);
    expect(folds.reduce((s, m) => s + m.model.failedDrives, 0)).toBe(learnable.filter((d) => d.failDay >= 0).length);
    expect(folds.reduce((s, m) => s + m.model.healthyDrives, 0)).toBe(learnable.filter((d) => d.failDay < 0).length);
    expect(learnable.length).toBeLessThan(drives.length);
    // The synthetic failures are learnable: some fold detects something at FAR 2 %.
    expect(Math.max(...folds.map((m) => m.model.points.at(-1)!.fdr))).toBeGreaterThan(0);
    expect(await crossValidate({ files: [failedOnly, file], seed, folds: 3, params: SMALL })).toEqual(result);
    expect(formatCrossValidation(result)).toMatch(/3-fold cross-validation[^]*synthetic\.csv: \d+ failed \/ \d+ healthy[^]*Backblaze rule/);
  });

  it('with repeats, holds every drive out once per repeat; repeat 0 is the plain split, the others differ', async () => {
    const seed = 5;
    const single = await crossValidate({ files: [file], seed, folds: 3, params: SMALL });
    const repeated = await crossValidate({ files: [file], seed, folds: 3, repeats: 3, params: SMALL });
    const { drives } = await loadBackblazeDrives([file], FEATURE_ATTRIBUTES);
    const learnable = drives.filter((d) => splitSide(d.serial, seed) !== 'validation');
    const runs = repeated.perFile[0]!.repeats;
    expect(runs).toHaveLength(3);
    expect(runs[0]).toEqual(single.perFile[0]!.repeats[0]);
    for (const folds of runs) {
      expect(folds).toHaveLength(3);
      expect(folds.reduce((s, m) => s + m.model.failedDrives + m.model.healthyDrives, 0)).toBe(learnable.length);
    }
    // Another split puts other drives together: the per-fold drive counts cannot all repeat three times over.
    const sizes = runs.map((folds) => folds.map((m) => `${m.model.failedDrives}/${m.model.healthyDrives}`).join(' '));
    expect(new Set(sizes).size).toBeGreaterThan(1);
    expect(formatCrossValidation(repeated)).toMatch(/mean over 3 fold splits × 3 folds[^]*FAR 0\.1% → [\d.]+% \[[\d.]+%–[\d.]+%\]/);
  });

  it('refuses fewer than 2 folds or 1 repeat', async () => {
    await expect(crossValidate({ files: [file], seed: 1, folds: 1 })).rejects.toThrow(/at least 2 folds/);
    await expect(crossValidate({ files: [file], seed: 1, folds: 2, repeats: 0 })).rejects.toThrow(/at least 1 repeat/);
  });

  it('is `diskpredict train --cross-validate K`, which writes no model', async () => {
    const before = readdirSync(dir).sort();
    const r = await runCommand(registerTrainCommand, 'train', ['--data', file, '--cross-validate', '2', '--seed', '2']);
    expect(r.code).toBeUndefined();
    expect(r.out).toMatch(/2-fold cross-validation/);
    const twice = await runCommand(registerTrainCommand, 'train', ['--data', file, '--cross-validate', '2', '--repeats', '2', '--seed', '2']);
    expect(twice.out).toMatch(/mean over 2 fold splits × 2 folds/);
    await expect(runCommand(registerTrainCommand, 'train', ['--data', file, '--cross-validate', '2', '--repeats', 'x'])).rejects.toThrow(/--repeats must be a number/);
    expect(readdirSync(dir).sort()).toEqual(before);
    await expect(runCommand(registerTrainCommand, 'train', ['--data', file, '--cross-validate', 'three'])).rejects.toThrow(/--cross-validate must be a number/);
    await expect(runCommand(registerTrainCommand, 'train', ['--data', file, '--cross-validate', '2.5'])).rejects.toThrow(/at least 2 folds|got 2\.5/);
    await expect(runCommand(registerTrainCommand, 'train', ['--cross-validate', '3'])).rejects.toThrow(/no data/);
  });
});
