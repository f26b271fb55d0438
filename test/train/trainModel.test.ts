import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand } from '../helpers/runCommand.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerTrainCommand } from '../../lib/cli/trainCommand.js';
import { loadModel, serializeModelDocument } from '../../lib/models/modelFile.js';
import { ModelPredictor } from '../../lib/predict/modelPredictor.js';
import { splitSide } from '../../lib/evaluate/driveSplit.js';
import { labelFor } from '../../lib/train/labels.js';
import { trainModel, type TrainOptions } from '../../lib/train/trainModel.js';
import { writeSyntheticBackblaze } from './syntheticBackblaze.js';

const dir = mkdtempSync(join(tmpdir(), 'dp-train-'));
const file = join(dir, 'synthetic.csv.gz');
const failedOnly = join(dir, 'failed-only.csv');
const SMALL: TrainOptions['params'] = { nRounds: 15, earlyStoppingRounds: 5, maxDepth: 3, maxLeaves: 8, maxBins: 32 };

beforeAll(() => {
  writeSyntheticBackblaze(file, { healthy: 150, failing: 40, days: 60, seed: 7, gzip: true });
  writeSyntheticBackblaze(failedOnly, { healthy: 0, failing: 10, days: 40, seed: 8 });
});

describe('labels and split', () => {
  it('labels a day positive only when the failure is 0..H days ahead', () => {
    expect(labelFor(100, 114, 14)).toBe(1);
    expect(labelFor(100, 115, 14)).toBe(0);
    expect(labelFor(100, 99, 14)).toBe(0);
    expect(labelFor(100, -1, 14)).toBe(0);
  });

  it('splits by serial: deterministic, trimmed, seed-dependent', () => {
    const serials = Array.from({ length: 2000 }, (_, i) => `Z${i}`);
    const sides = serials.map((s) => splitSide(s, 1));
    expect(serials.map((s) => splitSide(` ${s} `, 1))).toEqual(sides);
    const share = sides.filter((s) => s === 'validation').length / serials.length;
    expect(share).toBeGreaterThan(0.25);
    expect(share).toBeLessThan(0.35);
    expect(serials.map((s) => splitSide(s, 2))).not.toEqual(sides);
  });
});

describe('trainModel on synthetic drives', () => {
  it('trains, validates on drives it never trained on, passes the gate and is byte-reproducible', async () => {
    const a = await trainModel({ files: [file, failedOnly], seed: 3, params: SMALL, minFdr: 0.2 });
    const b = await trainModel({ files: [failedOnly, file], seed: 3, params: SMALL, minFdr: 0.2 });
    expect(serializeModelDocument(a.document)).toBe(serializeModelDocument(b.document));
    expect(a.gate.passed).toBe(true);
    const v = a.document.validation as { files: { use: string }[]; fitDrives: { failed: number } };
    // Without a recipe the roles are inferred; the failed-only file lacks counter 188, so nothing of it is trained on.
    expect(v.files.map((f) => f.use).sort()).toEqual(['failed-histories', 'population']);
    expect(a.document.training.files.map((f) => [f.name, f.role])).toEqual([
      ['failed-only.csv', 'evaluation'],
      ['synthetic.csv.gz', 'population'],
    ]);
    expect(a.document.training.driveModels).toEqual(['ST4000DM000']);
    expect(a.document.created).toBe('2021-03-01');
    const m = a.metrics[0]!;
    expect(m.model.failedDrives + m.model.healthyDrives).toBeGreaterThan(30);
    expect(m.model.failedDrives + m.model.healthyDrives).toBeLessThan(100);
    // the model never saw these drives: the training count plus validation count is the population
    expect(a.document.training.drives + m.model.failedDrives + m.model.healthyDrives).toBe(190);
    const c = await trainModel({ files: [file], seed: 4, params: SMALL, minFdr: 0.2 });
    expect(serializeModelDocument(c.document)).not.toBe(serializeModelDocument(a.document));
  });

  it('fails the gate when the floor cannot be met, and says why', async () => {
    const r = await trainModel({ files: [file], seed: 3, params: SMALL, minFdr: 1.01 });
    expect(r.gate.passed).toBe(false);
    expect(r.gate.reasons.join(' ')).toMatch(/below the floor/);
  });
});

describe('diskpredict train', () => {
  const run = (args: string[]) => runCommand(registerTrainCommand, 'train', args);

  it('writes a loadable model when the gate passes, and nothing (exit 3) when it fails', async () => {
    const out = join(dir, 'model-ok');
    const ok = await run(['--data', file, '--out', out, '--seed', '3', '--min-fdr', '0.2']);
    expect(ok.code).toBeUndefined();
    expect(ok.out).toMatch(/Backblaze rule/);
    expect(ok.out).toMatch(/gate passed/);
    const predictor = ModelPredictor.fromFile(join(out, 'model.json'));
    expect(predictor.document.thresholds.bad).toBeGreaterThan(0);
    expect(loadModel(join(out, 'model.json')).document.checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(readFileSync(join(out, 'model.json'), 'utf8').endsWith('\n')).toBe(true);

    const bad = join(dir, 'model-bad');
    const failed = await run(['--data', file, '--out', bad, '--seed', '3', '--min-fdr', '1.01']);
    expect(failed.code).toBe(3);
    expect(failed.out).toMatch(/gate FAILED/);
    expect(existsSync(join(bad, 'model.json'))).toBe(false);
  }, 120_000);
});
