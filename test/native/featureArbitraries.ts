/**
 * Random feature-function inputs for the parity tests: gaps between days, NaN, ±0, negatives, values around the
 * 2^48 sanitising bound, huge and infinite values, resets of counters, columns shorter or longer than the history,
 * empty histories, and day numbers near the Int32 limits.
 */
import fc from 'fast-check';
import { FEATURE_ATTRIBUTES, type FeatureColumns } from '../../lib/features/featurizeColumns.js';

const special = fc.constantFrom(NaN, 0, -0, -1, 1, 2 ** 48, 2 ** 48 + 1, 2 ** 53, 1e300, -1e300, Infinity, -Infinity, Number.MIN_VALUE);
const smallCounter = fc.integer({ min: 0, max: 12 }); // repeats, rises and falls: grew flags and counter resets
const rawValue = fc.oneof(
  { arbitrary: smallCounter, weight: 5 },
  { arbitrary: fc.constant(NaN), weight: 3 },
  { arbitrary: special, weight: 2 },
  { arbitrary: fc.double(), weight: 2 },
  { arbitrary: fc.integer({ min: 0, max: 2 ** 40 }), weight: 1 },
);
const normValue = fc.oneof(
  { arbitrary: fc.integer({ min: 0, max: 255 }), weight: 4 },
  { arbitrary: fc.constant(NaN), weight: 2 },
  { arbitrary: fc.constantFrom(-0, -1, 255.5, 256, 100.25, Infinity), weight: 1 },
  { arbitrary: fc.double(), weight: 1 },
);

/** Strictly ascending epoch days: mostly daily, some gaps (up to > 30 days), starting anywhere in Int32. */
const dayNumbers = (n: number): fc.Arbitrary<Int32Array> =>
  fc
    .tuple(
      fc.oneof(fc.integer({ min: 15_000, max: 21_000 }), fc.constantFrom(-(2 ** 31), 2 ** 31 - 1 - 5 * n * 40, 0)),
      fc.array(fc.oneof({ arbitrary: fc.constant(1), weight: 6 }, { arbitrary: fc.integer({ min: 2, max: 40 }), weight: 2 }), {
        minLength: n,
        maxLength: n,
      }),
    )
    .map(([start, steps]) => {
      const days = new Int32Array(n);
      let day = start;
      for (let i = 0; i < n; i++) {
        day += i === 0 ? 0 : steps[i]!;
        days[i] = day;
      }
      return days;
    });

/** A column of n values, sometimes a little shorter or longer (reads beyond the end are "missing"). */
const column = (n: number, value: fc.Arbitrary<number>): fc.Arbitrary<Float64Array> =>
  fc
    .tuple(fc.oneof({ arbitrary: fc.constant(0), weight: 8 }, { arbitrary: fc.integer({ min: -3, max: 3 }), weight: 1 }), fc.boolean())
    .chain(([lengthDelta, allMissing]) => {
      const length = Math.max(0, n + lengthDelta);
      if (allMissing) return fc.constant(new Float64Array(length).fill(NaN));
      return fc.array(value, { minLength: length, maxLength: length }).map((values) => Float64Array.from(values));
    });

export const historyColumns = (maxDays: number): fc.Arbitrary<FeatureColumns> =>
  fc
    .oneof({ arbitrary: fc.integer({ min: 0, max: maxDays }), weight: 9 }, { arbitrary: fc.constant(0), weight: 1 })
    .chain((n) =>
      fc.record({
        days: dayNumbers(n),
        raw: fc.tuple(...FEATURE_ATTRIBUTES.map(() => column(n, rawValue))),
        norm: fc.tuple(...FEATURE_ATTRIBUTES.map(() => column(n, normValue))),
        capacityBytes: fc.oneof(fc.constantFrom(NaN, 0, 4e12, 1.2e13, -1, Infinity), fc.double()),
        vendorCode: fc.oneof(fc.integer({ min: 0, max: 13 }), fc.constant(NaN)),
      }),
    );
