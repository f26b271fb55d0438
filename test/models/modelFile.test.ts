import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  canonicalJson,
  fitCalibration,
  loadModel,
  loadModelFile,
  ModelFileError,
  modelChecksum,
  parseModel,
  parseModelDocument,
  serializeModelDocument,
  trainGbdt,
  validateModelDocument,
  writeModelFile,
  type ModelDocumentBody,
  type ValidatedModel,
} from '../../lib/models/index.js';
import { scoresOf, smallParams, synthetic } from './gbdtSynthetic.js';

const dir = mkdtempSync(join(tmpdir(), 'diskpredict-modelfile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function body(): ModelDocumentBody {
  const data = synthetic(2000, 3, 9, (row, rnd) => (row[0]! + rnd() * 5 > 10 ? 1 : 0), (f, rnd) => f === 2 && rnd() < 0.3);
  const params = { ...smallParams, nRounds: 8 };
  const head = () => {
    const gbdt = trainGbdt(data, undefined, params);
    return { trees: gbdt.toJSON(), calibration: fitCalibration(scoresOf(data, (x, o) => gbdt.predictRaw(x, o)), data.y).toJSON() };
  };
  return {
    schema: 'diskpredict-model',
    schemaVersion: 1,
    name: 'test-model',
    version: '1.0.0',
    created: '2026-01-02T03:04:05.000Z',
    features: ['smart_5_raw', 'smart_187_raw', 'smart_197_raw'],
    heads: { p14: head(), p42: head() },
    thresholds: { bad: 0.5, warning: 0.1, falseAlarmBudget: 0.01 },
    training: {
      files: [{ name: 'a.csv', sha256: 'ab'.repeat(32), rows: 2000 }],
      drives: 40,
      failures: 3,
      dateRange: ['2024-01-01', '2024-03-31'],
      seed: params.seed,
      params,
    },
    validation: { auc: 0.93, perDrive: { recall: 0.5 } },
  };
}

/** Writes text and returns the error loading it throws. */
function loadError(text: string, name = 'broken.json'): ModelFileError {
  const path = join(dir, name);
  writeFileSync(path, text);
  try {
    loadModelFile(path);
  } catch (e) {
    expect(e).toBeInstanceOf(ModelFileError);
    return e as ModelFileError;
  }
  throw new Error('expected the model file to be refused');
}

/** Re-signs an edited document so only the edit itself can be the reason for refusal. */
function resigned(mutate: (doc: Record<string, any>) => void): string {
  const doc = JSON.parse(serializeModelDocument(body()));
  mutate(doc);
  doc.checksum = modelChecksum(doc);
  return JSON.stringify(doc);
}

describe('model file', () => {
  const original = body();
  const path = join(dir, 'model.json');
  const written = writeModelFile(path, original);
  const text = readFileSync(path, 'utf8');

  it('round-trips byte-identically and deterministically', () => {
    const loaded = loadModelFile(path);
    expect(loaded).toEqual(written);
    const { checksum, ...rest } = loaded;
    expect(checksum).toMatch(/^[0-9a-f]{64}$/);
    const again = join(dir, 'again.json');
    writeModelFile(again, rest);
    expect(readFileSync(again, 'utf8')).toBe(text);
    writeModelFile(again, body());
    expect(readFileSync(again, 'utf8')).toBe(text);
  });

  it('loads heads ready to score, matching the trees that were written', () => {
    const model = loadModel(path);
    const row = Float32Array.of(9, 1, NaN);
    const direct = trainGbdt(
      synthetic(2000, 3, 9, (r, rnd) => (r[0]! + rnd() * 5 > 10 ? 1 : 0), (f, rnd) => f === 2 && rnd() < 0.3),
      undefined,
      { ...smallParams, nRounds: 8 },
    );
    expect(model.p14.gbdt.predictRaw(row)).toBe(direct.predictRaw(row));
    expect(model.p42.calibration.apply(0)).toBeGreaterThan(0);
  });

  it('parses from memory with the source name in errors', () => {
    expect(parseModelDocument(text, 'mem').name).toBe('test-model');
    expect(() => parseModelDocument('{', 'in-memory-model')).toThrow(/in-memory-model/);
  });

  it('refuses a checksum mismatch', () => {
    const e = loadError(text.replace('"name":"test-model"', '"name":"test-modem"'));
    expect(e.code).toBe('checksum');
    expect(e.message).toMatch(/broken\.json.*checksum mismatch/);
  });

  it('refuses a truncated file', () => {
    const e = loadError(text.slice(0, Math.floor(text.length / 2)));
    expect(e.code).toBe('syntax');
    expect(e.message).toMatch(/truncated/);
    expect(loadError('').code).toBe('syntax');
  });

  it('refuses a newer schema version with a clear message', () => {
    const e = loadError(resigned((d) => (d.schemaVersion = 2)));
    expect(e.code).toBe('version');
    expect(e.message).toContain('model schema version 2 is newer than this diskpredict supports (1)');
  });

  it('refuses a file that is not a diskpredict model', () => {
    expect(loadError(JSON.stringify({ schema: 'something-else' })).code).toBe('schema');
    expect(loadError('[1,2]').code).toBe('schema');
  });

  it('refuses an out-of-range child index or cycle, naming the field', () => {
    const e = loadError(resigned((d) => (d.heads.p42.trees.trees[3].right[0] = 99_999)));
    expect(e.code).toBe('field');
    expect(e.field).toBe('/heads/p42/trees/trees/3/right/0');
    expect(e.message).toContain('/heads/p42/trees/trees/3/right/0');
    expect(loadError(resigned((d) => (d.heads.p14.trees.trees[0].left[0] = 0))).field).toBe('/heads/p14/trees/trees/0/left/0');
  });

  it('refuses wrongly typed or inconsistent fields', () => {
    const field = (mutate: (d: Record<string, any>) => void): string | undefined => loadError(resigned(mutate)).field;
    expect(field((d) => (d.version = '1.0'))).toBe('/version');
    expect(field((d) => (d.created = 'yesterday'))).toBe('/created');
    expect(field((d) => d.features.pop())).toBe('/heads/p14/trees/nFeatures');
    expect(field((d) => (d.features[1] = d.features[0]))).toBe('/features/1');
    expect(field((d) => (d.thresholds.warning = 0.9))).toBe('/thresholds/warning');
    expect(field((d) => (d.training.files[0].sha256 = 'xyz'))).toBe('/training/files/0/sha256');
    expect(field((d) => (d.training.dateRange = ['2024-05-01', '2024-01-01']))).toBe('/training/dateRange');
    expect(field((d) => (d.extra = 1))).toBe('/extra');
    expect(field((d) => delete d.heads.p42)).toBe('/heads/p42');
    expect(field((d) => (d.heads.p14.calibration.a = 'x'))).toBe('/heads/p14/calibration/a');
  });

  it('reads the optional training drive models and per-familiarity thresholds, and refuses bad ones', () => {
    const field = (mutate: (d: Record<string, any>) => void): string | undefined => loadError(resigned(mutate)).field;
    const withBoth = resigned((d) => {
      d.training.driveModels = ['ST4000DM000', 'HGST HMS5C4040BLE640'];
      d.thresholds.byFamiliarity = { none: { bad: 0.8, warning: 0.3 }, vendor: { bad: 0.6, warning: 0.2 } };
    });
    writeFileSync(join(dir, 'familiarity.json'), withBoth);
    const doc = loadModelFile(join(dir, 'familiarity.json'));
    expect(doc.training.driveModels).toEqual(['ST4000DM000', 'HGST HMS5C4040BLE640']);
    expect(doc.thresholds.byFamiliarity).toEqual({ none: { bad: 0.8, warning: 0.3 }, vendor: { bad: 0.6, warning: 0.2 } });
    expect(field((d) => (d.training.driveModels = 'ST4000DM000'))).toBe('/training/driveModels');
    expect(field((d) => (d.training.driveModels = ['ST4000DM000', ' ']))).toBe('/training/driveModels/1');
    expect(field((d) => (d.training.driveModels = [7]))).toBe('/training/driveModels/0');
    expect(field((d) => (d.training.driveModels = Array.from({ length: 10_001 }, (_, i) => `M${i}`)))).toBe('/training/driveModels');
    expect(field((d) => (d.thresholds.byFamiliarity = { model: { bad: 0.5, warning: 0.1 } }))).toBe('/thresholds/byFamiliarity/model');
    expect(field((d) => (d.thresholds.byFamiliarity = { none: { bad: 1.5, warning: 0.1 } }))).toBe('/thresholds/byFamiliarity/none/bad');
    expect(field((d) => (d.thresholds.byFamiliarity = { none: { bad: 0.2, warning: 0.3 } }))).toBe('/thresholds/byFamiliarity/none/warning');
    expect(field((d) => (d.thresholds.byFamiliarity = { family: { bad: 0.2 } }))).toBe('/thresholds/byFamiliarity/family/warning');
    expect(field((d) => (d.thresholds.byFamiliarity = null))).toBe('/thresholds/byFamiliarity');
  });

  it('reads optional per-drive-model thresholds, and refuses bad ones', () => {
    const field = (mutate: (d: Record<string, any>) => void): string | undefined => loadError(resigned(mutate)).field;
    writeFileSync(join(dir, 'byDriveModel.json'), resigned((d) => (d.thresholds.byDriveModel = { ST8000DM002: { bad: 0.32, warning: 0.3 } })));
    expect(loadModelFile(join(dir, 'byDriveModel.json')).thresholds.byDriveModel).toEqual({ ST8000DM002: { bad: 0.32, warning: 0.3 } });
    expect(field((d) => (d.thresholds.byDriveModel = []))).toBe('/thresholds/byDriveModel');
    expect(field((d) => (d.thresholds.byDriveModel = { ' ': { bad: 0.5, warning: 0.1 } }))).toBe('/thresholds/byDriveModel/ ');
    expect(field((d) => (d.thresholds.byDriveModel = { ST8000DM002: { bad: 0.2, warning: 0.3 } }))).toBe('/thresholds/byDriveModel/ST8000DM002/warning');
    expect(field((d) => (d.thresholds.byDriveModel = { ST8000DM002: { bad: 0.5, warning: 0.1, extra: 1 } }))).toBe('/thresholds/byDriveModel/ST8000DM002/extra');
    expect(field((d) => (d.thresholds.byDriveModel = { ST8000DM002: { bad: -1, warning: 0 } }))).toBe('/thresholds/byDriveModel/ST8000DM002/bad');
  });

  it('refuses to write a document it could not load', () => {
    const b = body();
    b.thresholds.bad = 2;
    expect(() => writeModelFile(join(dir, 'never.json'), b)).toThrow(/\/thresholds\/bad/);
    expect(() => readFileSync(join(dir, 'never.json'))).toThrow();
  });

  it('refuses to write values JSON cannot hold', () => {
    const b = body();
    b.validation = { auc: NaN };
    expect(() => writeModelFile(join(dir, 'nan.json'), b)).toThrow(expect.objectContaining({ code: 'field', field: '/validation/auc' }));
    b.validation = { curve: new Float64Array(2) };
    expect(() => writeModelFile(join(dir, 'typed.json'), b)).toThrow(/typed arrays/);
  });

  it('refuses a number too large for a double where validation does not look, as a field error (fuzz: seed 11, case 7339)', () => {
    // JSON.parse reads 1e400 as Infinity, which the checksum's canonical form cannot hold: this threw ModelFormatError
    const text = serializeModelDocument(body()).replace('"auc":0.93', '"auc":1e400');
    expect(loadError(text)).toMatchObject({ code: 'field', field: '/validation/auc' });
  });

  it('reports an unreadable path', () => {
    expect(() => loadModelFile(join(dir, 'missing.json'))).toThrow(expect.objectContaining({ code: 'unreadable' }));
  });
});

/**
 * The rule before loading checked the stored text: parse, validate, re-serialize canonically and
 * hash. Kept here as the reference the fast path must agree with: 'ok' or the refusal's code.
 */
function reserializingVerdict(text: string): string {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return 'syntax';
  }
  let doc: Record<string, unknown>;
  try {
    doc = validateModelDocument(json).document as unknown as Record<string, unknown>;
  } catch (e) {
    return (e as Error).name === 'ModelVersionError' ? 'version' : ['', '/schema'].includes((e as { field: string }).field) ? 'schema' : 'field';
  }
  const { checksum, ...rest } = doc;
  return createHash('sha256').update(canonicalJson(rest)).digest('hex') === checksum ? 'ok' : 'checksum';
}

