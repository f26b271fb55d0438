/** Binary log-loss on log-odds scores, with its gradient and hessian for Newton boosting. */

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** log(1 + e^z) without overflow */
export function softplus(z: number): number {
  return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
}

/** Loss of one row: −log p for a positive, −log(1−p) for a negative. */
function logLoss(score: number, label: number): number {
  return label ? softplus(-score) : softplus(score);
}

/** Weighted mean log-loss of scores against labels. */
export function meanLogLoss(scores: Float64Array, y: Uint8Array, w: Float64Array): number {
  let sum = 0;
  let wsum = 0;
  for (let i = 0; i < scores.length; i++) {
    sum += w[i]! * logLoss(scores[i]!, y[i]!);
    wsum += w[i]!;
  }
  return wsum > 0 ? sum / wsum : 0;
}

/** Smallest hessian per unit weight: keeps Newton steps finite when p saturates. */
const MIN_HESSIAN = 1e-16;

export function computeGradients(scores: Float64Array, y: Uint8Array, w: Float64Array, grad: Float64Array, hess: Float64Array): void {
  for (let i = 0; i < scores.length; i++) {
    const p = sigmoid(scores[i]!);
    const wi = w[i]!;
    grad[i] = (p - y[i]!) * wi;
    hess[i] = Math.max(p * (1 - p), MIN_HESSIAN) * wi;
  }
}

/** Log-odds of the weighted positive rate, clamped so a one-class set still gives a finite score. */
export function baseLogOdds(y: Uint8Array, w: Float64Array): number {
  let pos = 0;
  let all = 0;
  for (let i = 0; i < y.length; i++) {
    all += w[i]!;
    if (y[i]) pos += w[i]!;
  }
  const p = Math.min(Math.max(all > 0 ? pos / all : 0.5, 1e-6), 1 - 1e-6);
  return Math.log(p / (1 - p));
}
