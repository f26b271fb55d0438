import type { SvcModel } from './modelTypes.js';

/**
 * libsvm's c_svc decision values for an RBF kernel, in libsvm's own order: squared differences
 * summed feature by feature, kernel terms summed support vector by support vector, then −rho.
 * Class 0 when the value is > 0, else class 1; scikit-learn's `decision_function` is its negation.
 * `rows` holds nRows × nFeatures inputs. One row at a time over all support vectors, with the sum
 * in a local: the same additions in the same order as libsvm, without a store per kernel term.
 */
export function svcDecisions(model: SvcModel, rows: Float64Array, nRows: number): Float64Array {
  const { nFeatures: d, nSupport, supportVectors: sv, dualCoef, gamma, intercept } = model;
  // Past this squared distance exp(−γ·dist) is exactly 0 (exp underflows below −745.14), so the
  // term adds nothing and the remaining features need not be summed: same result, less work.
  const zeroBeyond = EXP_UNDERFLOW / gamma;
  const out = new Float64Array(nRows);
  for (let r = 0, xb = 0; r < nRows; r++, xb += d) {
    let sum = 0;
    for (let j = 0, base = 0; j < nSupport; j++, base += d) {
      let dist = 0;
      let k = 0;
      for (; k < d && dist <= zeroBeyond; k++) {
        const diff = rows[xb + k]! - sv[base + k]!;
        dist += diff * diff;
      }
      if (k === d && dist <= zeroBeyond) sum += dualCoef[j]! * Math.exp(-gamma * dist);
    }
    out[r] = sum + intercept;
  }
  return out;
}

/** exp(−x) is +0 in IEEE doubles for every x above this (the smallest subnormal is e^−744.44). */
const EXP_UNDERFLOW = 746;

export function svcClass(decision: number): 0 | 1 {
  return decision > 0 ? 0 : 1;
}
