/**
 * The RBF kernel's shortcuts (svc.ts: support vectors skipped by norm, repeats reusing a value) give the same
 * bits as libsvm's plain loop: every support vector, every term added in index order.
 */
import { describe, expect, it } from 'vitest';
import { loadCephModels } from '../../lib/models/ceph/index.js';
import type { SvcModel } from '../../lib/models/ceph/modelTypes.js';
import { svcDecisions } from '../../lib/models/ceph/svc.js';
import { compactSupportVectors, supportVectorRow, svcIndexOf } from '../../lib/models/ceph/svcIndex.js';
import { describeShared, sharedPath } from '../helpers/shared.js';

/** libsvm's k_function (RBF) and svm_predict_values for two classes, nothing skipped. */
function libsvmDecision(m: SvcModel, x: Float64Array): number {
  let sum = 0;
  for (let j = 0; j < m.nSupport; j++) {
    let dist = 0;
    for (let k = 0; k < m.nFeatures; k++) {
      const diff = x[k]! - m.supportVectors[supportVectorRow(m, j) * m.nFeatures + k]!;
      dist += diff * diff;
    }
    sum += m.dualCoef[j]! * Math.exp(-m.gamma * dist);
  }
  return sum + m.intercept;
}

/** A small deterministic generator (tests must not depend on Math.random). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
}

/**
 * Rows near, on and far from the model's support vectors: a support vector itself, integer and fractional
 * noise, a step of the underflow radius (the norm bound's edge), and values far beyond it.
 */
function rowsAround(m: SvcModel, count: number, rnd: () => number): Float64Array[] {
  const d = m.nFeatures;
  const radius = Math.sqrt(746 / m.gamma);
  const rows: Float64Array[] = [];
  for (let t = 0; t < count; t++) {
    const j = Math.floor(rnd() * m.nSupport);
    const x = new Float64Array(d);
    for (let k = 0; k < d; k++) {
      const s = m.supportVectors[j * d + k]!;
      const noise = [0, Math.round((rnd() - 0.5) * 40), (rnd() - 0.5) * 30, (rnd() < 0.5 ? 1 : -1) * radius / Math.sqrt(d), s * 1e9][t % 5]!;
      x[k] = s + noise;
    }
    rows.push(x);
  }
  return rows;
}

function expectSameBits(m: SvcModel, rows: Float64Array[]): void {
  const flat = new Float64Array(rows.length * m.nFeatures);
  rows.forEach((r, i) => flat.set(r, i * m.nFeatures));
  const ours = svcDecisions(m, flat, rows.length);
  rows.forEach((r, i) => expect(Object.is(ours[i], libsvmDecision(m, r)), `${m.file} row ${i}: ${ours[i]} vs ${libsvmDecision(m, r)}`).toBe(true));
}

