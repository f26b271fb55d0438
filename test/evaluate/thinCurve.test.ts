import { describe, expect, it } from 'vitest';
import { thinCurve } from '../../lib/evaluate/thinCurve.js';
import { fdrFarCurve, type DriveScores } from '../../lib/evaluate/perDriveMetrics.js';

describe('thinCurve', () => {
  it('keeps the ends and the shape of a long curve in a few hundred points', () => {
    const drives: DriveScores[] = Array.from({ length: 20_000 }, (_, i) => ({
      serial: `d${i}`,
      failed: i % 50 === 0,
      ...(i % 50 === 0 ? { failDay: 10 } : {}),
      days: Int32Array.of(5),
      p14: Float64Array.of(((i * 7919) % 20_000) / 20_000 + (i % 50 === 0 ? 0.3 : 0)),
    }));
    const full = fdrFarCurve(drives).points;
    const thin = thinCurve(full);
    expect(full.length).toBeGreaterThan(15_000);
    expect(thin.length).toBeLessThan(900);
    expect(thin[0]).toEqual(full[0]);
    expect(thin[thin.length - 1]).toEqual(full[full.length - 1]);
    // Every kept point is a real curve point, in order, and FDR never drops.
    for (let i = 1; i < thin.length; i++) {
      expect(thin[i]!.threshold).toBeLessThan(thin[i - 1]!.threshold);
      expect(thin[i]!.fdr).toBeGreaterThanOrEqual(thin[i - 1]!.fdr);
    }
    expect(thinCurve(full.slice(0, 10))).toEqual(full.slice(0, 10));
  });
});
