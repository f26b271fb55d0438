import { describe, expect, it } from 'vitest';
import { Calibration, calibrationFromJson, fitCalibration, ModelFormatError } from '../../lib/models/index.js';
import { lcg } from './gbdtSynthetic.js';

/** Scores whose true failure probability is sigmoid(0.5 · raw − 3). */
function plattData(n: number, seed: number): { raw: Float64Array; y: Uint8Array } {
  const rnd = lcg(seed);
  const raw = new Float64Array(n);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    raw[i] = rnd() * 16 - 4;
    y[i] = rnd() < 1 / (1 + Math.exp(-(0.5 * raw[i]! - 3))) ? 1 : 0;
  }
  return { raw, y };
}

describe('fitCalibration', () => {
  it('recovers the true score-to-probability map', () => {
    const { raw, y } = plattData(50_000, 3);
    const cal = fitCalibration(raw, y);
    expect(cal.a).toBeCloseTo(0.5, 1);
    expect(cal.b).toBeCloseTo(-3, 0);
    for (const s of [-4, 0, 4, 8, 12]) expect(Math.abs(cal.apply(s) - 1 / (1 + Math.exp(-(0.5 * s - 3))))).toBeLessThan(0.03);
  });

  it('is monotone non-decreasing and deterministic', () => {
    const { raw, y } = plattData(5000, 4);
    const cal = fitCalibration(raw, y);
    expect(fitCalibration(raw, y).toJSON()).toEqual(cal.toJSON());
    let prev = -Infinity;
    for (let s = -50; s <= 50; s += 0.25) {
      const p = cal.apply(s);
      expect(p).toBeGreaterThanOrEqual(prev);
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThanOrEqual(1);
      prev = p;
    }
  });

  it('undoes an over-weighted positive class using sample weights', () => {
    // Duplicating negatives by weight 10 must match repeating them 10 times.
    const { raw, y } = plattData(3000, 5);
    const w = Float32Array.from(y, (v) => (v ? 1 : 10));
    const rawRep: number[] = [];
    const yRep: number[] = [];
    raw.forEach((s, i) => {
      for (let k = 0; k < (y[i] ? 1 : 10); k++) {
        rawRep.push(s);
        yRep.push(y[i]!);
      }
    });
    const weighted = fitCalibration(raw, y, w);
    const repeated = fitCalibration(Float64Array.from(rawRep), Uint8Array.from(yRep));
    expect(weighted.a).toBeCloseTo(repeated.a, 6);
    expect(weighted.b).toBeCloseTo(repeated.b, 6);
  });

  it('falls back to the constant base rate when scores are anti-correlated', () => {
    const raw = Float64Array.from({ length: 400 }, (_, i) => i);
    const y = Uint8Array.from(raw, (s) => (s < 40 ? 1 : 0));
    const cal = fitCalibration(raw, y);
    expect(cal.a).toBe(0);
    expect(cal.apply(0)).toBeCloseTo(41 / 361 / (1 + 41 / 361), 6);
  });

  it('handles a single class and refuses mismatched input', () => {
    const cal = fitCalibration(Float64Array.of(1, 2, 3), Uint8Array.of(0, 0, 0));
    expect(cal.apply(2)).toBeLessThan(0.5);
    expect(() => fitCalibration(Float64Array.of(1, 2), Uint8Array.of(0))).toThrow(RangeError);
    expect(() => fitCalibration(Float64Array.of(1, NaN), Uint8Array.of(0, 1))).toThrow(RangeError);
  });
});

describe('Calibration JSON', () => {
  it('round-trips and refuses bad values', () => {
    const cal = new Calibration(0.75, -2.5);
    expect(calibrationFromJson(JSON.parse(JSON.stringify(cal.toJSON()))).apply(1.5)).toBe(cal.apply(1.5));
    expect(() => calibrationFromJson({ method: 'isotonic', a: 1, b: 0 })).toThrow(ModelFormatError);
    expect(() => calibrationFromJson({ method: 'platt', a: -1, b: 0 }, '/heads/p14/calibration')).toThrow(/\/heads\/p14\/calibration\/a/);
    expect(() => calibrationFromJson({ method: 'platt', a: 1 })).toThrow(/\/b: expected a finite number/);
  });
});