describe('RBF kernel shortcuts (hand-made models)', () => {
  it('reuses repeated support vectors (−0 repeats 0), keeps fractional ones exact, and skips far ones', () => {
    // 0: origin, 1: a repeat of 0 as −0, 2: far away, 3: fractional, 4: a repeat of 3, 5: a repeat of 0
    const m: SvcModel = {
      file: 'hand.pkl',
      nFeatures: 3,
      nSupport: 6,
      gamma: 0.5,
      intercept: -0.25,
      dualCoef: Float64Array.of(0.75, -0.5, 1, 0.125, -1 / 3, 2 / 7),
      supportVectors: Float64Array.of(0, 0, 0, -0, 0, -0, 900, -900, 0, 0.3, 1.7, -2.2, 0.3, 1.7, -2.2, 0, 0, 0),
    };
    const index = svcIndexOf(m);
    expect([...index.distinct]).toEqual([0, 2, 3]);
    expect([...index.firstOf]).toEqual([0, 0, 2, 3, 3, 0]);
    expectSameBits(m, [Float64Array.of(0, 0, 0), Float64Array.of(1, 2, -2), Float64Array.of(0.1, 0.2, 0.3), Float64Array.of(899, -901, 3), Float64Array.of(40, 0, 0)]);
  });

  it('keeps the smallest terms before exp underflows (the norm bound is not one step too eager)', () => {
    // γ = 0.5: exp(−γ·dist) is 0 beyond dist ≈ 1490, radius ≈ 38.6; with no intercept a lone term that far shows
    const m: SvcModel = { file: 'edge.pkl', nFeatures: 3, nSupport: 2, gamma: 0.5, intercept: 0, dualCoef: Float64Array.of(1, 1), supportVectors: Float64Array.of(0, 0, 0, 500, 500, 500) };
    const rows = [Float64Array.of(38.5, 0, 0), Float64Array.of(0, -38.6, 0), Float64Array.of(27.3, 27.3, 0), Float64Array.of(38.7, 0, 0)];
    expectSameBits(m, rows);
    const values = svcDecisions(m, Float64Array.from(rows.flatMap((r) => [...r])), rows.length);
    expect(values[0]).toBeGreaterThan(0); // subnormal, but a term
    expect(values[3]).toBe(0);
  });

  it('stays exact for large counters near each other (where ‖x‖² + ‖sv‖² − 2·x·sv would cancel)', () => {
    const centres = [3e7, 3.3e7, 6.0e7, 6.7108e7, 7.5e7, 8e7, 9.4906e7, 1.5e8, 2.4e8, 3e10, 1e3];
    const m: SvcModel = {
      file: 'big.pkl',
      nFeatures: 2,
      nSupport: centres.length,
      gamma: 0.1,
      intercept: 0,
      dualCoef: Float64Array.from(centres, (_, i) => (i % 2 ? -1 : 1) / (i + 1)),
      supportVectors: Float64Array.from(centres.flatMap((c) => [c, c + 1])),
    };
    const rows = centres.flatMap((c) => [-3, 1, 5, 20].map((step) => Float64Array.of(c + step, c + 1 - step)));
    expectSameBits(m, rows);
    const values = svcDecisions(m, Float64Array.from(rows.flatMap((r) => [...r])), rows.length);
    expect(values.every((v) => v !== 0)).toBe(true);
  });

  it('skips nothing by norm when γ gives no finite underflow radius', () => {
    const m: SvcModel = { file: 'g0.pkl', nFeatures: 2, nSupport: 2, gamma: 0, intercept: 0.5, dualCoef: Float64Array.of(1, -2), supportVectors: Float64Array.of(1e6, 0, 0, 1) };
    expectSameBits(m, [Float64Array.of(0, 0), Float64Array.of(1e300, 1)]);
  });
});

describeShared("RBF kernel shortcuts on Ceph's ProphetStor models", () => {
  it('equals the plain libsvm loop bit for bit on every model', () => {
    const models = loadCephModels('prophetstor', sharedPath('ceph-models'), { cacheDir: undefined }).models;
    const rnd = lcg(19);
    for (const m of models.svms.values()) expectSameBits(m, rowsAround(m, 10, rnd));
  });

  it('gives the same bits in the converted format\'s form: each distinct support vector once, as 32-bit floats', () => {
    const models = loadCephModels('prophetstor', sharedPath('ceph-models'), { cacheDir: undefined }).models;
    const rnd = lcg(23);
    for (const m of models.svms.values()) {
      const compact = compactSupportVectors({ ...m, supportVectors: Float32Array.from(m.supportVectors) });
      expect(compact.supportVectors.length).toBeLessThanOrEqual(m.supportVectors.length);
      const rows = rowsAround(m, 10, rnd);
      expectSameBits(compact, rows);
      // and the same decisions as the model as parsed
      const flat = new Float64Array(rows.length * m.nFeatures);
      rows.forEach((r, i) => flat.set(r, i * m.nFeatures));
      expect(svcDecisions(compact, flat, rows.length)).toEqual(svcDecisions(m, flat, rows.length));
    }
  });
});
