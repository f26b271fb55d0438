/**
 * Ceph's models behind the Predictor interface, the directory forms it accepts, the converted
 * format's integrity checks, and `diskpredict import-ceph-models`.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CephModelError, importCephModels, loadCephModels as loadCephModelsFrom, type CephModels } from '../../lib/models/ceph/index.js';
import { formatCephPrediction, loadCephPredictor, predictCephDump, type CephPredictor } from '../../lib/predict/ceph/index.js';
import { extractCephDayDict } from '../../lib/smart/cephDayDict.js';
import type { DeviceHistory } from '../../lib/smart/types.js';
import { isJsonObject, parseJsonExact, type JsonValue } from '../../lib/util/json.js';
import { describeShared, sharedPath } from '../helpers/shared.js';

const cephDir = sharedPath('ceph-models');
const goldenDir = sharedPath('golden');

function readCase(name: string): JsonValue {
  return parseJsonExact(readFileSync(join(goldenDir, 'cases', `${name}.json`), 'utf8'));
}

function keyTime(key: string): number {
  const m = /^(\d{4})-?(\d{2})-?(\d{2})(?:-(\d{2})(\d{2})(\d{2}))?$/.exec(key)!;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0));
}

/** A devicehealth map as the project's readers would give it: samples oldest first, error objects as errors. */
function historyOf(map: JsonValue): DeviceHistory {
  const history: DeviceHistory = { samples: [], errors: [] };
  const entries = Object.entries(map as Record<string, JsonValue>).sort(([a], [b]) => keyTime(a) - keyTime(b));
  for (const [key, sample] of entries) {
    if (isJsonObject(sample) && 'error' in sample) history.errors.push({ time: keyTime(key), key, message: String(sample['error']) });
    else history.samples.push({ device: { vendor: 'unknown' }, time: keyTime(key), ceph: extractCephDayDict(sample) });
  }
  return history;
}

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

