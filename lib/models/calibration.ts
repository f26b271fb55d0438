/**
 * Probability calibration by Platt scaling: p = sigmoid(a · raw + b), fitted by Newton's method on
 * the weighted log-loss of held-out scores, with Platt's smoothed targets.
 *
 * Why Platt and not isotonic: failures are rare (a few hundred positives in the shared data), and
 * isotonic regression on so few positives gives a staircase that over-fits and maps many scores to
 * one probability, destroying the ranking within a step; Platt's two parameters are stable, the map
 * is smooth and strictly increasing (a > 0), so the ranking of the trees is kept exactly. Class
 * weighting in training shifts and stretches log-odds, which is exactly what an affine map undoes.
 */
import { describe, finite, isRecord, ModelFormatError, type Json } from './gbdt/formatError.js';
import { sigmoid, softplus } from './gbdt/loss.js';

export interface CalibrationJson {
  method: 'platt';
  /** slope on the raw log-odds, >= 0 */
  a: number;
  b: number;
}

export class Calibration {
  constructor(
    readonly a: number,
    readonly b: number,
  ) {}

  /** Calibrated probability for a raw log-odds score. */
  apply(raw: number): number {
    return sigmoid(this.a * raw + this.b);
  }

  toJSON(): CalibrationJson {
    return { method: 'platt', a: this.a, b: this.b };
  }
}

export function calibrationFromJson(json: Json, at = ''): Calibration {
  if (!isRecord(json)) throw new ModelFormatError(at, `expected a calibration object, got ${describe(json)}`);
  if (json['method'] !== 'platt') throw new ModelFormatError(`${at}/method`, `unsupported calibration method ${describe(json['method'])} (supported: "platt")`);
  const a = finite(json['a'], `${at}/a`);
  if (a < 0) throw new ModelFormatError(`${at}/a`, `slope must be >= 0 so probability never falls as the score rises, got ${a}`);
  return new Calibration(a, finite(json['b'], `${at}/b`));
}

const MAX_ITERATIONS = 100;
/** Stop when the gradient of the mean loss is this small. */
const TOLERANCE = 1e-10;
/** Keeps the 2×2 Newton system solvable when every score is equal. */
const RIDGE = 1e-12;

/**
 * Fits a and b on held-out raw scores. Deterministic: a fixed start, sequential sums, a bounded
 * number of damped Newton steps. A fitted negative slope (scores anti-correlated with failure)
 * is refused in favour of a = 0, the constant base rate.
 */
export function fitCalibration(rawScores: Float64Array, labels: Uint8Array, weights?: Float32Array): Calibration {
  const n = rawScores.length;
  if (labels.length !== n) throw new RangeError(`fitCalibration: ${labels.length} labels for ${n} scores`);
  if (weights && weights.length !== n) throw new RangeError(`fitCalibration: ${weights.length} weights for ${n} scores`);
  let pos = 0;
  let neg = 0;
  for (let i = 0; i < n; i++) {
    const w = weights ? weights[i]! : 1;
    if (!(w >= 0) || !Number.isFinite(rawScores[i]!)) throw new RangeError(`fitCalibration: row ${i} has score ${rawScores[i]} and weight ${w}`);
    if (labels[i]) pos += w;
    else neg += w;
  }
  // Platt's smoothed targets: never exactly 0 or 1, so separable data still gives a finite slope.
  const tPos = (pos + 1) / (pos + 2);
  const tNeg = 1 / (neg + 2);
  const prior = Math.log((pos + 1) / (neg + 1));
  const loss = (a: number, b: number): number => {
    let s = 0;
    for (let i = 0; i < n; i++) {
      const z = a * rawScores[i]! + b;
      const t = labels[i] ? tPos : tNeg;
      // −t·log σ(z) − (1−t)·log(1−σ(z)) = log(1+e^z) − t·z
      s += (weights ? weights[i]! : 1) * (softplus(z) - t * z);
    }
    return s;
  };

  let a = 0;
  let b = prior;
  let current = loss(a, b);
  const total = pos + neg;
  for (let iter = 0; iter < MAX_ITERATIONS && total > 0; iter++) {
    let ga = 0;
    let gb = 0;
    let haa = RIDGE;
    let hab = 0;
    let hbb = RIDGE;
    for (let i = 0; i < n; i++) {
      const s = rawScores[i]!;
      const w = weights ? weights[i]! : 1;
      const p = sigmoid(a * s + b);
      const d = w * (p - (labels[i] ? tPos : tNeg));
      const hw = w * p * (1 - p);
      ga += d * s;
      gb += d;
      haa += hw * s * s;
      hab += hw * s;
      hbb += hw;
    }
    if (Math.abs(ga) / total < TOLERANCE && Math.abs(gb) / total < TOLERANCE) break;
    const det = haa * hbb - hab * hab;
    const da = -(hbb * ga - hab * gb) / det;
    const db = -(haa * gb - hab * ga) / det;
    // Backtracking keeps every step a descent step (Lin, Lin & Weng's note on Platt's method).
    let step = 1;
    let improved = false;
    while (step > 1e-10) {
      const next = loss(a + step * da, b + step * db);
      if (next < current) {
        a += step * da;
        b += step * db;
        current = next;
        improved = true;
        break;
      }
      step /= 2;
    }
    if (!improved) break;
  }
  if (!(a >= 0)) return new Calibration(0, prior);
  return new Calibration(a, b);
}

