/** The daemon's ModelSet: requests get the predictors with the overrides applied; `info` still sees the model itself. */
import { describe, expect, it } from 'vitest';
import { ModelSet } from '../../daemon/models.js';
import { ModelPredictor } from '../../lib/predict/modelPredictor.js';
import { validateOverrides } from '../../lib/predict/overrides/index.js';
import { createPredictor } from '../../lib/predict/registry.js';

describe('ModelSet with overrides', () => {
  const overrides = validateOverrides({ overrides: [{ device: 'X_1', forceStatus: 'Bad', note: 'test' }] }, 'test');
  const set = new ModelSet((spec) => createPredictor(spec), 'default', {}, overrides);

  it('predicts with the overrides, for the default and for a model loaded on request', () => {
    const history = { devid: 'X_1', samples: [], errors: [] };
    for (const predictor of [set.defaultModel.predictor, set.get('rules')]) {
      const p = predictor.predict(history);
      expect(p.status).toBe('Bad');
      expect(p.overrides).toEqual([expect.objectContaining({ action: 'force', status: 'Bad', modelStatus: 'Unknown' })]);
    }
    expect(set.get('rules')).toBe(set.get('rules'));
  });

  it('lists the loaded models as loaded (our model file is still a ModelPredictor, for info\'s metadata)', () => {
    const [first] = set.all();
    expect(first!.spec).toBe('default');
    expect(first!.loaded).toBeInstanceOf(ModelPredictor);
    expect(first!.predictor.model).toEqual(first!.loaded.model);
    expect(set.all().map((m) => m.spec)).toEqual(['default', 'rules']);
  });
});
