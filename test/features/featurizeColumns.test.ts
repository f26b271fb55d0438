import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FEATURE_ATTRIBUTES, FEATURE_COUNT, FEATURE_NAMES, featurizeColumns, type FeatureColumns } from '../../lib/features/featurizeColumns.js';

const slot = (id: number) => FEATURE_ATTRIBUTES.indexOf(id);
const col = (name: string) => FEATURE_NAMES.indexOf(name);

/** A history of the given days with attribute values (others missing). */
function history(days: number[], values: Record<number, number[]>, norm: Record<number, number[]> = {}): FeatureColumns {
  const n = days.length;
  const raw = FEATURE_ATTRIBUTES.map((id) => Float64Array.from(values[id] ?? new Array(n).fill(NaN)));
  const nm = FEATURE_ATTRIBUTES.map((id) => Float64Array.from(norm[id] ?? new Array(n).fill(NaN)));
  return { days: Int32Array.from(days), raw, norm: nm, capacityBytes: 4e12, vendorCode: 1 };
}

const at = (m: Float64Array, row: number, name: string) => m[row * FEATURE_COUNT + col(name)]!;

describe('featurizeColumns', () => {
  it('has one name per column and documents the layout size', () => {
    expect(FEATURE_NAMES.length).toBe(FEATURE_COUNT);
    expect(new Set(FEATURE_NAMES).size).toBe(FEATURE_COUNT);
    expect(FEATURE_COUNT).toBe(FEATURE_ATTRIBUTES.length * 9 + 6);
    for (const id of [1, 5, 7, 9, 10, 12, 183, 184, 187, 188, 189, 190, 192, 193, 194, 197, 198, 199, 240, 241, 242]) expect(slot(id)).toBeGreaterThanOrEqual(0);
  });

  it('scores a single day: current values present, changes and spreads NaN', () => {
    const m = featurizeColumns(history([100], { 5: [8], 9: [1000] }, { 5: [100] }));
    expect(at(m, 0, 'smart_5_raw')).toBe(8);
    expect(at(m, 0, 'smart_5_normalized')).toBe(100);
    expect(at(m, 0, 'smart_5_raw_delta1')).toBeNaN();
    expect(at(m, 0, 'smart_5_raw_std6')).toBeNaN();
    expect(at(m, 0, 'smart_5_raw_mean6')).toBe(8);
    expect(at(m, 0, 'smart_5_raw_grew')).toBe(0);
    expect(at(m, 0, 'smart_197_raw')).toBeNaN();
    expect(at(m, 0, 'smart_197_raw_grew')).toBeNaN();
    expect(at(m, 0, 'capacity_tb')).toBe(4);
    expect(at(m, 0, 'vendor')).toBe(1);
  });

  it('measures change over 1, 7 and 30 days against the oldest sample inside the span, across gaps', () => {
    // days 0,1,2,5,9,40: value = day number
    const days = [0, 1, 2, 5, 9, 40];
    const m = featurizeColumns(history(days, { 5: days.slice() }));
    expect(at(m, 1, 'smart_5_raw_delta1')).toBe(1);
    expect(at(m, 3, 'smart_5_raw_delta1')).toBeNaN(); // day 5: nothing on day 4
    expect(at(m, 4, 'smart_5_raw_delta7')).toBe(9 - 2); // oldest in [2, 9]
    expect(at(m, 4, 'smart_5_raw_delta30')).toBe(9);
    expect(at(m, 5, 'smart_5_raw_delta30')).toBeNaN(); // day 40: nothing in [10, 39]
    expect(at(m, 4, 'error_delta7_sum')).toBe(7);
  });

  it('treats a fall of a monotonic counter as a reset (NaN change), and keeps falls of other values', () => {
    const m = featurizeColumns(history([0, 1], { 5: [50, 2], 194: [40, 35] }));
    expect(at(m, 1, 'smart_5_raw_delta1')).toBeNaN();
    expect(at(m, 1, 'smart_194_raw_delta1')).toBe(-5);
    expect(at(m, 1, 'smart_5_raw_grew')).toBe(0);
  });

  it('drops absurd values (negative, above 2^48, normalized out of 0..255)', () => {
    const m = featurizeColumns(history([0, 1], { 5: [-1, 2 ** 49] }, { 5: [300, -2] }));
    for (const r of [0, 1]) {
      expect(at(m, r, 'smart_5_raw')).toBeNaN();
      expect(at(m, r, 'smart_5_normalized')).toBeNaN();
    }
  });

  it('sets the grew flag from the first increase on and keeps it', () => {
    const m = featurizeColumns(history([0, 1, 2, 3], { 197: [0, 0, 4, 0] }));
    expect([0, 1, 2, 3].map((r) => at(m, r, 'smart_197_raw_grew'))).toEqual([0, 0, 1, 1]);
  });

  it('computes 6-day mean, population std and cv over the last six calendar days', () => {
    const m = featurizeColumns(history([0, 1, 2, 3, 4, 5, 6], { 194: [10, 20, 30, 30, 30, 30, 30] }));
    // day 6 window = days 1..6
    expect(at(m, 6, 'smart_194_raw_mean6')).toBeCloseTo(170 / 6, 12);
    const mean = 170 / 6;
    const std = Math.sqrt(((20 - mean) ** 2 + 5 * (30 - mean) ** 2) / 6);
    expect(at(m, 6, 'smart_194_raw_std6')).toBeCloseTo(std, 12);
    expect(at(m, 6, 'smart_194_raw_cv6')).toBeCloseTo(std / mean, 12);
    const flat = featurizeColumns(history([0, 1], { 5: [0, 0] }));
    expect(at(flat, 1, 'smart_5_raw_cv6')).toBe(0);
  });

  it('is causal: row i equals the last row of the prefix ending at day i', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 5 }), fc.option(fc.integer({ min: 0, max: 50 })), fc.option(fc.integer({ min: 20, max: 60 }))), { minLength: 1, maxLength: 40 }),
        (steps) => {
          let d = 17000;
          const days = steps.map(([g]) => (d += g));
          const v5 = steps.map(([, a]) => a ?? NaN);
          const v194 = steps.map(([, , b]) => b ?? NaN);
          const full = featurizeColumns(history(days, { 5: v5, 194: v194 }));
          const i = days.length - 1 - Math.floor(days.length / 3);
          const prefix = featurizeColumns(history(days.slice(0, i + 1), { 5: v5.slice(0, i + 1), 194: v194.slice(0, i + 1) }));
          const a = full.subarray(i * FEATURE_COUNT, (i + 1) * FEATURE_COUNT);
          const b = prefix.subarray(i * FEATURE_COUNT, (i + 1) * FEATURE_COUNT);
          expect(Array.from(a)).toEqual(Array.from(b));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('refuses an output buffer that is too small', () => {
    expect(() => featurizeColumns(history([0, 1], {}), new Float64Array(3))).toThrow(RangeError);
  });
});
