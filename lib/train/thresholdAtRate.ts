/**
 * The lowest threshold t (scores ≥ t are flagged) that flags at most `budget` of the given healthy
 * values: just above the (n − allowed)-th smallest value, so ties at the cut are never flagged.
 */
export function thresholdAtRate(values: ArrayLike<number>, budget: number): { threshold: number; rate: number } | null {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  if (n === 0) return null;
  const allowed = Math.floor(budget * n + 1e-9);
  const threshold = allowed >= n ? 0 : nextUp(sorted[n - 1 - allowed]!);
  let flagged = 0;
  for (let i = n - 1; i >= 0 && sorted[i]! >= threshold; i--) flagged++;
  return { threshold, rate: flagged / n };
}

/** The next representable double above x (x ≥ 0 here: probabilities). */
export function nextUp(x: number): number {
  if (x < 0) return x / 2;
  const b = new Float64Array([x]);
  const u = new BigInt64Array(b.buffer);
  u[0] = u[0]! + 1n;
  return b[0]!;
}
