import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { leaveOneModelOut } from '../../lib/train/leaveOneModelOut.js';
import type { FileRole } from '../../lib/train/recipe.js';
import { thresholdAtRate } from '../../lib/train/thresholdAtRate.js';
import { scoreDrive, trainModel, type TrainOptions } from '../../lib/train/trainModel.js';
import { parseModel, serializeModelDocument } from '../../lib/models/modelFile.js';
import { loadBackblazeDrives } from '../../lib/smart/backblazeColumns.js';
import { FEATURE_ATTRIBUTES } from '../../lib/features/featurizeColumns.js';
import { splitSide } from '../../lib/evaluate/driveSplit.js';
import { writeSyntheticBackblaze } from './syntheticBackblaze.js';

const dir = mkdtempSync(join(tmpdir(), 'dp-cold-'));
const histories = join(dir, 'histories.csv.gz');
const snapshotsA = join(dir, 'snapshots-a.csv');
const snapshotsB = join(dir, 'snapshots-b.csv');
const SMALL: TrainOptions['params'] = { nRounds: 15, earlyStoppingRounds: 5, maxDepth: 3, maxLeaves: 8, maxBins: 32 };
const roles = new Map<string, FileRole>([
  [histories, 'population'],
  [snapshotsA, 'snapshots'],
  [snapshotsB, 'snapshots'],
]);

beforeAll(() => {
  writeSyntheticBackblaze(histories, { healthy: 150, failing: 40, days: 60, seed: 7, gzip: true });
  writeSyntheticBackblaze(snapshotsA, { healthy: 1500, failing: 120, days: 60, seed: 11, model: 'ST8000DM002', lastDayOnly: true });
  writeSyntheticBackblaze(snapshotsB, { healthy: 1500, failing: 120, days: 60, seed: 12, model: 'ST8000NM0055', lastDayOnly: true });
});

describe('thresholdAtRate', () => {
  it('flags at most the budget, never a tie at the cut', () => {
    const values = [0.1, 0.2, 0.2, 0.3, 0.9, 0.9, 0.95, 0.5, 0.4, 0.6];
    const t = thresholdAtRate(values, 0.2)!;
    expect(t.rate).toBeLessThanOrEqual(0.2);
    expect(values.filter((v) => v >= t.threshold).length).toBe(1); // 0.95 only: the two 0.9s tie at the cut
    expect(thresholdAtRate(values, 0)!.rate).toBe(0);
    expect(thresholdAtRate([], 0.1)).toBeNull();
  });
});

describe('snapshot files', () => {
  it('trains on one-day drives without censoring them, records roles and drive models, keeps thresholds from population files', async () => {
    const r = await trainModel({ files: [histories, snapshotsA, snapshotsB], roles, seed: 3, params: SMALL, minFdr: 0 });
    const doc = r.document;
    expect(doc.training.files.map((f) => f.role)).toEqual(['population', 'snapshots', 'snapshots']);
    expect(doc.training.driveModels).toEqual(['ST4000DM000', 'ST8000DM002', 'ST8000NM0055']);
    // per-drive metrics and thresholds come from the population file only
    expect(r.metrics.map((m) => m.file)).toEqual(['histories.csv.gz']);
    // Healthy one-day drives were trained on: the fit rows include them (a censored tail would have dropped them all).
    const fit = doc.validation['fitDrives'] as { healthy: number };
    expect(fit.healthy).toBeGreaterThan(1000);
    // Thresholds of their own for the two snapshot models (over 1,000 healthy training-side drives each), not for the
    // population file's 150 drives, each flagging at most 0.25 % of those drives and never under the floor (p42 at 2 %).
    const own = doc.thresholds.byDriveModel!;
    expect(Object.keys(own)).toEqual(['ST8000DM002', 'ST8000NM0055']);
    const model = parseModel(serializeModelDocument(doc), 'trained');
    const load = await loadBackblazeDrives([snapshotsA, snapshotsB], FEATURE_ATTRIBUTES);
    const floor = (doc.validation['thresholdChoice'] as { driveModelBadFloor: number }).driveModelBadFloor;
    expect(floor).toBeGreaterThan(0);
    expect(floor).toBeLessThanOrEqual(doc.thresholds.bad);
    for (const [name, t] of Object.entries(own)) {
      // Warning: the base one, or the model's own Bad where that is lower; Bad never under the recorded floor
      expect(t.warning).toBe(Math.min(doc.thresholds.warning, t.bad));
      expect(t.bad).toBeGreaterThanOrEqual(floor);
      const selection = load.drives.filter((d) => d.model === name && d.failDay < 0 && splitSide(d.serial, 3) !== 'validation');
      expect(selection.length).toBeGreaterThanOrEqual(1000);
      const flagged = selection.filter((d) => Math.max(...scoreDrive(model, d).p14) >= t.bad).length;
      expect(flagged / selection.length).toBeLessThanOrEqual(0.0025);
    }
  }, 120_000);
});

describe('leave-one-model-out', () => {
  it('never trains on the left-out model and measures it on all of its drives', async () => {
    const [run] = await leaveOneModelOut({ files: [histories, snapshotsA, snapshotsB], roles, seed: 3, params: SMALL, models: ['st8000dm002'] });
    expect(run!.trainedDriveModels).toEqual(['ST4000DM000', 'ST8000NM0055']);
    const t = run!.row!.perPredictor['model']!;
    expect(run!.row!.model).toBe('ST8000DM002');
    // every drive of the model, from both sides of the split: 120 failed, 1500 healthy
    expect(t.failedDrives).toBe(120);
    expect(t.healthyDrives).toBe(1500);
    expect(run!.failedDrives).toBe(120);
    expect(run!.badNeed!.healthyDayRate).toBeLessThanOrEqual(0.005);
  }, 120_000);
});
