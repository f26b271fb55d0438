import { describe, expect, it } from 'vitest';
import { FEATURE_ATTRIBUTES } from '../../lib/features/featurizeColumns.js';
import type { BackblazeDrive } from '../../lib/smart/backblazeColumns.js';
import { buildTrainingRows } from '../../lib/train/dataset.js';
import { QUIET_POSITIVE_WEIGHT } from '../../lib/train/labels.js';

/** A failed drive of 40 days whose reallocated count (raw 5) becomes 8 on `growDay` (index). */
function failedDrive(growDay: number): BackblazeDrive {
  const n = 40;
  const days = Int32Array.from({ length: n }, (_, i) => 18000 + i);
  const raw = FEATURE_ATTRIBUTES.map(() => undefined as Float64Array | undefined);
  raw[FEATURE_ATTRIBUTES.indexOf(5)] = Float64Array.from({ length: n }, (_, i) => (i >= growDay ? 8 : 0));
  raw[FEATURE_ATTRIBUTES.indexOf(9)] = Float64Array.from({ length: n }, (_, i) => 20000 + 24 * i);
  return {
    file: 'x.csv', serial: 'S1', model: 'ST4000DM000', vendor: 'seagate', capacityBytes: 4e12,
    days, failDay: days[n - 1]!, raw, normalized: FEATURE_ATTRIBUTES.map(() => undefined),
  } as BackblazeDrive;
}

describe('training rows', () => {
  it('down-weights positive p14 rows with no Backblaze-rule counter above 0, but not for calibration', () => {
    const rows = buildTrainingRows([{ drive: failedDrive(33), fileLastDay: 18100 }], 3);
    expect(rows.nRows).toBe(40);
    for (let i = 0; i < 40; i++) {
      const positive = 39 - i <= 14;
      expect(rows.y14[i]).toBe(positive ? 1 : 0);
      const gray = 39 - i > 14 && 39 - i <= 42;
      expect(rows.c14[i]).toBe(gray ? 0 : 1);
      const quiet = positive && i < 33;
      expect(rows.w14[i]).toBeCloseTo(gray ? 0 : quiet ? QUIET_POSITIVE_WEIGHT : 1, 6);
    }
    const plain = buildTrainingRows([{ drive: failedDrive(33), fileLastDay: 18100 }], 3, 1);
    expect(Array.from(plain.w14)).toEqual(Array.from(plain.c14));
  });
});
