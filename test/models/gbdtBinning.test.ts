import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binOf, binThreshold, quantileEdges } from '../../lib/models/gbdt/binning.js';
import { trainGbdt } from '../../lib/models/index.js';
import { smallParams, synthetic } from './gbdtSynthetic.js';

describe('binning', () => {
  it('gives each distinct value its own bin when there are few', () => {
    const edges = quantileEdges(Float64Array.of(0, 0, 0, 1, 1, 5, 7, 7), 255);
    expect(Array.from(edges)).toEqual([0, 1, 5]); // the maximum, 7, is the unbounded last bin
    expect([NaN, -3, 0, 0.5, 1, 5, 6, 7, 1e9].map((v) => binOf(v, edges))).toEqual([0, 1, 1, 2, 2, 3, 4, 4, 4]);
  });

  it('caps the bin count and keeps edges strictly increasing', () => {
    const sorted = Float64Array.from({ length: 10_000 }, (_, i) => Math.floor(i / 3)).sort();
    const edges = quantileEdges(sorted, 32);
    expect(edges.length).toBeLessThanOrEqual(31);
    for (let i = 1; i < edges.length; i++) expect(edges[i]!).toBeGreaterThan(edges[i - 1]!);
  });

  it('bin b and below is exactly x <= binThreshold(b)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true, min: -1e6, max: 1e6 }), { minLength: 1, maxLength: 300 }), fc.integer({ min: 2, max: 40 }), fc.double({ noNaN: true, min: -2e6, max: 2e6 }), (values, maxBins, probe) => {
        const edges = quantileEdges(Float64Array.from(values).sort(), maxBins);
        const bin = binOf(probe, edges);
        for (let b = 1; b <= edges.length + 1; b++) expect(bin <= b).toBe(probe <= binThreshold(edges, b));
      }),
    );
  });

  it('scores the training rows with raw thresholds exactly as training did on bins', () => {
    const train = synthetic(3000, 4, 61, (row, rnd) => (row[1]! * row[2]! + rnd() * 30 > 45 ? 1 : 0), (f, rnd) => f === 1 && rnd() < 0.25);
    let lastLoss = NaN;
    const model = trainGbdt(train, undefined, { ...smallParams, maxBins: 16, nRounds: 20 }, (_r, loss) => (lastLoss = loss));
    let sum = 0;
    for (let r = 0; r < train.nRows; r++) {
      const p = model.predictProba(train.x, r * 4);
      sum -= train.y[r] ? Math.log(p) : Math.log(1 - p);
    }
    expect(sum / train.nRows).toBeCloseTo(lastLoss, 9);
  });
});
