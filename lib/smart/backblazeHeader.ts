/** Backblaze CSV header and cell helpers shared by the row reader and the columnar loader. */
import { utcTimestamp } from '../util/utcTime.js';
import { SmartParseError } from './errors.js';

export interface BackblazeSmartColumn {
  index: number;
  id: number;
  kind: 'raw' | 'normalized';
}

export interface BackblazeHeader {
  names: string[];
  width: number;
  date: number;
  serial: number;
  /** -1 when absent */
  model: number;
  capacity: number;
  failure: number;
  smart: BackblazeSmartColumn[];
}

export function parseBackblazeHeader(line: string, file: string): BackblazeHeader {
  const names = splitCsvLine(line.replace(/^\uFEFF/, '')).map((n) => n.trim());
  const at = (name: string): number => names.indexOf(name);
  const date = at('date');
  const serial = at('serial_number');
  if (date < 0 || serial < 0) {
    throw new SmartParseError('MISSING', 'header lacks date or serial_number: not a Backblaze Drive Stats file', { file, line: 1 });
  }
  const smart: BackblazeSmartColumn[] = [];
  names.forEach((name, index) => {
    const m = /^smart_(\d+)_(raw|normalized)$/.exec(name);
    if (m) smart.push({ index, id: Number(m[1]), kind: m[2] as 'raw' | 'normalized' });
  });
  return { names, width: names.length, date, serial, model: at('model'), capacity: at('capacity_bytes'), failure: at('failure'), smart };
}

/** Splits a CSV line; handles double-quoted fields (Backblaze writes none, but spreadsheets do). */
export function splitCsvLine(line: string): string[] {
  if (line.indexOf('"') < 0) return line.split(',');
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"') {
        if (line[i + 1] === '"') {
          cur += '"';
          i++;
        } else quoted = false;
      } else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** ISO `YYYY-MM-DD` (the form every shared file uses) → ms since epoch, UTC midnight. */
export function parseBackblazeDate(cell: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(cell.trim());
  return m ? utcTimestamp(Number(m[1]), Number(m[2]), Number(m[3])) : undefined;
}