describeShared('Ceph predictors', () => {
  let converted: string;
  beforeAll(() => {
    converted = mkdtempSync(join(tmpdir(), 'diskpredict-ceph-'));
    importCephModels(cephDir, converted);
  });
  afterAll(() => rmSync(converted, { recursive: true, force: true }));

  it('loads from Ceph’s models directory, the kind’s own folder and the converted directory, with the same version', () => {
    const version = `ceph-${sha256(join(cephDir, 'prophetstor', 'config.json')).slice(0, 12)}`;
    const fromParent = loadCephPredictor('prophetstor', cephDir);
    const fromOwn = loadCephPredictor('prophetstor', join(cephDir, 'prophetstor'));
    const fromConverted = loadCephPredictor('prophetstor', converted);
    expect([fromParent.from, fromOwn.from, fromConverted.from]).toEqual(['pickles', 'pickles', 'converted']);
    for (const p of [fromParent, fromOwn, fromConverted]) expect(p.model).toEqual({ name: 'prophetstor', version });
    expect(loadCephPredictor('redhat', converted).model.version).toBe(`ceph-${sha256(join(cephDir, 'redhat', 'config.json')).slice(0, 12)}`);
  });

  it('keeps provenance: the sha256 of every source file, as in the shared SHA256SUMS', () => {
    const sums = new Map(
      readFileSync(join(cephDir, 'SHA256SUMS'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => l.split(/\s+\*?/))
        .map(([h, p]) => [p!.replace(/^\.\//, ''), h!]),
    );
    for (const kind of ['prophetstor', 'redhat'] as const) {
      const doc = JSON.parse(readFileSync(join(converted, `${kind}.json`), 'utf8')) as { provenance: { files: { path: string; sha256: string }[] } };
      expect(doc.provenance.files.length).toBe(kind === 'prophetstor' ? 76 : 4);
      for (const f of doc.provenance.files) expect(f.sha256).toBe(sums.get(f.path));
    }
  });

  describe('Predictor interface on DeviceHistory', () => {
    let ps: CephPredictor;
    let rh: CephPredictor;
    beforeAll(() => {
      ps = loadCephPredictor('prophetstor', converted);
      rh = loadCephPredictor('redhat', converted);
    });

    it.each([
      'a_ceph_sample_input',
      'e_error_objects_5_usable',
      'e_error_objects_interleaved',
      'e_30_samples_newest_12_used',
      'e_64bit_raw_values',
      'e_hgst_inf_cv_raises',
      'e_insufficient_5_samples',
    ])('%s gives what predictCephDump gives', (name) => {
      const map = readCase(name);
      for (const p of [ps, rh]) {
        const viaHistory = p.verdict(historyOf(map));
        const direct = predictCephDump(loadModels(p.kind), map);
        expect(viaHistory.upstreamVerdict).toBe(direct.upstreamVerdict);
        expect(viaHistory.prophetstor?.votes).toEqual(direct.prophetstor?.votes);
        expect(viaHistory.redhat?.windows).toEqual(direct.redhat?.windows);
        expect(viaHistory.dpl.nSamples).toBe(direct.dpl.nSamples);
        expect(viaHistory.dpl.nDayDicts).toBe(direct.dpl.nDayDicts);
      }
    });

    it('fills a Prediction: status, cli, life expectancy, reasons, model, detail', () => {
      const p = rh.predict(historyOf(readCase('d_hgst_bb_2AGM8N2Y_guided-warning_n12')));
      expect(p.status).toBe('Warning');
      expect(p.cli).toBe('>=2w and <=6w');
      expect(p.lifeExpectancy).toEqual({ fromDays: 14, toDays: 42 });
      expect([p.p14, p.p42]).toEqual([null, null]);
      expect(p.samplesUsed).toBe(12);
      expect(p.reasons[0]!.text).toContain('Warning');
      expect(p.detail?.['redhat']).toMatchObject({ vendor: 'hgst' });
      const q = ps.predict(historyOf(readCase('a_ceph_sample_input')));
      expect(q).toMatchObject({ status: 'Good', cli: '>6w', model: ps.model });
      expect((q.detail?.['prophetstor'] as { score: number }).score).toBe(-11);
    });

    it('answers Unknown "model file missing" for Seagate under the Red Hat models, never a crash', () => {
      const p = rh.predict(historyOf(readCase('a_ceph_sample_input')));
      expect(p.status).toBe('Unknown');
      expect(p.reason).toContain('model file missing');
      expect(p.lifeExpectancy).toBeNull();
      const out = formatCephPrediction(predictCephDump(loadModels('redhat'), readCase('a_ceph_sample_input')));
      expect(out).toMatchObject({ status: 'Unknown', cli: 'unknown', reasonCode: 'model_file_missing', model: { name: 'redhat' } });
      expect(JSON.parse(JSON.stringify(out))).toEqual(out);
    });

    it('says why when upstream would not call its predictor', () => {
      const p = ps.predict(historyOf(readCase('e_error_objects_5_usable')));
      expect(p.status).toBe('Unknown');
      expect(p.reason).toMatch(/fewer than 6 samples with SMART data/);
      expect(ps.predict({ samples: [], errors: [] }).reason).toMatch(/fewer than 6 samples/);
    });
  });

  const cache = new Map<string, CephModels>();
  function loadModels(kind: 'prophetstor' | 'redhat'): CephModels {
    if (!cache.has(kind)) cache.set(kind, loadCephModelsFrom(kind, converted).models);
    return cache.get(kind)!;
  }

  describe('converted format integrity', () => {
    let copy: string;
    beforeAll(() => {
      copy = mkdtempSync(join(tmpdir(), 'diskpredict-ceph-bad-'));
    });
    afterAll(() => rmSync(copy, { recursive: true, force: true }));

    it('refuses an altered sidecar', () => {
      cpSync(converted, copy, { recursive: true });
      const f64 = join(copy, 'redhat.f64');
      const bytes = readFileSync(f64);
      bytes[100] = bytes[100]! ^ 1;
      writeFileSync(f64, bytes);
      expect(() => loadCephPredictor('redhat', copy)).toThrow(CephModelError);
      expect(() => loadCephPredictor('redhat', copy)).toThrow(/sha256/);
    });

    it('refuses another schema, another kind, and a directory without models', () => {
      cpSync(converted, copy, { recursive: true });
      const json = join(copy, 'prophetstor.json');
      const doc = JSON.parse(readFileSync(json, 'utf8')) as Record<string, unknown>;
      writeFileSync(json, JSON.stringify({ ...doc, schemaVersion: 99 }));
      expect(() => loadCephPredictor('prophetstor', copy)).toThrow(/schema|v1/);
      writeFileSync(json, JSON.stringify({ ...doc, kind: 'redhat' }));
      expect(() => loadCephPredictor('prophetstor', copy)).toThrow(/not prophetstor/);
      expect(() => loadCephPredictor('prophetstor', tmpdir())).toThrow(CephModelError);
      expect(() => loadCephPredictor('redhat', join(cephDir, 'prophetstor'))).toThrow(/not a Red Hat config/);
    });
  });

  it('diskpredict import-ceph-models writes both kinds and names the missing Seagate predictor', () => {
    const out = mkdtempSync(join(tmpdir(), 'diskpredict-ceph-cli-'));
    try {
      const root = resolve(import.meta.dirname, '../..');
      const stdout = execFileSync(process.execPath, ['--import', 'tsx', join(root, 'lib/cli/main.ts'), 'import-ceph-models', cephDir, '--out', out, '--json'], {
        cwd: root,
        encoding: 'utf8',
      });
      const result = JSON.parse(stdout) as { kind: string; missingFiles: string[] }[];
      expect(result.map((r) => r.kind)).toEqual(['prophetstor', 'redhat']);
      expect(result[1]!.missingFiles).toEqual(['redhat/seagate_predictor.pkl']);
      expect(loadCephPredictor('prophetstor', out).from).toBe('converted');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
