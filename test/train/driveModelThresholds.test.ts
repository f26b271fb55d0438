import { describe, expect, it } from 'vitest';
import { driveModelThresholds, MIN_SMALL_POPULATION_DRIVES, type SelectionDrive } from '../../lib/train/driveModelThresholds.js';

/** n healthy drives of one model (serials prefix-0, prefix-1, …) whose highest scores are `top`, the rest spread below 0.1. */
function drivesOf(model: string, n: number, top: number[], prefix = model): SelectionDrive[] {
  const scores = [...top, ...Array.from({ length: n - top.length }, (_, i) => (0.1 * i) / n)];
  return scores.map((maxP14, i) => ({ model, serial: `${prefix}-${i}`, maxP14 }));
}

describe('driveModelThresholds', () => {
  const base = { bad: 0.47, warning: 0.35, badFloor: 0.31 };

  it('gives each model with enough drives the lowest threshold within the rate, never below the floor, Warning never above its Bad', () => {
    const drives = [
      // 2,000 drives at 0.25 %: 5 may be flagged, so the 6th highest (0.6) sets it
      ...drivesOf('ST8000NM0055', 2000, [0.9, 0.85, 0.8, 0.75, 0.7, 0.6, 0.55]),
      // a quiet model: its 3rd highest is 0.2, under the Warning threshold
      ...drivesOf('ST8000DM002', 1200, [0.5, 0.4, 0.2]),
      // too few drives for any threshold of its own
      ...drivesOf('TOSHIBA MQ01ABF050', MIN_SMALL_POPULATION_DRIVES - 1, [0.9]),
    ];
    const r = driveModelThresholds(drives, base);
    expect(Object.keys(r.thresholds)).toEqual(['ST8000DM002', 'ST8000NM0055']);
    const nm = r.thresholds['ST8000NM0055']!;
    expect(nm.bad).toBeGreaterThan(0.6);
    expect(nm.bad).toBeLessThan(0.6000001);
    expect(drives.filter((d) => d.model === 'ST8000NM0055' && d.maxP14 >= nm.bad).length).toBe(5);
    expect(nm.warning).toBe(base.warning);
    // floored at 0.31, under the base Warning: its Warning is its Bad
    expect(r.thresholds['ST8000DM002']).toEqual({ bad: 0.31, warning: 0.31 });
    expect(r.choices.find((c) => c.model === 'ST8000DM002')!.atRate).toBeLessThan(0.2000001);
    expect(r.choices.map((c) => [c.healthyDrives, c.rule])).toEqual([
      [1200, 'rate'],
      [2000, 'rate'],
    ]);
  });

  it('groups spellings of one model under one deterministic name, whatever the drive order', () => {
    const a = [...drivesOf('ST4000DM000', 600, [0.9], 'a'), ...drivesOf('st4000dm000 ', 600, [0.8], 'b')];
    const r1 = driveModelThresholds(a, base);
    const r2 = driveModelThresholds([...a].reverse(), base);
    expect(r1).toEqual(r2);
    expect(Object.keys(r1.thresholds)).toEqual(['ST4000DM000']);
    expect(r1.choices[0]!.healthyDrives).toBe(1200);
  });

  it('counts a drive in several files once, at its highest score in any of them', () => {
    // 600 drives, each in two files (a one-day snapshot and a 10-day history): 600 drives, not 1,200
    const snapshot = drivesOf('TOSHIBA MQ01ABF050', 600, [0.55, 0.52]);
    const history = drivesOf('TOSHIBA MQ01ABF050', 600, [0.58, 0.5]);
    const r = driveModelThresholds([...snapshot, ...history], base);
    const c = r.choices[0]!;
    expect(c.healthyDrives).toBe(600);
    expect(c.rule).toBe('raise-only');
    // 600 drives at 0.25 %: one may be flagged; the two highest drives are at 0.58 and 0.52
    expect(c.atRate).toBeGreaterThan(0.52);
    expect(c.atRate).toBeLessThan(0.5200001);
  });

  it('lets a drive model with a few hundred drives only raise its Bad threshold, above every drive when the rate allows none', () => {
    const drives = [
      // 300 drives: 0.25 % allows none, so the threshold is just above the highest (0.588)
      ...drivesOf('TOSHIBA MQ01ABF050', 300, [0.588, 0.577, 0.499]),
      // 500 quiet drives: the rate alone would give 0.2, under the base Bad threshold: it keeps the base
      ...drivesOf('WDC WD30EZRX', 500, [0.3, 0.2]),
    ];
    const r = driveModelThresholds(drives, base);
    const toshiba = r.thresholds['TOSHIBA MQ01ABF050']!;
    expect(toshiba.bad).toBeGreaterThan(0.588);
    expect(toshiba.bad).toBeLessThan(0.5880001);
    expect(toshiba.warning).toBe(base.warning);
    expect(r.thresholds['WDC WD30EZRX']).toEqual({ bad: base.bad, warning: base.warning });
    expect(r.choices.map((c) => c.rule)).toEqual(['raise-only', 'raise-only']);
    expect(r.choices.find((c) => c.model === 'WDC WD30EZRX')!.atRate).toBeLessThan(0.3000001);
  });
});
