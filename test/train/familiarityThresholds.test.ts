import { describe, expect, it } from 'vitest';
import { familiarityThresholds, runFamiliarity } from '../../lib/train/familiarityThresholds.js';
import type { LeftOutModel } from '../../lib/train/leaveOneModelOut.js';

/** A run whose healthy days score `healthy` (all of them kept as the "top") and whose model saw `trained`. */
function run(model: string, trained: string[], healthy: number[]): LeftOutModel {
  const sorted = [...healthy].sort((a, b) => b - a);
  return {
    model,
    thresholds: { bad: 0.5, warning: 0.3 },
    trainedDriveModels: trained,
    row: undefined,
    badNeed: null,
    warningNeed: null,
    healthyDays: healthy.length,
    failedDrives: 0,
    scores: { healthyTop14: sorted, healthyTop42: sorted, failedMax14: [], failedMax42: [] },
  };
}

const flat = (n: number, v: number) => Array.from({ length: n }, () => v);

describe('thresholds for unfamiliar drives from leave-one-model-out runs', () => {
  it('classes runs by how familiar their model was with the drive model left out', () => {
    expect(runFamiliarity({ model: 'ST12000NM0008', trainedDriveModels: ['ST8000NM0055', 'ST4000DM000'] })).toBe('family');
    expect(runFamiliarity({ model: 'TOSHIBA MQ01ABF050', trainedDriveModels: ['TOSHIBA DT01ACA300', 'ST4000DM000'] })).toBe('vendor');
    expect(runFamiliarity({ model: 'WDC WD40EFRX', trainedDriveModels: ['ST4000DM000'] })).toBe('none');
  });

  it('pools a class\'s healthy days, never goes below the base and keeps family ≤ vendor ≤ none', () => {
    // family: 400 healthy days, 4 of them at 0.9 (1 %): a 0.5 % budget allows 2, so the cut sits just above 0.9
    const family = run('ST12000NM0008', ['ST8000NM0055'], [...flat(396, 0.1), 0.9, 0.9, 0.9, 0.9]);
    // vendor: nothing above the base
    const vendor = run('TOSHIBA MQ01ABF050', ['TOSHIBA DT01ACA300'], flat(400, 0.05));
    const { thresholds, classes } = familiarityThresholds([family, vendor], { bad: 0.47, warning: 0.31 }, { bad: 0.005, warning: 0.02 });
    expect(thresholds.family!.bad).toBeGreaterThan(0.9);
    expect(thresholds.family!.bad).toBeLessThan(0.90001);
    // the vendor class needed only the base, but is never more eager than family
    expect(thresholds.vendor!.bad).toBe(thresholds.family!.bad);
    expect(thresholds.none!.bad).toBe(thresholds.family!.bad);
    expect(classes.map((c) => [c.familiarity, c.models, c.healthyDays])).toEqual([
      ['family', ['ST12000NM0008'], 400],
      ['vendor', ['TOSHIBA MQ01ABF050'], 400],
    ]);
    for (const t of Object.values(thresholds)) expect(t.warning).toBeLessThanOrEqual(t.bad);
  });

  it('keeps the base thresholds when the runs stay within the budget', () => {
    const quiet = run('ST12000NM0008', ['ST8000NM0055'], flat(1000, 0.01));
    const { thresholds } = familiarityThresholds([quiet], { bad: 0.47, warning: 0.31 }, { bad: 0.005, warning: 0.02 });
    expect(thresholds.family).toEqual({ bad: 0.47, warning: 0.31 });
    expect(thresholds.none).toEqual({ bad: 0.47, warning: 0.31 });
  });

  it('leaves out runs whose own Bad threshold puts their scores on another scale', () => {
    const quiet = run('ST12000NM0008', ['ST8000NM0055'], flat(1000, 0.01));
    // a run calibrated without most of the population: everything scores high, its own Bad threshold is 0.98
    const inflated = run('ST4000DM000', ['ST8000DM002'], flat(1000, 0.95));
    inflated.thresholds = { bad: 0.98, warning: 0.98 };
    const { thresholds, classes, skipped } = familiarityThresholds([quiet, inflated], { bad: 0.47, warning: 0.31 }, { bad: 0.005, warning: 0.02 });
    expect(skipped).toEqual([{ model: 'ST4000DM000', bad: 0.98 }]);
    expect(classes.map((c) => c.models)).toEqual([['ST12000NM0008']]);
    expect(thresholds.family).toEqual({ bad: 0.47, warning: 0.31 });
    // within a factor 2 in odds (0.47 → odds 0.89; 0.6 → 1.5) it counts, and its high days raise the class
    inflated.thresholds = { bad: 0.6, warning: 0.3 };
    const counted = familiarityThresholds([quiet, inflated], { bad: 0.47, warning: 0.31 }, { bad: 0.005, warning: 0.02 });
    expect(counted.skipped).toEqual([]);
    expect(counted.thresholds.family!.bad).toBeGreaterThan(0.95);
  });

  it('refuses runs whose kept scores are too few for the budget', () => {
    const r = run('ST12000NM0008', ['ST8000NM0055'], [0.2]);
    r.healthyDays = 10_000; // claims 10,000 days but kept one score: a 2 % budget needs 201
    expect(() => familiarityThresholds([r], { bad: 0.47, warning: 0.31 }, { bad: 0.005, warning: 0.02 })).toThrow(/keep the top 1 of 10000/);
  });
});
