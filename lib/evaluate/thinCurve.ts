/**
 * Fewer points for drawing an FDR-vs-FAR curve: keeps the first and last point and, in between, a
 * point only where FDR or log-FAR moved visibly, so a curve over tens of thousands of drives stays
 * a small SVG path without changing its shape.
 */
import type { CurvePoint } from './perDriveMetrics.js';

export function thinCurve(points: readonly CurvePoint[], maxPoints = 400): CurvePoint[] {
  if (points.length <= maxPoints) return [...points];
  const step = 1 / maxPoints;
  const out: CurvePoint[] = [points[0]!];
  let last = points[0]!;
  const logFar = (p: CurvePoint): number => Math.log10(Math.max(p.far, 1e-5));
  for (let i = 1; i < points.length - 1; i++) {
    const p = points[i]!;
    if (Math.abs(p.fdr - last.fdr) >= step || Math.abs(logFar(p) - logFar(last)) >= 5 * step) {
      out.push(p);
      last = p;
    }
  }
  out.push(points[points.length - 1]!);
  return out;
}
