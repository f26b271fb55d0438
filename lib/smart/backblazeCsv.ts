/**
 * Streaming reader for Backblaze Drive Stats CSV files (plain or .gz), one `SmartSample` per row.
 *
 * Header-driven: columns differ per file (and Backblaze's schema changed over the years), so every
 * column is looked up by name: `date`, `serial_number`, `model`, `capacity_bytes`, `failure`,
 * `smart_<id>_normalized`, `smart_<id>_raw`; anything else (pod, vault, datacenter…) is ignored.
 * Memory is bounded by one line (csvLines.ts: at most 1 MiB). A garbled row (wrong field count, bad date, non-numeric SMART cell,
 * missing serial) is skipped and reported through `onBadRow` with its 1-based line number, or
 * thrown as a `SmartParseError` when `strict` is set.
 */
import { inIdOrder } from './ataAttributeMap.js';
import { readCsvLines } from './csvLines.js';
import { SmartParseError } from './errors.js';
import type { AtaAttribute, SmartSample, Vendor } from './types.js';
import { inferVendor } from './vendor.js';
import { parseBackblazeHeader, parseBackblazeDate, splitCsvLine, type BackblazeHeader } from './backblazeHeader.js';

export interface BackblazeBadRow {
  file: string;
  line: number;
  message: string;
}

export interface BackblazeReadOptions {
  /** throw on the first garbled row instead of skipping it */
  strict?: boolean;
  /** called for each skipped row */
  onBadRow?: (bad: BackblazeBadRow) => void;
}

/** Reads one Backblaze file; yields one sample per well-formed row, in file order. */
export async function* streamBackblazeRows(file: string, options: BackblazeReadOptions = {}): AsyncGenerator<SmartSample> {
  // Opened at the first read, not at the call: an unread generator leaves no stream without an error listener.
  yield* readBackblazeLines(readCsvLines(file), file, options);
}

/** Reads Backblaze rows from lines already split (a file's, or text held in memory); `file` names them in errors. */
export async function* readBackblazeLines(
  lines: AsyncIterable<string> | Iterable<string>,
  file: string,
  options: BackblazeReadOptions = {},
): AsyncGenerator<SmartSample> {
  let header: BackblazeHeader | undefined;
  let lineNo = 0;
  const vendorCache = new Map<string, Vendor>();
  try {
    // A missing or unreadable file surfaces here, as the stream's first error.
    for await (const line of lines) {
      lineNo++;
      if (header === undefined) {
        header = parseBackblazeHeader(line, file);
        continue;
      }
      if (line.length === 0) continue;
      const result = rowToSample(line, header, file, lineNo, vendorCache);
      if (typeof result === 'string') {
        if (options.strict) throw new SmartParseError('FORMAT', result, { file, line: lineNo });
        options.onBadRow?.({ file, line: lineNo, message: result });
        continue;
      }
      yield result;
    }
  } catch (err) {
    throw backblazeReadError(err, file, lineNo);
  }
  if (header === undefined) throw new SmartParseError('EMPTY', 'no header line', { file });
}

/** An error met while reading a Backblaze file → SmartParseError (a cut-off .gz is TRUNCATED). */
export function backblazeReadError(err: unknown, file: string, lineNo: number): SmartParseError {
  if (err instanceof SmartParseError) return err;
  const message = (err as Error).message;
  const code = /unexpected end|incorrect header|invalid/i.test(message) ? 'TRUNCATED' : 'IO';
  // lineNo 0: failed before the first line (not opened, not gzip), so there is no line to name.
  return new SmartParseError(code, message, lineNo > 0 ? { file, line: lineNo } : { file });
}

function rowToSample(
  line: string,
  header: BackblazeHeader,
  file: string,
  lineNo: number,
  vendorCache: Map<string, Vendor>,
): SmartSample | string {
  const cells = splitCsvLine(line);
  if (cells.length !== header.width) return `expected ${header.width} fields, found ${cells.length}`;
  const time = parseBackblazeDate(cells[header.date]!);
  if (time === undefined) return `bad date "${cells[header.date]}"`;
  const serial = cells[header.serial]!.trim();
  if (serial === '') return 'empty serial_number';
  const model = header.model >= 0 ? cells[header.model]!.trim() : '';
  let failure = false;
  if (header.failure >= 0) {
    const f = cells[header.failure]!.trim();
    if (f === '1') failure = true;
    else if (f !== '0' && f !== '') return `bad failure value "${f}"`;
  }
  let vendor = vendorCache.get(model);
  if (vendor === undefined) {
    vendor = inferVendor(model || undefined);
    vendorCache.set(model, vendor);
  }
  const sample: SmartSample = {
    device: { serial, vendor, protocol: 'ata' },
    time,
    failure,
    source: { file, line: lineNo, format: 'backblaze' },
  };
  if (model) sample.device.model = model;
  if (header.capacity >= 0) {
    const c = cells[header.capacity]!.trim();
    if (c !== '') {
      const cap = Number(c);
      // Backblaze writes -1 for "unknown"; only positive sizes are sizes.
      if (Number.isFinite(cap) && cap > 0) sample.device.capacityBytes = cap;
    }
  }
  const ata = new Map<number, AtaAttribute>();
  let any = false;
  for (const col of header.smart) {
    const cell = cells[col.index]!;
    if (cell === '') continue;
    const v = parseCellNumber(cell);
    if (v === undefined) return `non-numeric or non-finite ${header.names[col.index]} "${cell}"`;
    let attr = ata.get(col.id);
    if (attr === undefined) {
      attr = { id: col.id };
      ata.set(col.id, attr);
    }
    if (col.kind === 'raw') attr.raw = v;
    else {
      // A normalized value is a small number: a 400-digit integer (exact as bigint) becomes Infinity here.
      const n = Number(v);
      if (!Number.isFinite(n)) return `non-numeric or non-finite ${header.names[col.index]} "${cell}"`;
      attr.value = n;
    }
    any = true;
  }
  if (any) {
    sample.ata = inIdOrder(ata);
    const poh = ata.get(9)?.raw;
    if (typeof poh === 'number') sample.powerOnHours = poh;
  }
  return sample;
}

/** Integers (with an optional trailing ".0", as spreadsheet exports write them) and finite decimals. */
function parseCellNumber(cell: string): number | bigint | undefined {
  const s = cell.trim();
  if (/^-?\d+$/.test(s)) {
    const n = Number(s);
    return Number.isSafeInteger(n) ? n : BigInt(s);
  }
  if (/^-?\d+\.0+$/.test(s)) {
    const intPart = s.slice(0, s.indexOf('.'));
    const n = Number(intPart);
    return Number.isSafeInteger(n) ? n : BigInt(intPart);
  }
  if (/^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s)) {
    // An exponent can overflow ("1e400"): Infinity is no reading, and would poison every feature built on it.
    const n = Number(s);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}