function verdict(text: string): string {
  try {
    parseModel(text, 'mem');
    return 'ok';
  } catch (e) {
    expect(e).toBeInstanceOf(ModelFileError);
    return (e as ModelFileError).code;
  }
}

function flipped(text: string, at: number, byte: number): string {
  const bytes = Buffer.from(text);
  bytes[at] = byte;
  return bytes.toString('utf8');
}

function sameTrees(a: ValidatedModel, b: ValidatedModel): void {
  for (const head of ['p14', 'p42'] as const) {
    expect(a[head].gbdt.trees.length).toBe(b[head].gbdt.trees.length);
    a[head].gbdt.trees.forEach((t, i) => expect(t).toEqual(b[head].gbdt.trees[i]));
  }
}

describe('model file: checksum over the stored text', () => {
  const text = serializeModelDocument(body());

  it('loads a canonical file without re-serializing, to the same model as the long way', () => {
    const fast = parseModel(text, 'mem');
    // the same document, not canonical (indented): only the re-serializing check can verify it
    const pretty = JSON.stringify(JSON.parse(text), null, 2);
    expect(pretty).not.toBe(text);
    const slow = parseModel(pretty, 'mem');
    expect(fast.document).toEqual(slow.document);
    sameTrees(fast, slow);
  });

  it('refuses an edited file that is not canonical, as before', () => {
    const pretty = JSON.stringify(JSON.parse(text), null, 2).replace('"name": "test-model"', '"name": "test-modem"');
    expect(verdict(pretty)).toBe('checksum');
  });

  it('refuses a byte flipped anywhere, exactly as the re-serializing check does', () => {
    const length = Buffer.byteLength(text);
    let refused = 0;
    // every byte of the checksum member, then ~1,000 spread over the rest, each set to two bytes
    const stride = Math.max(1, Math.floor(length / 1000));
    for (let at = 0; at < length; at += at < 80 ? 1 : stride) {
      for (const byte of [0x30 + (at % 10), 0x7b]) {
        const broken = flipped(text, at, byte);
        if (broken === text) continue;
        const expected = reserializingVerdict(broken);
        expect(verdict(broken), `byte ${at} → ${byte}`).toBe(expected);
        if (expected !== 'ok') refused++;
      }
    }
    expect(refused).toBeGreaterThan(1000);
  });

  it('checks the checksum that the parsed document carries, not a repeated earlier one', () => {
    // the first member hashes what follows it (a second, wrong checksum and the rest), and
    // JSON.parse keeps the second
    const afterFirst = `"checksum":"${'0'.repeat(64)}",` + text.slice(text.indexOf(',') + 1);
    const repeated = `{"checksum":"${createHash('sha256').update('{' + afterFirst.slice(0, -1)).digest('hex')}",` + afterFirst;
    expect(JSON.parse(repeated).checksum).toBe('0'.repeat(64));
    expect(verdict(repeated)).toBe('checksum');
  });

  it('loads the shipped default model, identical to the re-serializing check', () => {
    const shipped = readFileSync(new URL('../../models/default/model.json', import.meta.url), 'utf8');
    expect(reserializingVerdict(shipped)).toBe('ok');
    const fast = parseModel(shipped, 'shipped');
    const slow = parseModel(JSON.stringify(JSON.parse(shipped), null, 1), 'shipped (indented)');
    sameTrees(fast, slow);
    expect(verdict(flipped(shipped, Buffer.byteLength(shipped) >> 1, 0x7b))).not.toBe('ok');
  });
});
