import { copyFileSync, mkdtempSync, renameSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultModelPath, loadModelPredictor } from '../../lib/predict/registry.js';

const dir = mkdtempSync(join(tmpdir(), 'diskpredict-model-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loaded model files are cached while the file on disk is unchanged (a daemon reload costs a stat)', () => {
  const file = join(dir, 'model.json');
  copyFileSync(defaultModelPath(), file);

  it('returns the loaded predictor again for an unchanged file', () => {
    expect(loadModelPredictor(file)).toBe(loadModelPredictor(file));
  });

  it('reads a file replaced by rename (new inode) again', () => {
    const before = loadModelPredictor(file);
    copyFileSync(defaultModelPath(), join(dir, 'next.json'));
    renameSync(join(dir, 'next.json'), file);
    const after = loadModelPredictor(file);
    expect(after).not.toBe(before);
    expect(loadModelPredictor(file)).toBe(after);
  });

  it('reads a file rewritten in place (new modification time) again', () => {
    const before = loadModelPredictor(file);
    copyFileSync(defaultModelPath(), file);
    const later = new Date(Date.now() + 60_000);
    utimesSync(file, later, later);
    expect(loadModelPredictor(file)).not.toBe(before);
  });

  it('throws for a file that has gone, so a reload keeps the predictor it holds', () => {
    loadModelPredictor(file);
    rmSync(file);
    expect(() => loadModelPredictor(file)).toThrow();
  });
});
