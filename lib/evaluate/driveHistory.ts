/**
 * One drive's rows (any order, possibly repeated days) → a clean day-ordered history plus its
 * label. Repairs are counted in the tally: unsorted rows are sorted, rows repeating a day are
 * merged (the later row wins, a failure on either is kept), and a drive reported failed on several
 * days is labelled by its first failure.
 */
import type { DeviceHistory, SmartSample } from '../smart/types.js';
import type { IssueTally } from './issueTally.js';
import { epochDay, utcDate } from '../util/utcTime.js';

export interface DriveHistory {
  serial: string;
  vendor: string;
  history: DeviceHistory;
  /** epoch day of the first failure row */
  failDay?: number;
}

export function assembleDrive(serial: string, rows: SmartSample[], tally: IssueTally): DriveHistory {
  let sorted = true;
  for (let i = 1; i < rows.length; i++) if (rows[i]!.time < rows[i - 1]!.time) sorted = false;
  if (!sorted) tally.add('handled', 'rows out of date order (sorted)', 'drives', serial);
  // Stable sort keeps arrival order within a day, so "the later row wins" is well defined.
  const ordered = sorted ? rows : [...rows].sort((a, b) => a.time - b.time);
  const samples: SmartSample[] = [];
  const failDays: number[] = [];
  for (const row of ordered) {
    const day = epochDay(row.time);
    if (row.failure) failDays.push(day);
    const prev = samples[samples.length - 1];
    if (prev && epochDay(prev.time) === day) {
      tally.add('handled', 'rows repeating a drive-day (later row kept)', 'rows', `${serial} ${utcDate(row.time)}`);
      samples[samples.length - 1] = prev.failure && !row.failure ? { ...row, failure: true } : row;
    } else samples.push(row);
  }
  const distinctFailDays = new Set(failDays);
  if (distinctFailDays.size > 1) tally.add('handled', 'drive failed on several days (first failure used)', 'drives', serial);
  const drive: DriveHistory = {
    serial,
    vendor: samples.find((s) => s.device.vendor !== 'unknown')?.device.vendor ?? 'unknown',
    history: { devid: serial, samples, errors: [] },
  };
  if (failDays.length > 0) drive.failDay = Math.min(...failDays);
  return drive;
}
