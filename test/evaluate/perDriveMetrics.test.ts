import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  driveScore,
  evaluateAtThreshold,
  fdrFarCurve,
  perDriveMetrics,
  type DriveScores,
} from '../../lib/evaluate/perDriveMetrics.js';
import { quartiles } from '../../lib/evaluate/quantiles.js';

/** A drive scored on consecutive days starting at `start`; `null` = no score that day. */
function drive(serial: string, start: number, scores: Array<number | null>, failDay?: number): DriveScores {
  return {
    serial,
    failed: failDay !== undefined,
    ...(failDay !== undefined ? { failDay } : {}),
    days: Int32Array.from(scores.map((_, i) => start + i)),
    p14: Float64Array.from(scores.map((s) => (s === null ? NaN : s))),
  };
}

const healthy = (serial: string, max: number): DriveScores => drive(serial, 0, [0, max, 0]);

describe('driveScore', () => {
  it('takes a failed drive’s max over F−30…F−1 only, ignoring the failure day and earlier days', () => {
    // days 0..40, failure on day 40: the window is days 10..39.
    const scores = Array.from({ length: 41 }, () => 0.1);
    scores[9] = 0.99; // F−31: outside
    scores[40] = 0.98; // failure day: outside
    scores[10] = 0.5; // F−30: inside
    expect(driveScore(drive('a', 0, scores, 40))).toBe(0.5);
  });

  it('is -Infinity for a drive failing on its first day and for NaN-only days', () => {
    expect(driveScore(drive('a', 5, [0.9], 5))).toBe(-Infinity);
    expect(driveScore(drive('b', 0, [null, null]))).toBe(-Infinity);
  });
});

describe('evaluateAtThreshold', () => {
  const drives = [
    drive('f1', 0, [0.1, 0.7, 0.9, 0.2], 4), // first ≥0.7 on day 1 → lead 3
    drive('f2', 0, [0.1, 0.1, 0.7, 0.95], 3), // day 3 is the failure day; ≥0.7 on day 2 → lead 1
    drive('f3', 7, [0.99], 7), // fails on its first day: undetectable
    healthy('h1', 0.7), // tie at the threshold: flagged
    healthy('h2', 0.69),
    healthy('h3', 0.1),
  ];

  it('counts detections, ties as flagged, lead times and weighted precision', () => {
    const r = evaluateAtThreshold(drives, 0.7, { healthyWeight: 2 });
    expect(r).toMatchObject({ detected: 2, failedDrives: 3, falseAlarms: 1, healthyDrives: 3 });
    expect(r.fdr).toBeCloseTo(2 / 3, 12);
    expect(r.farAchieved).toBeCloseTo(1 / 3, 12);
    expect(r.precision).toBeCloseTo(2 / (2 + 2 * 1), 12);
    expect(r.leadDays).toEqual({ median: 2, q1: 1.5, q3: 2.5, count: 2 });
  });

  it('flags nothing at +Infinity', () => {
    const r = evaluateAtThreshold(drives, Infinity);
    expect(r).toMatchObject({ detected: 0, falseAlarms: 0, fdr: 0, farAchieved: 0 });
    expect(r.precision).toBeNaN();
  });
});

