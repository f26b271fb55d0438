/**
 * The addon's feature port against the TypeScript function itself (not a copy): bit-identical output on random
 * histories, for every addon build present (installed, cmake-js, node-gyp).
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { FEATURE_COUNT, featurizeColumns as featurizeColumnsTs, type FeatureColumns } from '../../lib/features/featurizeColumns.js';
import { packFeatureBatch } from '../../lib/native/featureBatch.js';
import { featurizeBatchVia, featurizeColumnsVia } from '../../lib/native/featurize.js';
import { describeEachAddon } from './addonVariants.js';
import { firstBitwiseDifference } from './bitwise.js';
import { historyColumns } from './featureArbitraries.js';

/** Runs fn, returning its result or the error's constructor name (both sides must fail the same way). */
function outcome(fn: () => Float64Array): Float64Array | string {
  try {
    return fn();
  } catch (err) {
    return err instanceof Error ? err.constructor.name : 'non-error';
  }
}

function expectSame(actual: Float64Array | string, expected: Float64Array | string): void {
  if (typeof actual === 'string' || typeof expected === 'string') {
    expect(actual).toEqual(expected);
    return;
  }
  expect(firstBitwiseDifference(actual, expected)).toBeNull();
}

describeEachAddon('native featurizeColumns is bit-identical to the TypeScript function', ({ addon }) => {
  it('on random histories (NaN, gaps, ±0, negative, huge, short columns, empty)', () => {
    fc.assert(
      fc.property(historyColumns(45), (input) => {
        expectSame(
          outcome(() => featurizeColumnsVia(addon, input)),
          outcome(() => featurizeColumnsTs(input)),
        );
      }),
      { numRuns: 400 },
    );
  });

  it('writes only its rows into a caller-supplied, longer output', () => {
    fc.assert(
      fc.property(historyColumns(20), fc.integer({ min: 0, max: 2 * FEATURE_COUNT }), (input, spare) => {
        const size = input.days.length * FEATURE_COUNT + spare;
        const nativeOut = new Float64Array(size).fill(-7.5);
        const tsOut = new Float64Array(size).fill(-7.5);
        featurizeColumnsVia(addon, input, nativeOut);
        featurizeColumnsTs(input, tsOut);
        expect(firstBitwiseDifference(nativeOut, tsOut)).toBeNull();
      }),
      { numRuns: 100 },
    );
  });

  it('rejects an output that is too small with the same RangeError', () => {
    fc.assert(
      fc.property(historyColumns(10).filter((h) => h.days.length > 0), (input) => {
        const small = new Float64Array(input.days.length * FEATURE_COUNT - 1);
        expect(() => featurizeColumnsVia(addon, input, small)).toThrow(RangeError);
        expect(() => featurizeColumnsTs(input, small)).toThrow(RangeError);
      }),
      { numRuns: 20 },
    );
  });

  it('fails like the TypeScript function when attribute columns are missing', () => {
    const input: FeatureColumns = { days: Int32Array.of(1, 2), raw: [], norm: [], capacityBytes: NaN, vendorCode: 0 };
    expect(outcome(() => featurizeColumnsVia(addon, input))).toBe('TypeError');
    expect(outcome(() => featurizeColumnsTs(input))).toBe('TypeError');
  });

  it('featurizeBatch equals featurizeColumns history by history', () => {
    fc.assert(
      fc.property(fc.array(historyColumns(30), { minLength: 0, maxLength: 12 }), (histories) => {
        const batch = packFeatureBatch(histories);
        const native = featurizeBatchVia(addon, batch);
        expect(firstBitwiseDifference(native, featurizeBatchVia(null, batch))).toBeNull();
        const expected = new Float64Array(batch.days.length * FEATURE_COUNT);
        histories.forEach((history, h) => expected.set(featurizeColumnsTs(history), batch.offsets[h]! * FEATURE_COUNT));
        expect(firstBitwiseDifference(native, expected)).toBeNull();
      }),
      { numRuns: 150 },
    );
  });

  it('the addon itself refuses a malformed batch rather than reading out of bounds', () => {
    const batch = packFeatureBatch([]);
    const out = new Float64Array(0);
    const call = (offsets: Int32Array, days: Int32Array, outArray = out): void =>
      addon.featurizeBatch(offsets, days, batch.raw, batch.norm, new Float64Array(4), new Float64Array(4), outArray);
    expect(() => call(Int32Array.of(), Int32Array.of())).toThrow(RangeError);
    expect(() => call(Int32Array.of(0, 5), Int32Array.of(1, 2))).toThrow(RangeError);
    expect(() => call(Int32Array.of(0, 2, 1), Int32Array.of(1))).toThrow(RangeError);
    expect(() => call(Int32Array.of(1, 2), Int32Array.of(1, 2))).toThrow(RangeError);
    expect(() => call(Int32Array.of(0, 2), Int32Array.of(1, 2), new Float64Array(FEATURE_COUNT))).toThrow(RangeError);
    expect(() => addon.featurizeColumns(Int32Array.of(1), batch.raw, batch.norm, 0, 0, new Float64Array(2))).toThrow(RangeError);
    expect(() => addon.featurizeColumns([1] as unknown as Int32Array, batch.raw, batch.norm, 0, 0, out)).toThrow(TypeError);
  });
});
