import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeModelFile } from '../../lib/models/modelFile.js';
import { ModelPredictor } from '../../lib/predict/modelPredictor.js';
import { createPredictor, defaultModelPath, openPredictor, predict, PredictorSpecError } from '../../lib/predict/registry.js';
import { streamBackblazeRows } from '../../lib/smart/backblazeCsv.js';
import type { DeviceHistory, SmartSample } from '../../lib/smart/types.js';
import { trainModel } from '../../lib/train/trainModel.js';
import { writeSyntheticBackblaze } from '../train/syntheticBackblaze.js';
import { describeShared, sharedPath } from '../helpers/shared.js';

const dir = mkdtempSync(join(tmpdir(), 'dp-predict-'));
const csv = join(dir, 'synthetic.csv');
const modelDir = join(dir, 'model');
let histories: DeviceHistory[] = [];

beforeAll(async () => {
  writeSyntheticBackblaze(csv, { healthy: 120, failing: 40, days: 50, seed: 11 });
  const r = await trainModel({ files: [csv], seed: 5, params: { nRounds: 20, earlyStoppingRounds: 5, maxDepth: 3, maxLeaves: 8, maxBins: 32 }, minFdr: 0 });
  mkdirSync(modelDir, { recursive: true });
  writeModelFile(join(modelDir, 'model.json'), r.document);
  const bySerial = new Map<string, SmartSample[]>();
  for await (const s of streamBackblazeRows(csv)) {
    const list = bySerial.get(s.device.serial!) ?? [];
    list.push(s);
    bySerial.set(s.device.serial!, list);
  }
  histories = [...bySerial.values()].map((samples) => ({ samples, errors: [] }));
}, 120_000);

describe('ModelPredictor', () => {
  it('predicts ATA drives with probabilities, a status from the stored thresholds and reasons', () => {
    const p = createPredictor(modelDir) as ModelPredictor;
    const failing = histories.find((h) => h.samples.some((s) => s.failure))!;
    const beforeFailure: DeviceHistory = { samples: failing.samples.slice(0, -1), errors: [] };
    const pred = p.predict(beforeFailure);
    expect(pred.p14).toBeGreaterThanOrEqual(0);
    expect(pred.p14).toBeLessThanOrEqual(1);
    expect(pred.model.name).toBe('diskpredict-gbdt');
    expect(pred.reasons.length).toBeGreaterThan(0);
    expect(pred.reasons[0]!.text.length).toBeGreaterThan(5);
    const t = p.document.thresholds;
    expect(pred.status).toBe(pred.p14! >= t.bad ? 'Bad' : pred.p42! >= t.warning ? 'Warning' : 'Good');
  });

  it('explains each status by the contributions that pushed toward it, from the head that set it, over the days covered', () => {
    const seen = new Set<string>();
    // the synthetic model and the shipped one: between them, every status occurs
    for (const p of [createPredictor(modelDir), createPredictor('default')]) for (const h of histories) {
      for (let n = 1; n <= h.samples.length; n += n < 6 ? 5 : 4) {
        const pred = p.predict({ samples: h.samples.slice(0, n), errors: [] });
        seen.add(pred.status);
        const reasons = pred.reasons.filter((r) => r.feature !== 'smart_status');
        if (pred.status === 'Good') {
          for (const r of reasons) expect([r.feature, r.contribution < 0, r.text]).toEqual([r.feature, true, expect.stringMatching(/\(lowers the 42-day risk\)$/)]);
          expect(pred.reason).toMatch(/< Warning threshold/);
        } else {
          const days = pred.status === 'Bad' ? 14 : 42;
          for (const r of reasons) expect([r.feature, r.contribution > 0, r.text]).toEqual([r.feature, true, expect.stringMatching(new RegExp(`\\(raises the ${days}-day risk\\)$`))]);
          expect(pred.reason).toMatch(pred.status === 'Bad' ? /p14 .* ≥ Bad threshold/ : /p42 .* ≥ Warning threshold/);
        }
        for (const r of pred.reasons) {
          if (n === 1) expect(r.text).not.toMatch(/has not grown|grew by|fell by/);
          if (n === 6) expect(r.text).not.toMatch(/ in (30|7) days/);
        }
      }
    }
    // the synthetic data has drives of every status, so every branch above ran
    expect([...seen].sort()).toEqual(['Bad', 'Good', 'Warning']);
  });

  it('agrees between predict (last day) and predictEachDay, for every history length', () => {
    const p = createPredictor(join(modelDir, 'model.json')) as ModelPredictor;
    const h = histories[histories.length - 1]!;
    const each = p.predictEachDay(h);
    expect(each.length).toBe(h.samples.length);
    for (const n of [1, 2, 7, h.samples.length]) {
      const single = p.predict({ samples: h.samples.slice(0, n), errors: [] });
      expect(single.p14).toBe(each[n - 1]!.p14);
      expect(single.status).toBe(each[n - 1]!.status);
    }
  });

  it('gives the same prediction from a predictor that has predicted other histories (its scratch matrix is reused)', () => {
    const used = createPredictor(modelDir) as ModelPredictor;
    // longest first, so a shorter history would see a longer one's stale rows if anything read them
    const cases = histories.flatMap((h) => [h.samples, h.samples.slice(0, 3), h.samples.slice(0, 1)]).sort((a, b) => b.length - a.length);
    for (const samples of cases) {
      const fresh = createPredictor(modelDir) as ModelPredictor;
      expect(used.predict({ samples, errors: [] })).toEqual(fresh.predict({ samples, errors: [] }));
    }
  });

  it('gives Unknown with a reason when no model attribute is reported, and sends NVMe to the rules', () => {
    const p = createPredictor(modelDir);
    const noAttrs = p.predict({ samples: [{ device: { vendor: 'seagate', protocol: 'ata' }, time: 0, ata: new Map([[250, { id: 250, raw: 1 }]]) }], errors: [] });
    expect(noAttrs.status).toBe('Unknown');
    expect(noAttrs.reason).toMatch(/no usable ATA attribute/);
    const nv = predict({ samples: [{ device: { vendor: 'samsung', protocol: 'nvme' }, time: 0, nvme: { mediaErrors: 0 } }], errors: [] }, { model: p });
    expect(nv.model.name).toBe('rules');
    expect(nv.status).toBe('Good');
  });

  it('refuses unknown specs, Ceph models without their directory, and models of another feature layout', () => {
    expect(() => createPredictor('no-such-model')).toThrow(PredictorSpecError);
    const env = process.env['DISKPREDICT_CEPH_MODELS'];
    delete process.env['DISKPREDICT_CEPH_MODELS'];
    try {
      expect(() => createPredictor('redhat')).toThrow(/DISKPREDICT_CEPH_MODELS/);
    } finally {
      if (env !== undefined) process.env['DISKPREDICT_CEPH_MODELS'] = env;
    }
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"schema": "something-else"}');
    expect(() => createPredictor(broken)).toThrow(/not a diskpredict model/);
  });
});