describe('fdrFarCurve', () => {
  it('has one point per distinct score, tied drives entering together', () => {
    const drives = [
      drive('f1', 0, [0.8], 1),
      drive('f2', 0, [0.5], 1),
      drive('f3', 0, [0.2], 0), // undetectable
      healthy('h1', 0.8),
      healthy('h2', 0.3),
    ];
    const curve = fdrFarCurve(drives);
    expect(curve.points.map((p) => [p.threshold, p.detected, p.falseAlarms])).toEqual([
      [Infinity, 0, 0],
      [0.8, 1, 1],
      [0.5, 2, 1],
      [0.3, 2, 2], // per-drive maxima only: the healthy drives' zero days add no point
    ]);
  });

  it('matches evaluateAtThreshold at every threshold (random drives)', () => {
    const scoreArb = fc.oneof(fc.constantFrom(0, 0.25, 0.5, 1), fc.double({ min: 0, max: 1, noNaN: true }), fc.constant(null));
    const driveArb = fc.record({
      scores: fc.array(scoreArb, { minLength: 1, maxLength: 40 }),
      failAt: fc.option(fc.integer({ min: 0, max: 45 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(driveArb, { maxLength: 25 }), (spec) => {
        const drives = spec.map((s, i) => drive(`d${i}`, 0, s.scores, s.failAt));
        for (const p of fdrFarCurve(drives).points) {
          const r = evaluateAtThreshold(drives, p.threshold);
          expect([r.detected, r.falseAlarms]).toEqual([p.detected, p.falseAlarms]);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('perDriveMetrics', () => {
  // 1000 healthy drives with distinct maxima 0.0000…0.0999; failed drives with known maxima.
  const healthyDrives = Array.from({ length: 1000 }, (_, i) => healthy(`h${i}`, i / 10000));
  const failed = [0.5, 0.09995, 0.0993, 0.0985, 0.05].map((s, i) => drive(`f${i}`, 0, [0, s, 0], 3));

  it('picks the lowest threshold with FAR ≤ target', () => {
    const m = perDriveMetrics([...healthyDrives, ...failed]);
    expect(m.points.map((p) => p.far)).toEqual([0.001, 0.005, 0.01, 0.02]);
    // FAR ≤ 0.1% allows 1 false alarm of 1000: the lowest threshold above the second-highest
    // healthy drive (0.0998) is the top healthy drive's 0.0999.
    expect(m.points.map((p) => p.threshold)).toEqual([0.0999, 0.0995, 0.099, 0.098]);
    expect(m.points.map((p) => p.falseAlarms)).toEqual([1, 5, 10, 20]);
    expect(m.points.map((p) => p.detected)).toEqual([2, 2, 3, 4]);
    expect(m.points[3]!.fdr).toBeCloseTo(4 / 5, 12);
    expect(m).toMatchObject({ failedDrives: 5, healthyDrives: 1000, undetectableFailed: 0, windowDays: 30 });
  });

  it('never splits a tie to meet the budget', () => {
    // Two healthy drives tied at 0.9 out of 100; a 1% budget allows one, so the tie cannot be flagged.
    const drives = [
      healthy('h0', 0.9),
      healthy('h1', 0.9),
      ...Array.from({ length: 98 }, (_, i) => healthy(`x${i}`, 0.1)),
      drive('f', 0, [0.9], 1),
      drive('g', 0, [0.95], 1),
    ];
    const p = perDriveMetrics(drives, { farPoints: [0.01] }).points[0]!;
    expect(p.threshold).toBe(0.95);
    expect(p.falseAlarms).toBe(0);
    expect(p.detected).toBe(1);
  });

  it('keeps first-day failures in the denominator as undetectable', () => {
    const drives = [healthy('h', 0.1), drive('f1', 0, [0.9], 0), drive('f2', 0, [0.9, 0.9], 1)];
    const m = perDriveMetrics(drives, { farPoints: [0] });
    expect(m.undetectableFailed).toBe(1);
    expect(m.points[0]).toMatchObject({ detected: 1, failedDrives: 2, fdr: 0.5, falseAlarms: 0 });
  });

  it('uses the healthy weight in precision only', () => {
    const drives = [healthy('h0', 0.9), healthy('h1', 0.1), drive('f', 0, [0.9], 1)];
    const a = perDriveMetrics(drives, { farPoints: [0.5] }).points[0]!;
    const b = perDriveMetrics(drives, { farPoints: [0.5], healthyWeight: 6.7 }).points[0]!;
    expect([a.threshold, a.fdr, a.farAchieved]).toEqual([b.threshold, b.fdr, b.farAchieved]);
    expect(a.precision).toBeCloseTo(0.5, 12);
    expect(b.precision).toBeCloseTo(1 / 7.7, 12);
  });

  it('reports NaN at FAR points when there are no healthy drives', () => {
    const p = perDriveMetrics([drive('f', 0, [0.9], 1)]).points[0]!;
    expect(p.threshold).toBeNaN();
    expect(p.fdr).toBeNaN();
    expect(p.failedDrives).toBe(1);
  });
});

describe('quartiles', () => {
  it('interpolates linearly (type 7)', () => {
    expect(quartiles([1, 2, 3, 4])).toEqual({ median: 2.5, q1: 1.75, q3: 3.25, count: 4 });
    expect(quartiles([]).median).toBeNaN();
  });
});
