import type { SvcModel } from './modelTypes.js';

/**
 * What lets the RBF kernel (svc.ts) visit fewer support vectors without changing a bit of its sum, built once
 * per model on first use (~0.2 ms for a ProphetStor SVM of ~3,700 support vectors once V8 has optimised it):
 * - `distinct`: each distinct row of `supportVectors` once, in index order. Ceph's ProphetStor SVMs repeat their
 *   support vectors (125 K distinct of 278 K): a repeat has the same distance to a row, computed by the same
 *   operations, so the same kernel value. A model in the compact form (`rowOf`) has each once already;
 * - `firstOf[j]`: the row whose kernel value support vector j takes;
 * - `norms[r]`: ‖row r‖ of each distinct row, for the triangle-inequality bound |‖x‖ − ‖sv‖| ≤ ‖x − sv‖.
 * "Repeats" means equal feature by feature (`===`: −0 and 0 give the same squared difference); a NaN never repeats.
 */
export interface SvcIndex {
  distinct: Int32Array;
  firstOf: Int32Array;
  norms: Float64Array;
  /** one kernel value per row of `supportVectors` for the row being evaluated (svc.ts), kept to save an allocation per row */
  scratch: Float64Array;
}

const built = new WeakMap<SvcModel, SvcIndex>();

export function svcIndexOf(model: SvcModel): SvcIndex {
  let index = built.get(model);
  if (index === undefined) built.set(model, (index = buildSvcIndex(model)));
  return index;
}

function buildSvcIndex(model: SvcModel): SvcIndex {
  const { nFeatures: d, nSupport: n, supportVectors: sv, rowOf } = model;
  if (rowOf !== undefined) {
    const rows = sv.length / d;
    const norms = new Float64Array(rows);
    for (let r = 0; r < rows; r++) norms[r] = rowNorm(sv, r * d, d);
    return { distinct: Int32Array.from({ length: rows }, (_, r) => r), firstOf: rowOf, norms, scratch: new Float64Array(rows) };
  }
  const firstOf = new Int32Array(n);
  const norms = new Float64Array(n);
  const distinct: number[] = [];
  // open addressing over a hash of the features' bits (a power of two at least twice the support vectors)
  const size = 2 ** Math.ceil(Math.log2(2 * n + 2));
  const slots = new Int32Array(size).fill(-1);
  // One 32-bit word per feature: a 32-bit float whole; of a double one half (the high half on little-endian hosts:
  // sign, exponent, leading digits). Equal rows hash alike whichever half, and the features are mostly small
  // integers, whose other half is zero.
  const wordsPerValue = sv.BYTES_PER_ELEMENT / 4;
  const bits = new Uint32Array(sv.buffer, sv.byteOffset, sv.length * wordsPerValue);
  for (let j = 0, base = 0; j < n; j++, base += d) {
    let h = 0x811c9dc5;
    for (let w = wordsPerValue * base + wordsPerValue - 1, end = w + wordsPerValue * d; w < end; w += wordsPerValue) h = Math.imul(h ^ bits[w]!, 0x01000193);
    // mixed before taking the low bits, which a multiply leaves depending on the inputs' low bits alone
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    for (let slot = h & (size - 1); ; slot = (slot + 1) & (size - 1)) {
      const other = slots[slot]!;
      if (other < 0) {
        slots[slot] = j;
        firstOf[j] = j;
        distinct.push(j);
        norms[j] = rowNorm(sv, base, d);
        break;
      }
      if (sameRow(sv, other * d, base, d)) {
        firstOf[j] = other;
        break;
      }
    }
  }
  return { distinct: Int32Array.from(distinct), firstOf, norms, scratch: new Float64Array(n) };
}

function rowNorm(sv: Float64Array | Float32Array, base: number, d: number): number {
  let squares = 0;
  for (let k = 0; k < d; k++) squares += sv[base + k]! * sv[base + k]!;
  return Math.sqrt(squares);
}

function sameRow(sv: Float64Array | Float32Array, a: number, b: number, d: number): boolean {
  for (let k = 0; k < d; k++) if (sv[a + k] !== sv[b + k]) return false;
  return true;
}

/**
 * The model with each distinct support vector stored once (`rowOf`), as the converted format keeps it: the same
 * rows, in order of first occurrence, so the kernel computes the same values.
 */
export function compactSupportVectors(model: SvcModel): SvcModel {
  if (model.rowOf !== undefined) return model;
  const { distinct, firstOf } = svcIndexOf(model);
  const d = model.nFeatures;
  const compactRow = new Int32Array(model.nSupport);
  const rows = new (model.supportVectors instanceof Float32Array ? Float32Array : Float64Array)(distinct.length * d);
  distinct.forEach((j, r) => {
    compactRow[j] = r;
    rows.set(model.supportVectors.subarray(j * d, j * d + d), r * d);
  });
  return { ...model, supportVectors: rows, rowOf: firstOf.map((j) => compactRow[j]!) };
}

/** The row of `supportVectors` that holds support vector j (either form). */
export function supportVectorRow(model: SvcModel, j: number): number {
  return model.rowOf?.[j] ?? j;
}
