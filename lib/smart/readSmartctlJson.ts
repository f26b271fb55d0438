/**
 * One `smartctl --json` document (smartctl 7.0–7.5, also the reduced documents Ceph stores) →
 * one `SmartSample`.
 *
 * What is an error and what is a warning:
 *  - SmartParseError: the document is not an object; it is a Ceph `{"error": …}` entry; smartctl's
 *    exit status has bit 0 (command line) or bit 1 (device open failed / standby) set — those mean
 *    "no data", the other bits only report findings; it carries no device data at all; or it has
 *    no timestamp (no `local_time.time_t` and none given by the caller).
 *  - Any single field of the wrong type or out of range is left out of the sample and listed in
 *    `sample.warnings` with its JSON pointer.
 */
import { isJsonObject, parseJsonExact, JsonSyntaxError, type JsonObject, type JsonValue } from '../util/json.js';
import { extractCephDayDict } from './cephDayDict.js';
import { SmartParseError } from './errors.js';
import { describe, JsonFieldReader } from './jsonFields.js';
import { readAtaAttributes } from './smartctlAtaAttributes.js';
import { readNvmeHealth } from './smartctlNvmeHealth.js';
import { readScsiCounters, type SmartctlVersion } from './smartctlScsiCounters.js';
import { formatWwn } from './deviceId.js';
import { inferVendor } from './vendor.js';
import type { DeviceIdentity, Protocol, SampleSource, SmartSample } from './types.js';

export interface SmartctlReadContext {
  /** file the document came from (named in errors and in `sample.source`) */
  file?: string;
  /** JSON pointer of the document inside that file; '' (default) for a whole file */
  pointer?: string;
  format?: SampleSource['format'];
  /** authoritative sample time in ms (a Ceph dump key); otherwise `local_time.time_t` is used */
  time?: number;
  /** build `sample.ceph`, what Ceph's old models read (default true; a fifth of the reading time) */
  cephDayDict?: boolean;
  /**
   * the sample of the same device read just before (a dump's previous entry): its identity and attribute objects
   * are reused where nothing changed, so samples may share them (they are never changed after reading)
   */
  previous?: SmartSample;
}

// smartctl exit status bits 0 and 1: command line did not parse / device could not be opened.
export const NO_DATA_BITS = 0x03;
// 1990-01-01 .. 2100-01-01: outside this a clock or a field is wrong.
const MIN_TIME_S = 631_152_000;
const MAX_TIME_S = 4_102_444_800;
const MAX_POWER_ON_HOURS = 1_000_000; // 114 years
const TEMPERATURE = { min: -40, max: 150 };

const DEVICE_DATA_KEYS = [
  'model_name',
  'scsi_model_name',
  'product',
  'scsi_product',
  'serial_number',
  'smart_status',
  'ata_smart_attributes',
  'nvme_smart_health_information_log',
  'scsi_error_counter_log',
  'scsi_grown_defect_list',
  'power_on_time',
  'temperature',
  'scsi_temperature',
];

export function readSmartctlJsonText(text: string, file?: string): SmartSample {
  return readSmartctlJson(parseSmartJsonText(text, file), file !== undefined ? { file } : {});
}

/** Text → exact JSON, with JSON syntax errors turned into SmartParseError. */
export function parseSmartJsonText(text: string, file?: string): JsonValue {
  const where = file !== undefined ? { file } : {};
  if (text.trim() === '') throw new SmartParseError('EMPTY', 'empty file', where);
  try {
    return parseJsonExact(text);
  } catch (err) {
    if (err instanceof JsonSyntaxError) {
      const code = err.message.startsWith('truncated') ? 'TRUNCATED' : 'SYNTAX';
      throw new SmartParseError(code, err.message, { ...where, pointer: err.pointer });
    }
    throw err;
  }
}

