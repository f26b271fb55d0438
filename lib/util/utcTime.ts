/** UTC calendar helpers shared by the readers, the featurizer (one day = one feature row) and the wire. */

export const MS_PER_DAY = 86_400_000;

/** Days since 1970-01-01 UTC of a time in ms. */
export function epochDay(timeMs: number): number {
  return Math.floor(timeMs / MS_PER_DAY);
}

/**
 * A UTC calendar time → ms since the epoch, or undefined when a field is out of range: Date.UTC
 * would roll 2018-02-30 over to March and read years 0–99 as 1900–1999, so the result is checked.
 */
export function utcTimestamp(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number | undefined {
  const t = Date.UTC(year, month - 1, day, hour, minute, second);
  const back = new Date(t);
  const valid =
    back.getUTCFullYear() === year &&
    back.getUTCMonth() === month - 1 &&
    back.getUTCDate() === day &&
    back.getUTCHours() === hour &&
    back.getUTCMinutes() === minute &&
    back.getUTCSeconds() === second;
  return valid ? t : undefined;
}

/** `2024-01-02T03:04:05Z`: whole seconds, as on the daemon's wire. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** `2024-01-02`: a UTC date (Backblaze's `date`, Ceph's `device set-life-expectancy`). */
export function utcDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
