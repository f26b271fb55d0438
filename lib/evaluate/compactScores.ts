/**
 * Keeps, per drive, only the scores per-drive metrics can ever look at, so a whole data set's
 * evaluation fits in memory: a failed drive's detection-window days (lead times need each day), a
 * healthy drive's maximum (a false alarm is decided by its highest day alone).
 */
import type { DriveScores } from './perDriveMetrics.js';

export interface DriveLabel {
  serial: string;
  vendor: string;
  failDay?: number;
}

export function compactScores(label: DriveLabel, days: Int32Array, scores: Float64Array, windowDays: number): DriveScores {
  const base = { serial: label.serial, vendor: label.vendor };
  if (label.failDay !== undefined) {
    const from = label.failDay - windowDays;
    const to = label.failDay - 1;
    const keep: number[] = [];
    for (let i = 0; i < days.length; i++) if (days[i]! >= from && days[i]! <= to) keep.push(i);
    return {
      ...base,
      failed: true,
      failDay: label.failDay,
      days: Int32Array.from(keep, (i) => days[i]!),
      p14: Float64Array.from(keep, (i) => scores[i]!),
    };
  }
  let max = NaN;
  for (const s of scores) if (s > max || (Number.isNaN(max) && !Number.isNaN(s))) max = s;
  return { ...base, failed: false, days: Int32Array.of(days[days.length - 1] ?? 0), p14: Float64Array.of(max) };
}