describe('openPredictor (Ceph model code imported on demand)', () => {
  it('resolves our own specs to the same cached predictors as createPredictor, and refuses the same specs', async () => {
    expect(await openPredictor('default')).toBe(createPredictor('default'));
    expect(await openPredictor(modelDir)).toBe(createPredictor(modelDir));
    expect((await openPredictor('rules')).model.name).toBe('rules');
    await expect(openPredictor('no-such-model')).rejects.toThrow(PredictorSpecError);
    const env = process.env['DISKPREDICT_CEPH_MODELS'];
    delete process.env['DISKPREDICT_CEPH_MODELS'];
    try {
      await expect(openPredictor('prophetstor')).rejects.toThrow(/DISKPREDICT_CEPH_MODELS/);
    } finally {
      if (env !== undefined) process.env['DISKPREDICT_CEPH_MODELS'] = env;
    }
  });
});

describeShared('openPredictor with Ceph models', () => {
  it('loads prophetstor and redhat like createPredictor', async () => {
    const cephModelDir = sharedPath('ceph-models');
    for (const kind of ['prophetstor', 'redhat']) {
      const opened = await openPredictor(kind, { cephModelDir });
      expect(opened.model).toEqual(createPredictor(kind, { cephModelDir }).model);
      expect(opened.predict(histories[0]!).model.name).toBe(kind);
    }
  });
});

describe('shipped default model', () => {
  it('loads from models/default and scores an ATA history', () => {
    expect(defaultModelPath()).toMatch(/models[\\/]default[\\/]model\.json$/);
    const p = createPredictor('default') as ModelPredictor;
    expect(p.document.name).toBe('default');
    const pred = p.predict(histories[0]!);
    expect(['Good', 'Warning', 'Bad']).toContain(pred.status);
  });
});

describeShared('default model on the Ceph sample drive (shared data)', () => {
  it('scores Z302SV96 from the Ceph diskprediction_local sample without Unknown', async () => {
    const { readSmartFile } = await import('../../lib/smart/readSmartFile.js');
    const { histories: hs } = await readSmartFile(sharedPath('ceph', 'diskprediction_local_sample_input.json'));
    const pred = predict(hs[0]!);
    expect(pred.status).not.toBe('Unknown');
    expect(pred.samplesUsed).toBe(6);
  });
});
