/**
 * Fast columnar loader for training: Backblaze files straight into per-drive typed arrays, without
 * a SmartSample object per row (millions of rows). A drive is one serial number within one file
 * (files are separate populations; the same serial in two files is two drives on the same split
 * side, since splits hash the serial). Per drive: one row per day (a repeated day: last row wins),
 * ascending; rows after the first failure=1 row are dropped (Backblaze sometimes reports a drive
 * failing twice).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { backblazeReadError } from './backblazeCsv.js';
import { readCsvLines } from './csvLines.js';
import { MS_PER_DAY, utcDate } from '../util/utcTime.js';
import { parseBackblazeDate, parseBackblazeHeader, splitCsvLine, type BackblazeHeader } from './backblazeHeader.js';
import { SmartParseError } from './errors.js';
import type { Vendor } from './types.js';
import { inferVendor } from './vendor.js';

export interface BackblazeDrive {
  file: string;
  serial: string;
  model: string;
  vendor: Vendor;
  /** NaN when the file has no capacity_bytes */
  capacityBytes: number;
  /** epoch days, ascending */
  days: Int32Array;
  /** epoch day of the failure row, −1 if the drive did not fail in this file */
  failDay: number;
  /** per requested attribute id (same order): raw values per row (exact up to 2^53), or undefined when the file lacks the column */
  raw: (Float64Array | undefined)[];
  normalized: (Float64Array | undefined)[];
}

export interface BackblazeFileSummary {
  file: string;
  sha256: string;
  rows: number;
  badRows: number;
  /** first few skipped lines, for the message */
  badLines: number[];
  drives: number;
  failedDrives: number;
  firstDay: string;
  lastDay: string;
}

export interface BackblazeLoad {
  drives: BackblazeDrive[];
  files: BackblazeFileSummary[];
}

export async function loadBackblazeDrives(files: readonly string[], attributeIds: readonly number[]): Promise<BackblazeLoad> {
  const drives: BackblazeDrive[] = [];
  const summaries: BackblazeFileSummary[] = [];
  for (const file of files) {
    const [loaded, sha256] = await Promise.all([loadOneFile(file, attributeIds), sha256OfFile(file)]);
    drives.push(...loaded.drives);
    summaries.push({ ...loaded.summary, sha256 });
  }
  return { drives, files: summaries };
}

function sha256OfFile(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(file)
      .on('data', (c) => h.update(c))
      .on('error', (e) => reject(new SmartParseError('IO', e.message, { file })))
      .on('end', () => resolve(h.digest('hex')));
  });
}

