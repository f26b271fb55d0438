import type { SvcModel } from './modelTypes.js';

/**
 * libsvm's c_svc decision values for an RBF kernel, in libsvm's own order: squared differences
 * summed feature by feature, kernel terms summed support vector by support vector, then −rho.
 * Class 0 when the value is > 0, else class 1; scikit-learn's `decision_function` is its negation.
 * `rows` holds nRows × nFeatures inputs; all rows go through each support vector together
 * (same sums per row, one pass over the support vectors).
 */
export function svcDecisions(model: SvcModel, rows: Float64Array, nRows: number): Float64Array {
  const { nFeatures: d, nSupport, supportVectors: sv, dualCoef, gamma } = model;
  // Past this squared distance exp(−γ·dist) is exactly 0 (exp underflows below −745.14), so the
  // term adds nothing and the remaining features need not be summed: same result, less work.
  const zeroBeyond = EXP_UNDERFLOW / gamma;
  const sums = new Float64Array(nRows);
  for (let j = 0, base = 0; j < nSupport; j++, base += d) {
    const coef = dualCoef[j]!;
    for (let r = 0, xb = 0; r < nRows; r++, xb += d) {
      let dist = 0;
      let k = 0;
      for (; k < d && dist <= zeroBeyond; k++) {
        const diff = rows[xb + k]! - sv[base + k]!;
        dist += diff * diff;
      }
      if (k === d && dist <= zeroBeyond) sums[r] += coef * Math.exp(-gamma * dist);
    }
  }
  for (let r = 0; r < nRows; r++) sums[r] += model.intercept;
  return sums;
}

/** exp(−x) is +0 in IEEE doubles for every x above this (the smallest subnormal is e^−744.44). */
const EXP_UNDERFLOW = 746;

export function svcClass(decision: number): 0 | 1 {
  return decision > 0 ? 0 : 1;
}
