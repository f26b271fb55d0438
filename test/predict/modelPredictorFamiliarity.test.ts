import { readdirSync } from 'node:fs';
import { beforeAll, expect, it } from 'vitest';
import { loadModel } from '../../lib/models/modelFile.js';
import type { ModelDocument, ValidatedModel } from '../../lib/models/modelSchema.js';
import { driveIdentityOf, familiarityOf, normalizeDriveModel, trainedDriveModels } from '../../lib/predict/familiarity.js';
import { ModelPredictor } from '../../lib/predict/modelPredictor.js';
import { defaultModelPath } from '../../lib/predict/registry.js';
import { readSmartFile } from '../../lib/smart/readSmartFile.js';
import type { DeviceHistory } from '../../lib/smart/types.js';
import { describeShared, sharedPath } from '../helpers/shared.js';

const DRIVE_MODELS = ['ST4000DM000', 'ST8000NM0055', 'HGST HMS5C4040BLE640', 'TOSHIBA MQ01ABF050', 'Hitachi HDS722020ALA330'];

/** The shipped model with a training drive list and per-familiarity thresholds of our choosing (in memory only). */
function withFamiliarity(base: ValidatedModel, thresholds: ModelDocument['thresholds']['byFamiliarity'], driveModels = DRIVE_MODELS): ModelPredictor {
  const document: ModelDocument = {
    ...base.document,
    thresholds: { ...base.document.thresholds, ...(thresholds && { byFamiliarity: thresholds }) },
    training: { ...base.document.training, driveModels },
  };
  return new ModelPredictor({ ...base, document });
}

describeShared('ModelPredictor familiarity on the real smartctl samples', () => {
  let base: ValidatedModel;
  const histories: DeviceHistory[] = [];

  beforeAll(async () => {
    // The shipped model without its own training list and class thresholds: each test sets its own.
    const loaded = loadModel(defaultModelPath());
    const { driveModels: _listed, ...training } = loaded.document.training;
    const { byFamiliarity: _classes, byDriveModel: _own, ...thresholds } = loaded.document.thresholds;
    base = { ...loaded, document: { ...loaded.document, training, thresholds } };
    const dir = sharedPath('smartctl');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
      histories.push(...(await readSmartFile(`${dir}/${file}`)).histories.filter((h) => h.samples.length > 0));
    }
  });

  it('labels every prediction, rule-scored devices included, with the drive familiarity against the training list', () => {
    const p = withFamiliarity(base, undefined);
    const trained = trainedDriveModels(DRIVE_MODELS);
    const seen = new Set<string>();
    for (const h of histories) {
      const pred = p.predict(h);
      expect(pred.familiarity).toBe(familiarityOf(driveIdentityOf(h), trained));
      seen.add(pred.familiarity!);
    }
    expect([...seen].sort()).toEqual(['family', 'model', 'none', 'vendor']);
  });

  it('leaves familiarity out when the model file does not list its training drives', () => {
    const p = new ModelPredictor(base);
    for (const h of histories.slice(0, 20)) expect(p.predict(h).familiarity).toBeUndefined();
  });

  it("uses the familiarity's thresholds when the model has them, and the global ones for trained models", () => {
    const plain = new ModelPredictor(base);
    // vendor-familiar drives: everything is Bad; unfamiliar ones: nothing reaches a threshold of 1
    const p = withFamiliarity(base, { vendor: { bad: 0, warning: 0 }, none: { bad: 1, warning: 1 } });
    const statuses: Record<string, string[]> = { model: [], vendor: [], none: [] };
    for (const h of histories) {
      const pred = p.predict(h);
      const ref = plain.predict(h);
      if (pred.p14 === null) {
        // rule-scored or without attributes: thresholds play no part
        expect(pred.status).toBe(ref.status);
        continue;
      }
      if (pred.familiarity === 'model' || pred.familiarity === 'family') {
        expect([pred.status, pred.reason]).toEqual([ref.status, ref.reason]);
      } else if (pred.familiarity === 'vendor') {
        expect(pred.status).toBe('Bad');
        if (!pred.reason!.startsWith('SMART overall health failed')) expect(pred.reason).toContain("(the model's thresholds for vendor familiarity)");
      } else if (!pred.reason!.startsWith('SMART overall health failed')) {
        expect(pred.status).toBe('Good');
      }
      statuses[pred.familiarity === 'family' ? 'model' : pred.familiarity!]!.push(pred.status);
      // predictEachDay follows the same thresholds
      const days = p.predictEachDay(h);
      if (!pred.reason!.startsWith('SMART overall health failed')) expect(days.at(-1)!.status).toBe(pred.status);
    }
    for (const k of ['model', 'vendor', 'none']) expect(statuses[k]!.length, k).toBeGreaterThan(0);
  });

  it("uses a drive model's own thresholds, matched by part number across spellings, and nobody else's", () => {
    const plain = withFamiliarity(base, undefined);
    const scored = histories.filter((h) => {
      const r = plain.predict(h);
      return r.p14 !== null && !r.reason!.startsWith('SMART overall health failed') && driveIdentityOf(h).model?.startsWith('WDC WD');
    });
    // smartctl says "WDC WD20EFRX-68EUZN0", Backblaze "WDC WD20EFRX": the file names the Backblaze spelling
    const smartctlName = driveIdentityOf(scored[0]!).model!;
    const backblazeName = smartctlName.replace(/-[A-Z0-9]+$/, '');
    expect(backblazeName).not.toBe(smartctlName);
    const document: ModelDocument = { ...plain.document, thresholds: { ...plain.document.thresholds, byDriveModel: { [backblazeName]: { bad: 0, warning: 0 } } } };
    const p = new ModelPredictor({ ...base, document });
    let own = 0;
    for (const h of histories) {
      const pred = p.predict(h);
      const ref = plain.predict(h);
      const partNumber = normalizeDriveModel(driveIdentityOf(h).model ?? '');
      if (pred.p14 !== null && partNumber === normalizeDriveModel(backblazeName) && !ref.reason!.startsWith('SMART overall health failed')) {
        own++;
        expect(pred.status).toBe('Bad');
        expect(pred.reason).toContain(`(the model's thresholds for ${backblazeName})`);
        expect(p.predictEachDay(h).at(-1)!.status).toBe('Bad');
      } else {
        expect([pred.status, pred.reason]).toEqual([ref.status, ref.reason]);
      }
    }
    expect(own).toBeGreaterThan(0);
  });
});
