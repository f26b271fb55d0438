/** The protocol's prediction object: every Unknown carries a reason, whatever the predictor said. */
import { describe, expect, it } from 'vitest';
import { predictionReply } from '../../daemon/predictionReply.js';
import { RulesPredictor } from '../../lib/predict/rulesPredictor.js';
import type { Prediction } from '../../lib/predict/types.js';

const history = { samples: [], errors: [] };

describe('predictionReply', () => {
  it('gives an Unknown without a reason one naming the model', () => {
    const bare: Prediction = { status: 'Unknown', p14: null, p42: null, lifeExpectancy: null, cli: 'unknown', reasons: [], model: { name: 'plugin', version: '3' }, samplesUsed: 0 };
    expect(predictionReply(bare, history, 0)).toMatchObject({ status: 'Unknown', reason: 'model plugin 3 gave Unknown without a reason' });
  });

  it('passes a rule verdict on with null probabilities and each reason\'s rule', () => {
    const t = Date.UTC(2026, 0, 1);
    const sas = { samples: [{ device: { vendor: 'seagate' as const, protocol: 'scsi' as const }, time: t, healthPassed: true, scsi: { grownDefects: 56 } }], errors: [] };
    const reply = predictionReply(new RulesPredictor().predict(sas), sas, t);
    expect(reply).toMatchObject({ status: 'Warning', p14: null, p42: null, model: { name: 'rules' } });
    expect(reply['reasons']).toEqual([{ feature: 'scsi.grown_defects', text: expect.stringContaining('grown defect list: 56'), contribution: 1, value: 56, rule: 'grown defect list ≥ 1 → Warning' }]);
  });
});
