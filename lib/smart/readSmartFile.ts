/**
 * A SMART file on disk → device histories, whatever its format. JSON files may be gzipped
 * (`.gz`). Unreadable input is a SmartParseError naming the file (IO, EMPTY, SYNTAX, TRUNCATED,
 * FORMAT, …); a Ceph entry without data is not an error of the file (see `history.errors`).
 */
import { FileReadError, readRegularFile, readRegularFileSync } from '../util/readRegularFile.js';
import type { BackblazeBadRow } from './backblazeCsv.js';
import { deviceIdOf } from './deviceId.js';
import { detectJsonFormat, isBackblazeFileName, looksLikeSmartctlDocument, type SmartFileFormat } from './detectFormat.js';
import { SmartParseError } from './errors.js';
import { readCephDashboardMap, readCephDeviceHealthMap } from './readCephDeviceHealth.js';
import { parseSmartJsonText, readSmartctlJson } from './readSmartctlJson.js';
import type { JsonValue } from '../util/json.js';
import type { DeviceHistory, SmartSample } from './types.js';

/** `ceph` accepts both Ceph shapes (dump or dashboard map) and picks by content. */
export type SmartFormatOption = 'auto' | 'smartctl' | 'ceph' | 'backblaze';

export interface SmartFileContents {
  format: SmartFileFormat;
  histories: DeviceHistory[];
  /** Backblaze rows that could not be read (skipped, with their line and reason) */
  skippedRows?: BackblazeBadRow[];
}

/** Whether `path` is read as Backblaze CSV under `format` (forced, or auto by file name). */
export function readsAsBackblaze(path: string, format: SmartFormatOption): boolean {
  return format === 'backblaze' || (format === 'auto' && isBackblazeFileName(path));
}

export interface SmartReadOptions {
  format?: SmartFormatOption;
  /** build each sample's Ceph day dict (default true; only Ceph's old models read it: Predictor.needsCephDayDict) */
  cephDayDict?: boolean;
  /**
   * Read JSON files with blocking calls on this thread (default false). For a command-line run with nothing
   * else to do: a file then costs 5 system calls instead of 5 round trips through libuv's thread pool, which
   * was a sixth of the CPU time of predicting 323 small files (the daemon never blocks its event loop).
   */
  blocking?: boolean;
  /**
   * Keep only this many of each device's newest samples from a Backblaze file (default: all). Memory is then
   * bounded per device, not per row: a file of a million rows of one drive is read in what its newest rows take.
   */
  newestSamplesPerDevice?: number;
}

export async function readSmartFile(path: string, options: SmartReadOptions = {}): Promise<SmartFileContents> {
  if (readsAsBackblaze(path, options.format ?? 'auto')) {
    const skippedRows: BackblazeBadRow[] = [];
    const histories = await readBackblazeHistories(path, (bad) => skippedRows.push(bad), options.newestSamplesPerDevice ?? Infinity);
    return { format: 'backblaze', histories, ...(skippedRows.length > 0 && { skippedRows }) };
  }
  return readSmartJsonText(await readJsonText(path, options.blocking === true), path, options);
}

/**
 * JSON text (a smartctl document or a Ceph devicehealth file) → device histories; `name` stands for
 * the file in errors and in `sample.source` (e.g. `<stdin>`). Backblaze CSV is read from files only.
 */
export function readSmartJsonText(text: string, name: string, options: SmartReadOptions = {}): SmartFileContents {
  const wanted = options.format ?? 'auto';
  if (wanted === 'backblaze') throw new SmartParseError('FORMAT', 'Backblaze CSV is read from files only', { file: name });
  const value = parseSmartJsonText(text, name);
  const where = { file: name, ...(options.cephDayDict !== undefined && { cephDayDict: options.cephDayDict }) };
  // A forced format skips content detection, so the reader's own error says what does not fit.
  if (wanted === 'smartctl') return { format: 'smartctl', histories: [{ samples: [readSmartctlJson(value, where)], errors: [] }] };
  const detected = wanted === 'ceph' && !looksLikeSmartctlDocument(value) ? detectCephShape(value) : detectJsonFormat(value, name);
  switch (detected) {
    case 'smartctl':
      if (wanted === 'ceph') throw new SmartParseError('FORMAT', 'this is a single smartctl document, not a Ceph devicehealth file', { file: name });
      return { format: detected, histories: [{ samples: [readSmartctlJson(value, where)], errors: [] }] };
    case 'ceph':
      return { format: detected, histories: [readCephDeviceHealthMap(value, where)] };
    case 'dashboard':
      return { format: detected, histories: [...readCephDashboardMap(value, where).values()] };
  }
}

/** A dashboard map when content says so; otherwise a dump, whose reader names any bad key. */
function detectCephShape(value: JsonValue): 'ceph' | 'dashboard' {
  try {
    return detectJsonFormat(value) === 'dashboard' ? 'dashboard' : 'ceph';
  } catch {
    return 'ceph';
  }
}

/**
 * A JSON dump is at most a few MB (180 days of 64 kB smartctl outputs: 12 MB); V8 cannot hold a string much over
 * 512 MiB at all. Larger input, or a FIFO or device (`parse /dev/zero`), is refused before it is read.
 */
const MAX_JSON_FILE_BYTES = 256 * 1024 * 1024;

async function readJsonText(path: string, blocking: boolean): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = blocking ? readRegularFileSync(path, MAX_JSON_FILE_BYTES) : await readRegularFile(path, MAX_JSON_FILE_BYTES);
  } catch (err) {
    throw new SmartParseError('IO', err instanceof FileReadError ? err.reason : `cannot read: ${String(err)}`, { file: path });
  }
  if (path.endsWith('.gz')) {
    const { gunzipSync } = await import('node:zlib');
    try {
      bytes = gunzipSync(bytes, { maxOutputLength: MAX_JSON_FILE_BYTES });
    } catch (err) {
      const tooLarge = (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError;
      throw new SmartParseError('FORMAT', tooLarge ? `decompresses to more than ${MAX_JSON_FILE_BYTES} bytes` : 'not valid gzip data', { file: path });
    }
  }
  return bytes.toString('utf8');
}

/** The newest `keep` samples, in time order. */
function newest(samples: SmartSample[], keep: number): SmartSample[] {
  samples.sort((a, b) => a.time - b.time);
  return samples.length > keep ? samples.slice(samples.length - keep) : samples;
}

/**
 * Backblaze rows grouped by serial number (Backblaze's own key for a drive) into time-ordered
 * histories, each named by the devid rule from its newest row.
 */
async function readBackblazeHistories(path: string, onBadRow: (bad: BackblazeBadRow) => void, keep: number): Promise<DeviceHistory[]> {
  // imported here: the CSV reader (zlib streams) is most of this module's start-up cost
  // and a JSON file never needs it
  const { streamBackblazeRows } = await import('./backblazeCsv.js');
  const bySerial = new Map<string, DeviceHistory>();
  for await (const sample of streamBackblazeRows(path, { onBadRow })) {
    const serial = sample.device.serial ?? '';
    let history = bySerial.get(serial);
    if (!history) {
      history = { samples: [], errors: [] };
      bySerial.set(serial, history);
    }
    history.samples.push(sample);
    // rows come in any order: trimmed to the newest when twice the limit, so at most that many are held
    if (history.samples.length >= 2 * keep) history.samples = newest(history.samples, keep);
  }
  for (const h of bySerial.values()) {
    h.samples = newest(h.samples, keep);
    const devid = deviceIdOf(h.samples[h.samples.length - 1]!.device);
    if (devid !== undefined) h.devid = devid;
  }
  return [...bySerial.values()];
}
