/**
 * Parity with Ceph's diskprediction_local as run with real scikit-learn: every case of
 * ../shared/data/golden, with the models read from the pickles and from the converted format.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dplDayDicts, importCephModels, loadCephModels, type ProphetStorModels, type RedHatModels } from '../../lib/models/ceph/index.js';
import { predictCephDump } from '../../lib/predict/ceph/index.js';
import { prophetStorDiffMatrix, prophetStorDiffs } from '../../lib/models/ceph/prophetstor.js';
import { redHatFeatures } from '../../lib/models/ceph/redhat.js';
import { scale } from '../../lib/models/ceph/forest.js';
import { parseJsonExact, type JsonValue } from '../../lib/util/json.js';
import { describeShared, hasShared, sharedPath } from '../helpers/shared.js';

// golden JSON is read loosely; its schema is in golden/README.md
type Golden = Record<string, any>;

const goldenDir = sharedPath('golden');
const cephDir = sharedPath('ceph-models');
const caseNames = hasShared ? readdirSync(join(goldenDir, 'cases')).map((f) => f.replace(/\.json$/, '')).sort() : [];

function readJson(...parts: string[]): JsonValue {
  return parseJsonExact(readFileSync(join(...parts), 'utf8'));
}

function readCase(name: string): JsonValue {
  return readJson(goldenDir, 'cases', `${name}.json`);
}

/** golden writes non-finite numbers as strings */
function num(v: unknown): number {
  return typeof v === 'string' ? Number(v) : (v as number);
}

describeShared('Ceph golden parity', () => {
  const expected = hasShared ? (readJson(goldenDir, 'expected.json') as Golden) : {};

  it('covers every case listed in expected.json', () => {
    expect(caseNames).toEqual(Object.keys(expected).sort());
    expect(caseNames.length).toBeGreaterThan(300);
  });

  for (const source of ['pickles', 'converted'] as const) {
    describe(`models from ${source}`, () => {
      let ps: ProphetStorModels;
      let rh: RedHatModels;
      let tmp: string | undefined;
      beforeAll(() => {
        let dir = cephDir;
        if (source === 'converted') {
          tmp = mkdtempSync(join(tmpdir(), 'diskpredict-ceph-'));
          importCephModels(cephDir, tmp);
          dir = tmp;
        }
        const a = loadCephModels('prophetstor', dir);
        const b = loadCephModels('redhat', dir);
        expect(a.from).toBe(source);
        expect(b.from).toBe(source);
        ps = a.models;
        rh = b.models;
      });
      afterAll(() => {
        if (tmp) rmSync(tmp, { recursive: true, force: true });
      });

      it.each(caseNames)('%s', (name) => {
        const e = expected[name];
        const input = readCase(name);
        const a = predictCephDump(ps, input);
        expect(a.dpl.nSamples).toBe(e.dpl.n_samples);
        expect(a.dpl.nDayDicts).toBe(e.dpl.n_day_dicts);
        expect(a.dpl.keysUsed).toEqual(e.dpl.keys_used);
        expect(a.dpl.keysSkippedEmpty).toEqual(e.dpl.keys_skipped_empty);
        expect(a.upstreamVerdict).toBe(e.ps.verdict);
        expect(a.reason).toBe(e.ps.reason);
        expect(a.upstreamCli).toBe(e.dpl_cli);
        expect(a.prophetstor?.modelsUsed ?? []).toEqual(e.ps.models_used);
        expect(a.prophetstor?.votes ?? {}).toEqual(e.ps.votes);
        expect(a.prophetstor?.score ?? null).toBe(e.ps.score);

        const b = predictCephDump(rh, input);
        expect(b.upstreamVerdict).toBe(e.rh.verdict);
        expect(b.upstreamCli).toBe(e.dpl_cli_redhat);
        expect(b.redhat?.reason ?? b.reason).toBe(e.rh.reason);
        expect(b.redhat?.vendor ?? null).toBe(e.rh.vendor);
        if (e.rh.vendor_source !== undefined) expect(b.redhat?.vendorSource).toBe(e.rh.vendor_source);
        expect((b.redhat?.windows ?? []).map((w) => w.class)).toEqual(e.rh.windows.map((w: any) => w.class));
        expect((b.redhat?.windows ?? []).map((w) => w.proba)).toEqual(e.rh.windows.map((w: any) => w.proba));
        if (e.rh.missing_attributes) expect(b.redhat?.missingAttributes).toEqual(e.rh.missing_attributes);
        if (e.rh.missing_files) expect(b.redhat?.missingFiles).toEqual(e.rh.missing_files);
      });
    });
  }

  describe('intermediate values (details/)', () => {
    let ps: ProphetStorModels;
    let rh: RedHatModels;
    beforeAll(() => {
      ps = loadCephModels('prophetstor', cephDir).models;
      rh = loadCephModels('redhat', cephDir).models;
    });

    it.each(caseNames)('%s', (name) => {
      const det = readJson(goldenDir, 'details', `${name}.json`) as Golden;
      const input = readCase(name);
      const dpl = dplDayDicts(input);
      if (dpl.reason !== 'insufficient_samples') expect(dpl.dayDicts).toEqual(det['day_dicts']);
      const a = predictCephDump(ps, input).prophetstor;
      if (det['ps']?.attrs && a) {
        expect(a.attributes).toEqual(det['ps'].attrs);
        expect(a.maxScore).toBe(det['ps'].max_score);
        const diffs = prophetStorDiffs(dpl.dayDicts, a.attributes).map((row) => a.attributes.map((k) => row.get(k)));
        expect(diffs).toEqual((det['ps'].diff_rows as unknown[][]).map((r) => r.map((v) => BigInt(v as number | bigint))));
        // what the SVMs read: Number of each exact difference
        expect([...prophetStorDiffMatrix(dpl.dayDicts, a.attributes)]).toEqual(diffs.flat().map((v) => Number(v)));
        for (const [model, m] of Object.entries(det['ps'].models ?? {}) as [string, any][]) {
          const ours = a.decisions[model]!;
          (m.decision_function as number[]).forEach((ref, i) => {
            expect(Math.abs(ours[i]! - ref)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(ref)));
          });
        }
      }
      const rhDet = det['rh'];
      if (rhDet?.features) {
        const vendor = predictCephDump(rh, input).redhat!.vendor!;
        const entry = rh.config.find((c) => c.vendor === vendor)!;
        const rows = redHatFeatures(dpl.dayDicts, entry.features);
        expect(rows.map((r) => [...r])).toEqual((rhDet.features as unknown[][]).map((r) => r.map(num)));
        const scaler = rh.vendors.get(vendor)!.scaler;
        if (rhDet.features_scaled && scaler) {
          expect(rows.map((r) => [...scale(scaler, r)])).toEqual((rhDet.features_scaled as unknown[][]).map((r) => r.map(num)));
        }
        if (rhDet.leaves) expect(predictCephDump(rh, input).redhat!.leaves).toEqual(rhDet.leaves);
      }
    });
  });
});
