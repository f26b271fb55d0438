/**
 * Builds small Backblaze Drive Stats CSV files for tests (the project's own fixtures, generated,
 * never copied from ../shared).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface FixtureRow {
  date: string;
  serial: string;
  model?: string;
  failure?: 0 | 1;
  /** raw SMART values by attribute id; absent = empty cell */
  raw?: Record<number, number>;
}

export const FIXTURE_ATTRIBUTES = [5, 9, 187, 188, 197, 198];

export function backblazeCsv(rows: readonly FixtureRow[], options: { failureColumn?: boolean } = {}): string {
  const withFailure = options.failureColumn ?? true;
  const header = ['date', 'serial_number', 'model', 'capacity_bytes', ...(withFailure ? ['failure'] : []), ...FIXTURE_ATTRIBUTES.flatMap((id) => [`smart_${id}_normalized`, `smart_${id}_raw`])];
  const lines = rows.map((r) =>
    [
      r.date,
      r.serial,
      r.model ?? 'ST4000DM000',
      '4000787030016',
      ...(withFailure ? [String(r.failure ?? 0)] : []),
      ...FIXTURE_ATTRIBUTES.flatMap((id) => ['', r.raw?.[id] === undefined ? '' : String(r.raw[id])]),
    ].join(','),
  );
  return [header.join(','), ...lines].join('\n') + '\n';
}

export function isoDay(epochDay: number): string {
  return new Date(epochDay * 86_400_000).toISOString().slice(0, 10);
}

/** `count` consecutive daily rows of one drive from `startDay` (epoch day). */
export function dailyRows(serial: string, startDay: number, count: number, raw: (i: number) => Record<number, number>, failLast = false): FixtureRow[] {
  return Array.from({ length: count }, (_, i) => ({
    date: isoDay(startDay + i),
    serial,
    raw: raw(i),
    failure: failLast && i === count - 1 ? 1 : 0,
  }));
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `diskpredict-test-${prefix}-`));
}

export function writeFixture(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}
