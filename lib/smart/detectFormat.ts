/**
 * Which reader a SMART file needs. By name: `.csv` / `.csv.gz` → Backblaze Drive Stats. By JSON
 * content: an object with smartctl's top-level keys → one smartctl document; an object with
 * devicehealth timestamp keys → a Ceph dump; an object whose values are smartctl documents
 * (or Ceph `error` entries, at least one a document) → a Ceph dashboard map.
 */
import { isJsonObject, type JsonValue } from '../util/json.js';
import { SmartParseError } from './errors.js';
import { describe } from './jsonFields.js';
import { isCephTimestampKey } from './readCephDeviceHealth.js';

export type SmartJsonFormat = 'smartctl' | 'ceph' | 'dashboard';
export type SmartFileFormat = SmartJsonFormat | 'backblaze';

const SMARTCTL_KEYS = [
  'smartctl',
  'json_format_version',
  'device',
  'model_name',
  'serial_number',
  'ata_smart_attributes',
  'nvme_smart_health_information_log',
  'scsi_error_counter_log',
  'scsi_model_name',
  'smart_status',
];

export function isBackblazeFileName(path: string): boolean {
  return /\.csv(\.gz)?$/i.test(path);
}

export function looksLikeSmartctlDocument(value: JsonValue | undefined): boolean {
  return isJsonObject(value) && SMARTCTL_KEYS.some((k) => value[k] !== undefined);
}

export function detectJsonFormat(value: JsonValue, file?: string): SmartJsonFormat {
  const where = { ...(file !== undefined && { file }), pointer: '' };
  if (!isJsonObject(value)) throw new SmartParseError('FORMAT', `not a SMART document: top level is ${describe(value)}`, where);
  if (looksLikeSmartctlDocument(value)) return 'smartctl';
  const keys = Object.keys(value);
  if (keys.length === 0) throw new SmartParseError('EMPTY', 'empty JSON object: no device data', where);
  // Dashboard device ids are never timestamps, so one timestamp key makes it a dump (whose reader
  // then names any key that is not one).
  if (keys.some(isCephTimestampKey)) return 'ceph';
  const entries = Object.values(value);
  if (entries.every(isJsonObject) && entries.some(looksLikeSmartctlDocument)) return 'dashboard';
  throw new SmartParseError('FORMAT', 'not smartctl JSON, a Ceph devicehealth dump or a Ceph dashboard map', where);
}
