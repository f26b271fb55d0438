import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { serializeModelDocument, parseModel } from '../../lib/models/modelFile.js';
import { ModelPredictor } from '../../lib/predict/modelPredictor.js';
import type { DeviceHistory, SmartSample } from '../../lib/smart/types.js';
import { COLD_START_DAYS } from '../../lib/train/coldStartThresholds.js';
import { leaveOneModelOut } from '../../lib/train/leaveOneModelOut.js';
import type { FileRole } from '../../lib/train/recipe.js';
import { thresholdAtRate } from '../../lib/train/thresholdAtRate.js';
import { trainModel, type TrainOptions } from '../../lib/train/trainModel.js';
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

describe('snapshot files and cold-start thresholds', () => {
  it('trains on one-day drives without censoring them and records cold-start thresholds per drive model', async () => {
    const r = await trainModel({ files: [histories, snapshotsA, snapshotsB], roles, seed: 3, params: SMALL, minFdr: 0 });
    const doc = r.document;
    expect(doc.training.files.map((f) => f.role)).toEqual(['population', 'snapshots', 'snapshots']);
    expect(doc.training.driveModels).toEqual(['ST4000DM000', 'ST8000DM002', 'ST8000NM0055']);
    const cold = doc.thresholds.coldStart!;
    expect(cold.days).toBe(COLD_START_DAYS);
    expect(cold.warning).toBeLessThanOrEqual(cold.bad);
    const perModel = (doc.validation['thresholdChoice'] as { coldStartPerModel: Array<{ model: string; bad: number }> }).coldStartPerModel;
    expect(perModel.map((m) => m.model)).toEqual(['ST8000DM002', 'ST8000NM0055']);
    expect(cold.bad).toBe(Math.max(...perModel.map((m) => m.bad)));
    // Healthy one-day drives were trained on: the fit rows include them (a censored tail would have dropped them all).
    const fit = doc.validation['fitDrives'] as { healthy: number };
    expect(fit.healthy).toBeGreaterThan(1000);
  }, 120_000);

  it('ModelPredictor uses the cold-start thresholds while the history spans fewer days, then the full ones', async () => {
    const r = await trainModel({ files: [histories, snapshotsA, snapshotsB], roles, seed: 3, params: SMALL, minFdr: 0 });
    const body = { ...r.document, thresholds: { ...r.document.thresholds, bad: 0.999, warning: 0.998, coldStart: { days: 7, bad: 0.001, warning: 0.0005 } } };
    const predictor = new ModelPredictor(parseModel(serializeModelDocument(body), 'test'));
    const day = (d: number): SmartSample => ({
      device: { model: 'ST8000DM002', vendor: 'seagate' },
      time: Date.UTC(2021, 0, 1 + d),
      ata: { 5: { id: 5, value: 90, raw: 400 } as never, 197: { id: 197, value: 100, raw: 300 } as never },
    });
    const history = (n: number): DeviceHistory => ({ devid: 'x', samples: Array.from({ length: n }, (_, i) => day(i)), errors: [] });
    const first = predictor.predict(history(1));
    expect(first.status).toBe('Bad');
    expect(first.reason).toMatch(/first-days threshold/);
    const later = predictor.predict(history(8));
    expect(later.status).not.toBe('Bad');
    const daily = predictor.predictEachDay(history(8));
    expect(daily.slice(0, 7).every((d) => d.status === 'Bad')).toBe(true);
    expect(daily[7]!.status).not.toBe('Bad');
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
