/**
 * Ceph device-health data → `DeviceHistory`.
 *
 *  - devicehealth dump (`ceph device get-health-metrics <devid>`): `{ "YYYYmmdd-HHMMSS": <smartctl
 *    json> | {"error": …} }`, keys in UTC. Ceph's own diskprediction_local test sample uses
 *    `YYYY-mm-dd` keys (midnight UTC). A key that is not a timestamp makes the dump malformed
 *    (SmartParseError FORMAT); an entry that carries no SMART data (an `error` entry, a smartctl
 *    failure, a non-object) goes to `history.errors` and the rest is still read.
 *  - dashboard map: `{ <devid>: <smartctl json> }`, one current sample per device, timed by its
 *    `local_time`. An entry without data becomes a history with no samples and one error whose
 *    `time` is NaN when the entry had no readable time.
 */
import { escapeJsonPointer, isJsonObject, type JsonValue } from '../util/json.js';
import { utcTimestamp } from '../util/utcTime.js';
import { SmartParseError } from './errors.js';
import { describe } from './jsonFields.js';
import { readSmartctlJson } from './readSmartctlJson.js';
import type { DeviceHistory, HistoryError, SmartSample } from './types.js';

export interface CephReadLocation {
  file?: string;
  /** JSON pointer of the map inside its file; '' (default) for a whole file */
  pointer?: string;
  /** the device id the dump belongs to (a dump does not name its device) */
  devid?: string;
  /** build each sample's Ceph day dict (default true): see SmartctlReadContext */
  cephDayDict?: boolean;
}

const COMPACT_KEY = /^(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})$/;
const DATE_KEY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A devicehealth key → ms since the epoch (UTC), or undefined when it is not a valid timestamp. */
export function parseCephTimestampKey(key: string): number | undefined {
  const m = COMPACT_KEY.exec(key) ?? DATE_KEY.exec(key);
  if (!m) return undefined;
  // Validated: 2018-02-30 and 25:00:00 are rejected, not rolled over.
  return utcTimestamp(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0));
}

/** ms since the epoch → `YYYYmmdd-HHMMSS` (UTC), the key devicehealth writes. */
export function formatCephTimestampKey(timeMs: number): string {
  const iso = new Date(timeMs).toISOString(); // 2024-01-02T03:04:05.000Z
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}-${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}`;
}

export function isCephTimestampKey(key: string): boolean {
  return parseCephTimestampKey(key) !== undefined;
}

export function readCephDeviceHealthMap(value: JsonValue, where: CephReadLocation = {}): DeviceHistory {
  const base = where.pointer ?? '';
  const loc = { ...(where.file !== undefined && { file: where.file }), pointer: base };
  if (!isJsonObject(value)) throw new SmartParseError('TYPE', `expected a Ceph devicehealth object, found ${describe(value)}`, loc);
  const samples: SmartSample[] = [];
  const errors: HistoryError[] = [];
  for (const key of Object.keys(value)) {
    const entry = value[key]!;
    const pointer = `${base}/${escapeJsonPointer(key)}`;
    const time = parseCephTimestampKey(key);
    if (time === undefined) {
      throw new SmartParseError('FORMAT', `key ${JSON.stringify(key)} is not a devicehealth timestamp (YYYYmmdd-HHMMSS or YYYY-mm-dd)`, {
        ...loc,
        pointer,
      });
    }
    try {
      const previous = samples[samples.length - 1];
      samples.push(readSmartctlJson(entry, { file: where.file, pointer, format: 'ceph', time, cephDayDict: where.cephDayDict, previous }));
    } catch (err) {
      if (!(err instanceof SmartParseError)) throw err;
      errors.push({ time, key, message: entryErrorMessage(entry, err) });
    }
  }
  // a dump's keys are nearly always in time order already: Array.prototype.sort would copy the array even then
  if (!inTimeOrder(samples)) samples.sort((a, b) => a.time - b.time);
  if (!inTimeOrder(errors)) errors.sort((a, b) => a.time - b.time);
  const history: DeviceHistory = { samples, errors };
  if (where.devid !== undefined) history.devid = where.devid;
  return history;
}

function inTimeOrder(list: readonly { time: number }[]): boolean {
  for (let i = 1; i < list.length; i++) if (!(list[i - 1]!.time <= list[i]!.time)) return false;
  return true;
}

export function readCephDashboardMap(value: JsonValue, where: CephReadLocation = {}): Map<string, DeviceHistory> {
  const base = where.pointer ?? '';
  const loc = { ...(where.file !== undefined && { file: where.file }), pointer: base };
  if (!isJsonObject(value)) throw new SmartParseError('TYPE', `expected a Ceph dashboard object, found ${describe(value)}`, loc);
  const out = new Map<string, DeviceHistory>();
  for (const [devid, entry] of Object.entries(value)) {
    const pointer = `${base}/${escapeJsonPointer(devid)}`;
    try {
      const sample = readSmartctlJson(entry, { ...loc, pointer, format: 'ceph', cephDayDict: where.cephDayDict });
      out.set(devid, { devid, samples: [sample], errors: [] });
    } catch (err) {
      if (!(err instanceof SmartParseError)) throw err;
      out.set(devid, { devid, samples: [], errors: [{ time: entryTime(entry), key: devid, message: entryErrorMessage(entry, err) }] });
    }
  }
  return out;
}

function entryErrorMessage(entry: JsonValue, err: SmartParseError): string {
  if (isJsonObject(entry) && typeof entry['error'] === 'string') return entry['error'];
  return err.message;
}

function entryTime(entry: JsonValue): number {
  const local = isJsonObject(entry) ? entry['local_time'] : undefined;
  const t = isJsonObject(local) ? local['time_t'] : undefined;
  return typeof t === 'number' && Number.isSafeInteger(t) ? t * 1000 : Number.NaN;
}
