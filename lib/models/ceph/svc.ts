import type { SvcModel } from './modelTypes.js';
import { svcIndexOf } from './svcIndex.js';

/**
 * libsvm's c_svc decision values for an RBF kernel, bit for bit: for each support vector j in index order,
 * sum += coef_j · exp(−γ · Σ_k (x_k − sv_jk)²), the squared differences summed feature by feature; then −rho.
 * Class 0 when the value is > 0, else class 1; scikit-learn's `decision_function` is its negation.
 * `rows` holds nRows × nFeatures inputs.
 *
 * Two shortcuts, neither of which changes an operation that reaches the sum (svcIndex.ts):
 * - a term whose squared distance is past exp's underflow is exactly 0 (+0 or −0 times a finite coefficient)
 *   and adding it changes nothing, so it is skipped; a support vector whose norm is that far from the row's
 *   (|‖x‖ − ‖sv‖| ≤ ‖x − sv‖, with a margin far wider than the rounding of either) is not even visited — on the
 *   golden set that is 95 % of those past the underflow;
 * - a repeated support vector reuses the kernel value of its first occurrence (same inputs, same operations).
 * The terms left are then added in index order, as libsvm does.
 */
export function svcDecisions(model: SvcModel, rows: Float64Array, nRows: number): Float64Array {
  const { nFeatures: d, nSupport, supportVectors: sv, dualCoef, gamma, intercept } = model;
  const { distinct, firstOf, norms, scratch: term } = svcIndexOf(model);
  // Past this squared distance exp(−γ·dist) is exactly 0 (exp underflows below −745.14).
  const zeroBeyond = EXP_UNDERFLOW / gamma;
  // NaN when γ ≤ 0 or NaN: no support vector is then skipped by its norm (and every term by its distance)
  const farNorm = Math.sqrt(zeroBeyond) * (1 + 1e-9);
  const out = new Float64Array(nRows);
  for (let r = 0, xb = 0; r < nRows; r++, xb += d) {
    let squares = 0;
    for (let k = 0; k < d; k++) squares += rows[xb + k]! * rows[xb + k]!;
    const rowNorm = Math.sqrt(squares);
    for (let q = 0; q < distinct.length; q++) {
      const j = distinct[q]!;
      const svNorm = norms[j]!;
      // NaN (a non-finite row) is never > farNorm: visited, and skipped by its distance as before
      if (Math.abs(rowNorm - svNorm) - NORM_MARGIN * (rowNorm + svNorm) > farNorm) {
        term[j] = SKIPPED;
        continue;
      }
      let dist = 0;
      let k = 0;
      const base = j * d;
      for (; k < d && dist <= zeroBeyond; k++) {
        const diff = rows[xb + k]! - sv[base + k]!;
        dist += diff * diff;
      }
      if (k < d || !(dist <= zeroBeyond)) {
        term[j] = SKIPPED;
        continue;
      }
      term[j] = Math.exp(-gamma * dist);
    }
    let sum = 0;
    for (let j = 0; j < nSupport; j++) {
      const e = term[firstOf[j]!]!;
      if (e !== SKIPPED) sum += dualCoef[j]! * e;
    }
    out[r] = sum + intercept;
  }
  return out;
}

/** exp(−x) is +0 in IEEE doubles for every x above this (the smallest subnormal is e^−744.44). */
const EXP_UNDERFLOW = 746;
/**
 * Computed norms are within ~(d + 2)·2^−53 of the true ones (relative, d ≤ a few dozen features); this margin,
 * relative to both norms, is orders wider, and 1e−9 on the radius covers the squared distance's own rounding.
 */
const NORM_MARGIN = 1e-12;
/** A kernel value never is negative: marks a term not added. */
const SKIPPED = -1;

export function svcClass(decision: number): 0 | 1 {
  return decision > 0 ? 0 : 1;
}
