import { describe, expect, it } from 'vitest';
import { driveModelThresholds, type SelectionDrive } from '../../lib/train/driveModelThresholds.js';

/** n healthy drives of one model whose highest scores are `top`, the rest spread below 0.1. */
function drivesOf(model: string, n: number, top: number[]): SelectionDrive[] {
  const rest = Array.from({ length: n - top.length }, (_, i) => ({ model, maxP14: (0.1 * i) / n }));
  return [...top.map((maxP14) => ({ model, maxP14 })), ...rest];
}

describe('driveModelThresholds', () => {
  const base = { bad: 0.47, warning: 0.31 };

  it('gives each model with enough drives the lowest threshold within the rate, never below the Warning threshold', () => {
    const drives = [
      // 2,000 drives at 0.25 %: 5 may be flagged, so the 6th highest (0.6) sets it
      ...drivesOf('ST8000NM0055', 2000, [0.9, 0.85, 0.8, 0.75, 0.7, 0.6, 0.55]),
      // a quiet model: its 3rd highest is 0.2, under the Warning threshold
      ...drivesOf('ST8000DM002', 1200, [0.5, 0.4, 0.2]),
      // too few drives: no threshold of its own
      ...drivesOf('TOSHIBA MQ01ABF050', 999, [0.9]),
    ];
    const r = driveModelThresholds(drives, base);
    expect(Object.keys(r.thresholds)).toEqual(['ST8000DM002', 'ST8000NM0055']);
    const nm = r.thresholds['ST8000NM0055']!;
    expect(nm.bad).toBeGreaterThan(0.6);
    expect(nm.bad).toBeLessThan(0.6000001);
    expect(drives.filter((d) => d.model === 'ST8000NM0055' && d.maxP14 >= nm.bad).length).toBe(5);
    expect(r.thresholds['ST8000DM002']).toEqual({ bad: 0.31, warning: 0.31 });
    expect(r.choices.find((c) => c.model === 'ST8000DM002')!.atRate).toBeLessThan(0.2000001);
    expect(r.choices.map((c) => c.healthyDrives)).toEqual([1200, 2000]);
  });

  it('groups spellings of one model under one deterministic name, whatever the drive order', () => {
    const a = [...drivesOf('ST4000DM000', 600, [0.9]), ...drivesOf('st4000dm000 ', 600, [0.8])];
    const r1 = driveModelThresholds(a, base);
    const r2 = driveModelThresholds([...a].reverse(), base);
    expect(r1).toEqual(r2);
    expect(Object.keys(r1.thresholds)).toEqual(['ST4000DM000']);
    expect(r1.choices[0]!.healthyDrives).toBe(1200);
  });
});
