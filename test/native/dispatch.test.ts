/**
 * What callers use (lib/native/index.ts): identical results whichever implementation is active. CI runs the suite
 * with the addon and again with DISKPREDICT_NATIVE=0, so both paths pass through here.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FEATURE_COUNT, featurizeColumns as featurizeColumnsTs } from '../../lib/features/featurizeColumns.js';
import { featurizeBatch, featurizeColumns, nativeEnabled, nativeLoadError, packFeatureBatch } from '../../lib/native/index.js';
import { firstBitwiseDifference } from './bitwise.js';
import { historyColumns } from './featureArbitraries.js';

describe(`feature dispatch (${nativeEnabled ? 'native addon' : `TypeScript: ${nativeLoadError}`})`, () => {
  it('featurizeColumns and featurizeBatch agree with the TypeScript function', () => {
    fc.assert(
      fc.property(fc.array(historyColumns(20), { maxLength: 6 }), (histories) => {
        const batch = featurizeBatch(packFeatureBatch(histories));
        let row = 0;
        for (const history of histories) {
          const expected = featurizeColumnsTs(history);
          expect(firstBitwiseDifference(featurizeColumns(history), expected)).toBeNull();
          const slice = batch.subarray(row * FEATURE_COUNT, (row + history.days.length) * FEATURE_COUNT);
          expect(firstBitwiseDifference(slice, expected)).toBeNull();
          row += history.days.length;
        }
      }),
      { numRuns: 60 },
    );
  });

  it('rejects a malformed batch with a RangeError before featurising anything', () => {
    const batch = packFeatureBatch([]);
    expect(() => featurizeBatch({ ...batch, offsets: Int32Array.of(0, 3) })).toThrow(RangeError);
    expect(() => featurizeBatch({ ...batch, offsets: Int32Array.of(1) })).toThrow(RangeError);
    expect(() => featurizeBatch(batch, new Float64Array(0))).not.toThrow();
  });
});
