/**
 * A small deterministic predictor for the daemon's protocol tests (the real models are tested elsewhere):
 * status from the newest sample's reallocated-sector count (ATA 5). Its version is read from
 * $DISKPREDICT_TEST_MODEL_VERSION_FILE each time it is created, so a reload can be observed.
 */
import { readFileSync } from 'node:fs';
import { cephLifeExpectancyFor, lifeExpectancyFor } from '../../../lib/predict/lifeExpectancy.js';
import type { HealthStatus, Predictor } from '../../../lib/predict/types.js';
import type { PredictorFactory } from '../../../daemon/models.js';

export const createTestPredictor: PredictorFactory = (spec) => {
  if (spec !== undefined && spec !== 'default' && spec !== 'rules') throw new Error(`test predictor has no model "${spec}"`);
  const versionFile = process.env['DISKPREDICT_TEST_MODEL_VERSION_FILE'];
  const version = versionFile ? readFileSync(versionFile, 'utf8').trim() : '1';
  const model = { name: spec === 'rules' ? 'test-rules' : 'test', version };
  const predictor: Predictor = {
    model,
    predict(history) {
      const last = history.samples[history.samples.length - 1];
      if (!last) {
        return { status: 'Unknown', p14: null, p42: null, lifeExpectancy: null, cli: 'unknown', reasons: [], model, samplesUsed: 0, reason: 'no usable samples' };
      }
      const raw = last.ata?.get(5)?.raw;
      const reallocated = raw === undefined ? 0 : Number(raw);
      const status: HealthStatus = reallocated > 100 ? 'Bad' : reallocated > 0 ? 'Warning' : 'Good';
      const p14 = status === 'Bad' ? 0.9 : status === 'Warning' ? 0.2 : 0.01;
      return {
        status,
        p14,
        p42: Math.min(1, p14 * 1.5),
        lifeExpectancy: lifeExpectancyFor(status),
        cli: cephLifeExpectancyFor(status),
        reasons: reallocated ? [{ feature: 'smart_5_raw', text: `${reallocated} reallocated sectors`, contribution: 1, value: reallocated }] : [],
        model,
        samplesUsed: history.samples.length,
      };
    },
  };
  return predictor;
};