async function loadOneFile(file: string, ids: readonly number[]): Promise<{ drives: BackblazeDrive[]; summary: Omit<BackblazeFileSummary, 'sha256'> }> {
  let header: BackblazeHeader | undefined;
  let rawIdx: number[] = [];
  let normIdx: number[] = [];
  const serialOf = new Map<string, number>();
  const serials: string[] = [];
  const models: string[] = [];
  const capacities: number[] = [];
  const rowSerial: number[] = [];
  const rowDay: number[] = [];
  const rowFail: number[] = [];
  let rawCols: number[][] = [];
  let normCols: number[][] = [];
  const dayCache = new Map<string, number>();
  let lineNo = 0;
  let badRows = 0;
  const badLines: number[] = [];
  try {
    for await (const line of readCsvLines(file)) {
      lineNo++;
      if (header === undefined) {
        header = parseBackblazeHeader(line, file);
        const h = header;
        rawIdx = ids.map((id) => h.smart.find((c) => c.id === id && c.kind === 'raw')?.index ?? -1);
        normIdx = ids.map((id) => h.smart.find((c) => c.id === id && c.kind === 'normalized')?.index ?? -1);
        rawCols = ids.map(() => []);
        normCols = ids.map(() => []);
        continue;
      }
      if (line.length === 0) continue;
      const cells = splitCsvLine(line);
      const dateCell = cells[header.date] ?? '';
      let day = dayCache.get(dateCell);
      if (day === undefined) {
        const t = parseBackblazeDate(dateCell);
        day = t === undefined ? NaN : t / MS_PER_DAY;
        dayCache.set(dateCell, day);
      }
      const serial = (cells[header.serial] ?? '').trim();
      const failCell = header.failure >= 0 ? (cells[header.failure] ?? '').trim() : '0';
      if (cells.length !== header.width || day !== day || serial === '' || (failCell !== '0' && failCell !== '1' && failCell !== '')) {
        badRows++;
        if (badLines.length < 10) badLines.push(lineNo);
        continue;
      }
      let si = serialOf.get(serial);
      if (si === undefined) {
        si = serials.length;
        serialOf.set(serial, si);
        serials.push(serial);
        models.push(header.model >= 0 ? (cells[header.model] ?? '').trim() : '');
        capacities.push(NaN);
      }
      if (header.capacity >= 0) {
        const cap = Number(cells[header.capacity]);
        if (cap > 0) capacities[si] = cap;
      }
      rowSerial.push(si);
      rowDay.push(day);
      rowFail.push(failCell === '1' ? 1 : 0);
      for (let a = 0; a < ids.length; a++) {
        const ri = rawIdx[a]!;
        if (ri >= 0) rawCols[a]!.push(cellNumber(cells[ri]!));
        const ni = normIdx[a]!;
        if (ni >= 0) normCols[a]!.push(cellNumber(cells[ni]!));
      }
    }
  } catch (err) {
    throw backblazeReadError(err, file, lineNo);
  }
  if (header === undefined) throw new SmartParseError('EMPTY', 'no header line', { file });

  // Group rows by serial, ordered by day.
  const order = Array.from(rowSerial.keys()).sort((p, q) => rowSerial[p]! - rowSerial[q]! || rowDay[p]! - rowDay[q]! || p - q);
  const drives: BackblazeDrive[] = [];
  let minDay = Infinity;
  let maxDay = -Infinity;
  let failedDrives = 0;
  for (let start = 0; start < order.length; ) {
    const si = rowSerial[order[start]!]!;
    let end = start;
    while (end < order.length && rowSerial[order[end]!] === si) end++;
    // one row per day (last in file order wins), cut after the first failure
    const keep: number[] = [];
    let failDay = -1;
    for (let k = start; k < end; k++) {
      const r = order[k]!;
      if (keep.length > 0 && rowDay[keep[keep.length - 1]!] === rowDay[r]) keep[keep.length - 1] = r;
      else keep.push(r);
    }
    for (let k = 0; k < keep.length; k++) {
      if (rowFail[keep[k]!] === 1) {
        failDay = rowDay[keep[k]!]!;
        keep.length = k + 1;
        break;
      }
    }
    if (failDay >= 0) failedDrives++;
    const days = Int32Array.from(keep, (r) => rowDay[r]!);
    minDay = Math.min(minDay, days[0]!);
    maxDay = Math.max(maxDay, days[days.length - 1]!);
    const model = models[si]!;
    drives.push({
      file,
      serial: serials[si]!,
      model,
      vendor: inferVendor(model || undefined),
      capacityBytes: capacities[si]!,
      days,
      failDay,
      raw: rawCols.map((col, a) => (rawIdx[a]! >= 0 ? Float64Array.from(keep, (r) => col[r]!) : undefined)),
      normalized: normCols.map((col, a) => (normIdx[a]! >= 0 ? Float64Array.from(keep, (r) => col[r]!) : undefined)),
    });
    start = end;
  }
  const iso = (d: number): string => (Number.isFinite(d) ? utcDate(d * MS_PER_DAY) : '');
  return {
    drives,
    summary: { file, rows: rowSerial.length, badRows, badLines, drives: drives.length, failedDrives, firstDay: iso(minDay), lastDay: iso(maxDay) },
  };
}

/** Empty or non-numeric text → NaN ("5.0" reads as 5); absurd values are the featurizer's job. */
function cellNumber(cell: string): number {
  return cell === '' ? NaN : Number(cell);
}
