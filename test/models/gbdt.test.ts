import { describe, expect, it } from 'vitest';
import { GbdtInputError, gbdtModelFromJson, trainGbdt } from '../../lib/models/index.js';
import { auc, scoresOf, smallParams, synthetic } from './gbdtSynthetic.js';

const isNaNValue = (v: number): boolean => v !== v;

describe('trainGbdt', () => {
  it('learns a threshold rule combined with a missing-value rule', () => {
    // y = x0 > 3 && x2 missing: the trees must both cut x0 and route NaN of x2 on its own side.
    const rule = (row: Float32Array): number => (row[0]! > 3 && isNaNValue(row[2]!) ? 1 : 0);
    const missing = (f: number, rnd: () => number): boolean => f === 2 && rnd() < 0.4;
    const train = synthetic(6000, 4, 1, rule, missing);
    const test = synthetic(3000, 4, 2, rule, missing);
    const model = trainGbdt(train, undefined, smallParams);
    let errors = 0;
    for (let r = 0; r < test.nRows; r++) if ((model.predictProba(test.x, r * 4) > 0.5 ? 1 : 0) !== test.y[r]) errors++;
    expect(errors / test.nRows).toBeLessThan(0.01);
    const nanRow = Float32Array.of(5, 1, NaN, 1);
    const presentRow = Float32Array.of(5, 1, 4, 1);
    const lowRow = Float32Array.of(1, 1, NaN, 1);
    expect(model.predictProba(nanRow)).toBeGreaterThan(0.9);
    expect(model.predictProba(presentRow)).toBeLessThan(0.1);
    expect(model.predictProba(lowRow)).toBeLessThan(0.1);
  });

  it('sends missing values to the learned default side when only missingness predicts', () => {
    const train = synthetic(4000, 2, 3, (row) => (isNaNValue(row[1]!) ? 1 : 0), (f, rnd) => f === 1 && rnd() < 0.3);
    const model = trainGbdt(train, undefined, { ...smallParams, nRounds: 10 });
    expect(model.predictProba(Float32Array.of(5, NaN))).toBeGreaterThan(0.9);
    for (const v of [0, 5, 9.99, 1e30]) expect(model.predictProba(Float32Array.of(5, v))).toBeLessThan(0.1);
    const root = model.toJSON().trees[0]!;
    expect(root.feature[0]).toBe(1);
    expect(root.threshold[0]).toBeNull(); // +∞: every present value on one side, NaN on the other
  });

  it('learns to send missing values left when they behave like low values', () => {
    // NaN rows are negatives, like x1 <= 5: the best first split puts them on the left with the low values.
    const train = synthetic(4000, 2, 4, (row) => (row[1]! > 5 ? 1 : 0), (f, rnd) => f === 1 && rnd() < 0.3);
    const model = trainGbdt(train, undefined, { ...smallParams, nRounds: 10 });
    const first = model.toJSON().trees[0]!;
    expect(first.feature[0]).toBe(1);
    expect(first.defaultLeft[0]).toBe(1);
    expect(model.predictProba(Float32Array.of(5, NaN))).toBeLessThan(0.1);
    expect(model.predictProba(Float32Array.of(5, 7))).toBeGreaterThan(0.9);
  });

  it('still ranks positives first at 1:1000 imbalance with positive weighting', () => {
    // Positives live only where x0 > 9.9 and x1 > 5 (0.5% of rows, 1 in 5 of them): 1 in ~1000 overall.
    const label = (row: Float32Array, rnd: () => number): number => (row[0]! > 9.9 && row[1]! > 5 && rnd() < 0.2 ? 1 : 0);
    const train = synthetic(100_000, 6, 11, label);
    const test = synthetic(100_000, 6, 12, label);
    const positives = train.y.reduce((a, b) => a + b, 0);
    expect(positives).toBeGreaterThan(50);
    expect(positives).toBeLessThan(300);
    const model = trainGbdt(train, undefined, { ...smallParams, learningRate: 0.1, nRounds: 30, positiveWeight: 200 });
    expect(auc(scoresOf(test, (x, o) => model.predictRaw(x, o)), test.y)).toBeGreaterThan(0.9);
  });

  it('is deterministic for a seed and varies with the seed under subsampling', () => {
    const train = synthetic(3000, 5, 5, (row, rnd) => (row[0]! + row[1]! + rnd() * 4 > 12 ? 1 : 0));
    const params = { ...smallParams, rowSubsample: 0.7, featureSubsample: 0.6, nRounds: 15 };
    const a = JSON.stringify(trainGbdt(train, undefined, params).toJSON());
    const b = JSON.stringify(trainGbdt(train, undefined, params).toJSON());
    const c = JSON.stringify(trainGbdt(train, undefined, { ...params, seed: 8 }).toJSON());
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });

  it('stops early when the validation loss stops improving and keeps the best rounds', () => {
    // Pure noise labels: any tree over-fits, so validation loss rises almost at once.
    const noise = (_row: Float32Array, rnd: () => number): number => (rnd() < 0.5 ? 1 : 0);
    const train = synthetic(2000, 5, 21, noise);
    const valid = synthetic(2000, 5, 22, noise);
    const losses: number[] = [];
    const model = trainGbdt(train, valid, { ...smallParams, maxDepth: 6, nRounds: 200, earlyStoppingRounds: 5 }, (_r, _t, v) => losses.push(v));
    expect(losses.length).toBeLessThan(200);
    expect(model.roundsTrained).toBe(losses.length);
    expect(model.trees.length).toBe(losses.length - 5);
    const best = Math.min(...losses);
    expect(losses[model.trees.length - 1]).toBe(best);
  });

  it('reports falling training loss each round', () => {
    const train = synthetic(2000, 3, 31, (row) => (row[0]! > 5 ? 1 : 0));
    const losses: number[] = [];
    trainGbdt(train, undefined, { ...smallParams, nRounds: 5 }, (round, t, v) => {
      expect(round).toBe(losses.length);
      expect(v).toBeNaN();
      losses.push(t);
    });
    expect(losses).toHaveLength(5);
    for (let i = 1; i < losses.length; i++) expect(losses[i]!).toBeLessThan(losses[i - 1]!);
  });

  it('refuses inconsistent data and parameters with GbdtInputError', () => {
    const d = synthetic(10, 2, 1, () => 0);
    expect(() => trainGbdt({ ...d, nRows: 11 }, undefined, smallParams)).toThrow(GbdtInputError);
    expect(() => trainGbdt({ ...d, y: Uint8Array.of(...d.y.subarray(0, 9), 2) }, undefined, smallParams)).toThrow(/labels must be 0 or 1/);
    expect(() => trainGbdt(d, undefined, { ...smallParams, maxBins: 300 })).toThrow(/maxBins/);
    expect(() => trainGbdt(d, synthetic(5, 3, 1, () => 0), smallParams)).toThrow(/3 features, training data has 2/);
  });
});

