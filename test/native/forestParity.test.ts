/**
 * The addon's forest scoring against GbdtModel.predictRaw (the TypeScript model itself): bit-identical raw scores
 * on random forests and rows with NaN, ±0, ±∞ and values equal to thresholds, for every addon build present.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { GbdtModel, type TreeArrays } from '../../lib/models/gbdt/index.js';
import { predictRawRowsVia } from '../../lib/native/forestScores.js';
import { describeEachAddon } from './addonVariants.js';

const cut = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom(-0, 0.5, Infinity, -Infinity, 1e300), fc.double({ noNaN: true }));
const cell = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom(NaN, -0, 0.5, Infinity, -Infinity), fc.double());

/** A random tree over `features` features: each internal node's children come after it. */
function tree(features: number): fc.Arbitrary<TreeArrays> {
  return fc
    .array(fc.record({ split: fc.boolean(), feature: fc.nat(features - 1), threshold: cut, defaultLeft: fc.boolean(), value: fc.double({ noNaN: true, min: -5, max: 5 }) }), {
      minLength: 1,
      maxLength: 40,
    })
    .map((specs) => {
      // Grow breadth-first: a node splits only while spec entries remain for its two children.
      const feature: number[] = [];
      const threshold: number[] = [];
      const left: number[] = [];
      const right: number[] = [];
      const defaultLeft: number[] = [];
      const value: number[] = [];
      let size = 1;
      for (let node = 0; node < size; node++) {
        const spec = specs[node % specs.length]!;
        const splits = spec.split && size + 2 <= specs.length;
        feature.push(splits ? spec.feature : -1);
        threshold.push(splits ? spec.threshold : 0);
        left.push(splits ? size : -1);
        right.push(splits ? size + 1 : -1);
        defaultLeft.push(spec.defaultLeft ? 1 : 0);
        value.push(spec.value);
        if (splits) size += 2;
      }
      return {
        feature: Int32Array.from(feature),
        threshold: Float64Array.from(threshold),
        left: Int32Array.from(left),
        right: Int32Array.from(right),
        defaultLeft: Uint8Array.from(defaultLeft),
        value: Float64Array.from(value),
        cover: new Float64Array(feature.length).fill(1),
      };
    });
}

const case_ = fc.integer({ min: 1, max: 8 }).chain((features) =>
  fc.record({
    features: fc.constant(features),
    stride: fc.integer({ min: features, max: features + 3 }),
    baseScore: fc.double({ noNaN: true, min: -10, max: 10 }),
    trees: fc.array(tree(features), { minLength: 0, maxLength: 12 }),
    cells: fc.array(cell, { maxLength: 120 }),
  }),
);

describeEachAddon('native forest scoring is bit-identical to GbdtModel.predictRaw', ({ addon }) => {
  it('on random forests and rows (NaN, ±0, ±∞, values on thresholds)', () => {
    fc.assert(
      fc.property(case_, ({ features, stride, baseScore, trees, cells }) => {
        const model = new GbdtModel(features, baseScore, trees, trees.length);
        const matrix = Float64Array.from(cells);
        const rows = Math.floor(matrix.length / stride);
        const native = predictRawRowsVia(addon, model, matrix, rows, stride);
        const ts = predictRawRowsVia(null, model, matrix, rows, stride);
        const direct = Float64Array.from({ length: rows }, (_, i) => model.predictRaw(matrix, i * stride));
        expect(new BigUint64Array(native.buffer)).toEqual(new BigUint64Array(ts.buffer));
        expect(new BigUint64Array(native.buffer)).toEqual(new BigUint64Array(direct.buffer));
      }),
      { numRuns: 300 },
    );
  });

  it('the addon refuses malformed forests and short matrices instead of reading out of bounds', () => {
    const i32 = (...v: number[]): Int32Array => Int32Array.from(v);
    const f64 = (...v: number[]): Float64Array => Float64Array.from(v);
    const score = (roots: Int32Array, feature: Int32Array, child: Int32Array, rows = 1, stride = 2): void =>
      addon.forestRawScores(roots, feature, f64(0, 0, 0), child, new Uint8Array(3), f64(0, 1, 2), 0, f64(1, 2), rows, stride, new Float64Array(rows));
    expect(() => score(i32(0), i32(0, -1, -1), i32(1, 1, 2))).not.toThrow();
    expect(() => score(i32(3), i32(0, -1, -1), i32(1, 1, 2))).toThrow(RangeError); // root out of range
    expect(() => score(i32(0), i32(5, -1, -1), i32(1, 1, 2))).toThrow(RangeError); // feature ≥ stride
    expect(() => score(i32(0), i32(0, -1, -1), i32(0, 1, 2))).toThrow(RangeError); // child not after its parent
    expect(() => score(i32(0), i32(0, -1, -1), i32(2, 1, 2))).toThrow(RangeError); // right child out of range
    expect(() => score(i32(0), i32(0, -1, -1), i32(1, 0, 2))).toThrow(RangeError); // a leaf that moves
    expect(() => score(i32(0), i32(0, -1, -1), i32(1, 1, 2), 2)).toThrow(RangeError); // matrix too short
  });
});

it('rejects a matrix shorter than rows × stride on both paths', () => {
  const model = new GbdtModel(2, 0, [], 0);
  expect(() => predictRawRowsVia(null, model, new Float64Array(3), 2, 2)).toThrow(RangeError);
  expect(() => predictRawRowsVia(null, model, new Float64Array(4), 2, 1)).toThrow(RangeError);
});