export function readSmartctlJson(value: JsonValue, source: SmartctlReadContext = {}): SmartSample {
  const base = source.pointer ?? '';
  const where = { ...(source.file !== undefined && { file: source.file }), pointer: base };
  if (!isJsonObject(value)) throw new SmartParseError('TYPE', `expected a smartctl JSON object, found ${describe(value)}`, where);
  const r = new JsonFieldReader(base);
  const doc = value;

  const cephError = doc['error'];
  if (cephError !== undefined && !hasDeviceData(doc)) {
    throw new SmartParseError('MISSING', `no SMART data: ${typeof cephError === 'string' ? cephError : describe(cephError)}`, {
      ...where,
      pointer: base + '/error',
    });
  }
  const smartctl = r.object(doc, 'smartctl', []);
  const exitStatus = r.int(smartctl, 'exit_status', ['smartctl'], { min: 0, max: 255 });
  const messages = readMessages(r, smartctl);
  if (exitStatus !== undefined && (exitStatus & NO_DATA_BITS) !== 0) {
    const why = messages.length ? messages.join('; ') : 'no message';
    throw new SmartParseError('MISSING', `smartctl read no data (exit status ${exitStatus}): ${why}`, {
      ...where,
      pointer: base + '/smartctl/exit_status',
    });
  }
  if (!hasDeviceData(doc)) throw new SmartParseError('MISSING', 'no device data (no identity, health or SMART sections)', where);

  const protocol = readProtocol(r, doc);
  const previous = source.previous;
  const identity = readIdentity(r, doc, protocol);
  const device = previous !== undefined && sameIdentity(previous.device, identity) ? previous.device : identity;
  const sample: SmartSample = { device, time: readTime(r, doc, source, where) };
  const passed = r.bool(r.object(doc, 'smart_status', []), 'passed', ['smart_status']);
  if (passed !== undefined) sample.healthPassed = passed;
  noteSmartSupport(r, doc);

  const ata = readAtaAttributes(r, doc, device.vendor, previous?.device.vendor === device.vendor ? previous.ata : undefined);
  if (ata) sample.ata = ata;
  const nvme = readNvmeHealth(r, doc);
  if (nvme) sample.nvme = nvme;
  const scsi = readScsiCounters(r, doc, readVersion(smartctl));
  if (scsi) sample.scsi = scsi;

  const powerOnHours =
    r.int(r.object(doc, 'power_on_time', []), 'hours', ['power_on_time'], { min: 0, max: MAX_POWER_ON_HOURS }) ??
    boundedNumber(nvme?.powerOnHours, MAX_POWER_ON_HOURS) ??
    powerOnHoursFromAttribute(ata?.get(9));
  if (powerOnHours !== undefined) sample.powerOnHours = powerOnHours;
  const temperature = readTemperature(r, doc) ?? nvme?.temperatureC ?? ata?.get(194)?.decoded ?? ata?.get(190)?.decoded;
  if (temperature !== undefined) sample.temperatureC = temperature;

  if (exitStatus !== undefined) sample.smartctlExitStatus = exitStatus;
  if (messages.length) sample.messages = messages;
  if (source.cephDayDict !== false) {
    try {
      sample.ceph = extractCephDayDict(doc);
    } catch (err) {
      // cephDayDict stringifies odd values with JSON.stringify, which throws on bigint inside objects.
      r.warn([], `Ceph day dict not extracted: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  sample.source = { format: source.format ?? 'smartctl', ...where };
  if (r.warnings.length) sample.warnings = r.warnings;
  return sample;
}

function hasDeviceData(doc: JsonObject): boolean {
  return DEVICE_DATA_KEYS.some((k) => doc[k] !== undefined && doc[k] !== null);
}

function readMessages(r: JsonFieldReader, smartctl: JsonObject | undefined): string[] {
  const list = r.array(smartctl, 'messages', ['smartctl']) ?? [];
  const out: string[] = [];
  list.forEach((m, i) => {
    const text = isJsonObject(m) ? r.string(m, 'string', ['smartctl', 'messages', i]) : undefined;
    if (text !== undefined) out.push(text);
  });
  return out;
}

function readProtocol(r: JsonFieldReader, doc: JsonObject): Protocol | undefined {
  const declared = r.string(r.object(doc, 'device', []), 'protocol', ['device'])?.toLowerCase();
  if (declared === 'ata' || declared === 'nvme' || declared === 'scsi') return declared;
  if (declared !== undefined) r.warn(['device', 'protocol'], `unknown protocol ${JSON.stringify(declared)}`);
  // Ceph's reduced documents have no `device`: the sections present say which protocol it is.
  if (doc['ata_smart_attributes'] !== undefined) return 'ata';
  if (doc['nvme_smart_health_information_log'] !== undefined) return 'nvme';
  if (doc['scsi_error_counter_log'] !== undefined || doc['scsi_grown_defect_list'] !== undefined) return 'scsi';
  return undefined;
}

function readIdentity(r: JsonFieldReader, doc: JsonObject, protocol: Protocol | undefined): DeviceIdentity {
  // smartctl 7.3 renamed the SCSI identity fields: vendor/product/model_name/revision → scsi_*.
  const scsiVendor = r.string(doc, 'scsi_vendor', []) ?? r.string(doc, 'vendor', []);
  const scsiProduct = r.string(doc, 'scsi_product', []) ?? r.string(doc, 'product', []);
  const model =
    r.string(doc, 'model_name', []) ??
    r.string(doc, 'scsi_model_name', []) ??
    (scsiProduct !== undefined ? [scsiVendor, scsiProduct].filter(Boolean).join(' ') : undefined);
  const family = r.string(doc, 'model_family', []);
  const device: DeviceIdentity = { vendor: inferVendor(model, scsiVendor, family) };
  if (model !== undefined) device.model = model;
  const serial = r.string(doc, 'serial_number', []);
  if (serial !== undefined) device.serial = serial;
  const wwn = readWwn(r, doc);
  if (wwn !== undefined) device.wwn = wwn;
  const firmware = r.string(doc, 'firmware_version', []) ?? r.string(doc, 'scsi_revision', []) ?? r.string(doc, 'revision', []);
  if (firmware !== undefined) device.firmware = firmware;
  if (protocol) device.protocol = protocol;
  const capacity =
    r.int(r.object(doc, 'user_capacity', []), 'bytes', ['user_capacity'], { min: 1, max: Number.MAX_SAFE_INTEGER }) ??
    r.int(doc, 'nvme_total_capacity', [], { min: 1, max: Number.MAX_SAFE_INTEGER });
  if (capacity !== undefined) device.capacityBytes = capacity;
  const rotation = r.int(doc, 'rotation_rate', [], { min: 0, max: 30_000 });
  if (rotation !== undefined) device.rotationRate = rotation;
  if (rotation !== undefined || protocol === 'nvme') device.ssd = protocol === 'nvme' || rotation === 0;
  return device;
}

const IDENTITY_FIELDS = ['vendor', 'model', 'serial', 'wwn', 'firmware', 'protocol', 'capacityBytes', 'rotationRate', 'ssd'] as const satisfies readonly (keyof DeviceIdentity)[];

// every field of DeviceIdentity, or this fails to compile: a field left out would make two identities "the same"
const identityFieldsComplete: [Exclude<keyof DeviceIdentity, (typeof IDENTITY_FIELDS)[number]>] extends [never] ? true : never = true;
void identityFieldsComplete;

function sameIdentity(a: DeviceIdentity, b: DeviceIdentity): boolean {
  for (const f of IDENTITY_FIELDS) if (a[f] !== b[f]) return false;
  return true;
}

function readWwn(r: JsonFieldReader, doc: JsonObject): string | undefined {
  const wwn = r.object(doc, 'wwn', []);
  if (wwn === undefined) return undefined;
  const naa = r.int(wwn, 'naa', ['wwn'], { min: 0, max: 0xf });
  const oui = r.int(wwn, 'oui', ['wwn'], { min: 0, max: 0xff_ffff });
  const id = r.int(wwn, 'id', ['wwn'], { min: 0, max: 0xf_ffff_ffff });
  return naa !== undefined && oui !== undefined && id !== undefined ? formatWwn(naa, oui, id) : undefined;
}

function readTime(r: JsonFieldReader, doc: JsonObject, source: SmartctlReadContext, where: { file?: string; pointer: string }): number {
  if (source.time !== undefined) return source.time;
  const seconds = r.int(r.object(doc, 'local_time', []), 'time_t', ['local_time'], { min: MIN_TIME_S, max: MAX_TIME_S });
  if (seconds === undefined) {
    throw new SmartParseError('MISSING', 'no usable local_time.time_t and no timestamp given for this sample', {
      ...where,
      pointer: where.pointer + '/local_time/time_t',
    });
  }
  return seconds * 1000;
}

function readVersion(smartctl: JsonObject | undefined): SmartctlVersion | undefined {
  const v = smartctl?.['version'];
  if (!Array.isArray(v) || typeof v[0] !== 'number' || typeof v[1] !== 'number') return undefined;
  return [v[0], v[1]];
}

function readTemperature(r: JsonFieldReader, doc: JsonObject): number | undefined {
  // smartctl 7.3 wrote the SCSI temperature as `scsi_temperature` (renamed back in 7.4).
  const section = doc['temperature'] !== undefined ? 'temperature' : 'scsi_temperature';
  const t = r.int(r.object(doc, section, []), 'current', [section], TEMPERATURE);
  // smartctl prints 0 when the device reports no temperature (e.g. RAID volumes).
  if (t === 0) {
    r.warn([section, 'current'], '0 °C read as "not reported"');
    return undefined;
  }
  return t;
}

function noteSmartSupport(r: JsonFieldReader, doc: JsonObject): void {
  // smartctl 7.0–7.5 print `smart_support` as an object {available, enabled}; some tools store a bool.
  const support = doc['smart_support'];
  let available: boolean | undefined;
  let enabled: boolean | undefined;
  if (typeof support === 'boolean') available = enabled = support;
  else if (isJsonObject(support)) {
    available = r.bool(support, 'available', ['smart_support']);
    enabled = r.bool(support, 'enabled', ['smart_support']);
  } else if (support !== undefined && support !== null) r.warn(['smart_support'], `expected a bool or an object, found ${describe(support)}`);
  if (available === false) r.warn(['smart_support'], 'SMART is not available on this device');
  else if (enabled === false) r.warn(['smart_support'], 'SMART is disabled: attributes may be stale or missing');
}

function boundedNumber(v: number | bigint | undefined, max: number): number | undefined {
  return typeof v === 'number' && v <= max ? v : undefined;
}

function powerOnHoursFromAttribute(attr: { decoded?: number } | undefined): number | undefined {
  const h = attr?.decoded;
  return h !== undefined && h <= MAX_POWER_ON_HOURS ? h : undefined;
}
