import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bootstrapFdr, fdrAtFarWeighted } from '../../lib/evaluate/bootstrap.js';
import { driveScore, perDriveMetrics, type DriveScores } from '../../lib/evaluate/perDriveMetrics.js';

function drive(serial: string, scores: number[], failDay?: number): DriveScores {
  return {
    serial,
    failed: failDay !== undefined,
    ...(failDay !== undefined ? { failDay } : {}),
    days: Int32Array.from(scores.map((_, i) => i)),
    p14: Float64Array.from(scores),
  };
}

describe('fdrAtFarWeighted', () => {
  it('equals perDriveMetrics when every drive is drawn once', () => {
    const arb = fc.array(
      fc.record({ score: fc.constantFrom(0, 0.1, 0.5, 0.9, 1), extra: fc.double({ min: 0, max: 1, noNaN: true }), failed: fc.boolean() }),
      { minLength: 1, maxLength: 60 },
    );
    fc.assert(
      fc.property(arb, fc.constantFrom(0, 0.01, 0.05, 0.2, 0.5), (spec, far) => {
        const drives = spec.map((s, i) =>
          s.failed ? drive(`f${i}`, [s.score, s.extra], 2) : drive(`h${i}`, [s.score, Math.min(s.score, s.extra)]),
        );
        const failed = Float64Array.from(drives.filter((d) => d.failed).map((d) => driveScore(d))).sort().reverse();
        const healthy = Float64Array.from(drives.filter((d) => !d.failed).map((d) => driveScore(d))).sort().reverse();
        const got = fdrAtFarWeighted(failed, new Uint32Array(failed.length).fill(1), healthy, new Uint32Array(healthy.length).fill(1), far);
        const want = perDriveMetrics(drives, { farPoints: [far] }).points[0]!.fdr;
        if (failed.length === 0 || healthy.length === 0) expect(got).toBeNaN();
        else expect(got).toBeCloseTo(want, 12);
      }),
      { numRuns: 300 },
    );
  });
});

describe('bootstrapFdr', () => {
  // 40 failed drives, half clearly separated from 400 healthy ones.
  const drives = [
    ...Array.from({ length: 400 }, (_, i) => drive(`h${i}`, [i / 1000])),
    ...Array.from({ length: 40 }, (_, i) => drive(`f${i}`, [i % 2 === 0 ? 0.9 : 0.01, 0], 2)),
  ];

  it('brackets the point estimate and is reproducible with a seed', () => {
    const [ci] = bootstrapFdr(drives, { farPoints: [0.01], replicates: 300, seed: 7 });
    const point = perDriveMetrics(drives, { farPoints: [0.01] }).points[0]!.fdr;
    expect(point).toBe(0.5);
    expect(ci!.low).toBeLessThan(point);
    expect(ci!.high).toBeGreaterThan(point);
    expect(ci!.high - ci!.low).toBeLessThan(0.5);
    expect(bootstrapFdr(drives, { farPoints: [0.01], replicates: 300, seed: 7 })).toEqual([ci]);
  });
});
