/**
 * The compiled form of a model file (lib/models/compiledModel.ts): the same model as the JSON gives — document
 * (keys in order, `heads` read from the file on first use), trees, flattened forest, calibrations, scores — and
 * never used when it does not match the model file beside it, is damaged, or was made by another Node.
 */
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCompiledModel, writeCompiledModel } from '../../lib/models/compiledModel.js';
import { loadModel } from '../../lib/models/modelFile.js';
import { stringifyJsonExact } from '../../lib/util/json.js';
import { compiledDefaultModelPath, defaultModelPath } from '../../lib/predict/predictorSpec.js';

const work = mkdtempSync(join(tmpdir(), 'dp-compiled-model-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('compiled model', () => {
  const modelPath = join(work, 'model.json');
  copyFileSync(defaultModelPath(), modelPath);
  const compiledPath = join(work, 'model.v8');
  writeCompiledModel(modelPath, compiledPath);

  it('is the model the JSON gives', () => {
    const json = loadModel(modelPath);
    const compiled = readCompiledModel(modelPath, compiledPath)!;
    expect(compiled).toBeDefined();
    for (const key of ['p14', 'p42'] as const) {
      const [a, b] = [compiled[key], json[key]];
      expect(a.calibration).toEqual(b.calibration);
      expect([a.gbdt.nFeatures, a.gbdt.baseScore, a.gbdt.roundsTrained]).toEqual([b.gbdt.nFeatures, b.gbdt.baseScore, b.gbdt.roundsTrained]);
      expect(a.gbdt.trees).toEqual(b.gbdt.trees); // views of one array per field, the same values
      // the same scores and contributions, bit for bit, on rows with missing and extreme values
      for (let seed = 1; seed <= 50; seed++) {
        const row = Float64Array.from({ length: b.gbdt.nFeatures }, (_, i) => ((seed * 7919 + i * 104729) % 13 === 0 ? NaN : (((seed * 31 + i * 17) % 101) - 20) * 10 ** ((seed + i) % 7)));
        expect(Object.is(a.gbdt.predictRaw(row), b.gbdt.predictRaw(row))).toBe(true);
        expect(a.gbdt.contributions(row)).toEqual(b.gbdt.contributions(row));
      }
    }
    // the document, keys in the file's order, heads included (read from the file on first use)
    expect(stringifyJsonExact(compiled.document)).toBe(stringifyJsonExact(json.document));
  });

  it('is not used for a model file other than the one it was made from', () => {
    const other = join(work, 'other.json');
    const text = readFileSync(modelPath, 'utf8');
    writeFileSync(other, `${text.trimEnd()} \n`);
    expect(readCompiledModel(other, compiledPath)).toBeUndefined();
    expect(readCompiledModel(join(work, 'missing.json'), compiledPath)).toBeUndefined();
  });

  it('is not used when damaged or made by another Node', () => {
    const bytes = readFileSync(compiledPath);
    const damaged = join(work, 'damaged.v8');
    const flipped = Buffer.from(bytes);
    flipped[flipped.length - 100] ^= 0x01;
    writeFileSync(damaged, flipped);
    expect(readCompiledModel(modelPath, damaged)).toBeUndefined();
    const otherNode = join(work, 'other-node.v8');
    writeFileSync(otherNode, Buffer.from(bytes.toString('latin1').replace(`model 2 ${process.version} `, 'model 2 v0.0.0 '), 'latin1'));
    expect(readCompiledModel(modelPath, otherNode)).toBeUndefined();
    // version 1 stored each tree's arrays apart: its payload is not read as version 2's
    const older = join(work, 'older.v8');
    writeFileSync(older, Buffer.from(bytes.toString('latin1').replace(`model 2 ${process.version} `, `model 1 ${process.version} `), 'latin1'));
    expect(readCompiledModel(modelPath, older)).toBeUndefined();
    writeFileSync(damaged, 'not a compiled model');
    expect(readCompiledModel(modelPath, damaged)).toBeUndefined();
    expect(readCompiledModel(modelPath, compiledPath)).toBeDefined();
  });
});

const built = existsSync(compiledDefaultModelPath());
(built ? it : it.skip)(`the build's compiled default model matches models/default/model.json${built ? '' : ' [skipped: not built — npm run build:ts]'}`, () => {
  expect(readCompiledModel(defaultModelPath(), compiledDefaultModelPath())).toBeDefined();
});
