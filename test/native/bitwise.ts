import { FEATURE_COUNT, FEATURE_NAMES } from '../../lib/features/featurizeColumns.js';

/** The first place two float arrays differ bit for bit (NaN payloads and the sign of zero included), or null. */
export function firstBitwiseDifference(actual: Float64Array, expected: Float64Array): string | null {
  if (actual.length !== expected.length) return `length ${actual.length} vs ${expected.length}`;
  const a = new BigUint64Array(actual.buffer, actual.byteOffset, actual.length);
  const e = new BigUint64Array(expected.buffer, expected.byteOffset, expected.length);
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== e[i]) {
      const row = Math.floor(i / FEATURE_COUNT);
      const feature = FEATURE_NAMES[i % FEATURE_COUNT] ?? `column ${i % FEATURE_COUNT}`;
      return `row ${row} ${feature}: ${actual[i]} (0x${a[i]!.toString(16)}) vs ${expected[i]} (0x${e[i]!.toString(16)})`;
    }
  }
  return null;
}