describe('GbdtModel', () => {
  const train = synthetic(3000, 4, 41, (row, rnd) => (row[0]! * row[1]! + rnd() * 20 > 40 ? 1 : 0), (f, rnd) => f === 3 && rnd() < 0.2);
  const model = trainGbdt(train, undefined, { ...smallParams, rowSubsample: 0.8 });

  it('contributions sum to predictRaw, with the base score and root values as bias', () => {
    for (let r = 0; r < 200; r++) {
      const c = model.contributions(train.x, r * 4);
      expect(c).toHaveLength(5);
      expect(c.reduce((a, b) => a + b, 0)).toBeCloseTo(model.predictRaw(train.x, r * 4), 10);
    }
    const row = Float32Array.of(2, 3, NaN, 1);
    expect(model.contributions(row)[4]).toBeCloseTo(model.toJSON().baseScore + model.trees.reduce((s, t) => s + t.value[0]!, 0), 10);
  });

  it('round-trips through JSON with identical predictions', () => {
    const json = JSON.parse(JSON.stringify(model.toJSON()));
    const copy = gbdtModelFromJson(json);
    expect(JSON.stringify(copy.toJSON())).toBe(JSON.stringify(model.toJSON()));
    for (let r = 0; r < 100; r++) expect(copy.predictRaw(train.x, r * 4)).toBe(model.predictRaw(train.x, r * 4));
  });

  it('refuses corrupt tree JSON naming the field', () => {
    const bad = (mutate: (j: ReturnType<typeof model.toJSON>) => void): (() => unknown) => () => {
      const j = JSON.parse(JSON.stringify(model.toJSON()));
      mutate(j);
      return gbdtModelFromJson(j);
    };
    expect(bad((j) => (j.trees[0]!.left[0] = 0))).toThrow(/\/trees\/0\/left\/0/); // self-loop
    expect(bad((j) => (j.trees[0]!.right[0] = 10_000))).toThrow(/\/trees\/0\/right\/0/);
    expect(bad((j) => (j.trees[1]!.feature[0] = 4))).toThrow(/\/trees\/1\/feature\/0/);
    expect(bad((j) => j.trees[0]!.value.pop())).toThrow(/\/trees\/0\/value: expected \d+ entries/);
    expect(bad((j) => ((j as { formatVersion: number }).formatVersion = 2))).toThrow(/formatVersion/);
  });
});
