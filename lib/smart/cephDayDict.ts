/**
 * Ceph-compatible extraction: the "day dict" Ceph's diskprediction_local builds from one
 * smartctl JSON sample. Parity with Ceph's models depends on reproducing it exactly, quirks
 * included (see ../shared/data/golden/README.md, "DPL: from devicehealth samples to day dicts").
 */
import { isJsonObject, type JsonObject, type JsonValue } from '../util/json.js';
import type { SmartSample } from './types.js';

/** `smart_<id>_raw`, `smart_<id>_normalized`, `user_capacity` (numbers, exact), `model_name`, `vendor`. */
export type CephDayDict = Record<string, number | bigint | string>;

const ALL_DIGITS = /^[0-9]+$/;

// Python's str.isdigit() on str(x): also true for Unicode digits, which smartctl never prints.
function pythonStr(v: JsonValue): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return Number.isInteger(v) ? v.toString() : String(v);
  if (v === true) return 'True';
  if (v === false) return 'False';
  return v === null ? 'None' : JSON.stringify(v);
}

function exactInt(digits: string): number | bigint {
  const n = Number(digits);
  return Number.isSafeInteger(n) ? n : BigInt(digits);
}

function numericOrZero(v: JsonValue | undefined): number | bigint {
  return typeof v === 'number' || typeof v === 'bigint' ? v : 0;
}

interface AttributeKeys {
  raw: string;
  normalized: string;
}

/** The keys of ids 0–255 made once: each dump repeats them day after day (~40 K keys for the golden set). */
const KEYS_BY_ID: readonly AttributeKeys[] = Array.from({ length: 256 }, (_, id) => attributeKeys(id));

function keysOf(id: number | string): AttributeKeys {
  // an integral number prints as its index does (−0 too: `${-0}` is '0')
  return typeof id === 'number' && Number.isInteger(id) && id >= 0 && id < 256 ? KEYS_BY_ID[id]! : attributeKeys(id);
}

function attributeKeys(id: number | string): AttributeKeys {
  return { raw: `smart_${id}_raw`, normalized: `smart_${id}_normalized` };
}

/** Ceph's extraction of one smartctl JSON object; `{}` when it carries nothing Ceph reads. */
export function extractCephDayDict(sample: JsonValue): CephDayDict {
  const out: CephDayDict = {};
  if (!isJsonObject(sample)) return out;
  const attrs = sample['ata_smart_attributes'];
  const table = isJsonObject(attrs) ? attrs['table'] : undefined;
  if (Array.isArray(table)) {
    for (const entry of table) {
      if (!isJsonObject(entry)) continue;
      const id = entry['id'];
      if (typeof id !== 'number' && typeof id !== 'string') continue;
      const keys = keysOf(id);
      const raw = entry['raw'];
      if (isJsonObject(raw)) {
        const rawString = raw['string'];
        if (rawString !== undefined && rawString !== null) {
          const text = pythonStr(rawString);
          // Python's text.split(' ')[0]
          const space = text.indexOf(' ');
          out[keys.raw] = ALL_DIGITS.test(text)
            ? exactInt(text)
            : space >= 0 && ALL_DIGITS.test(text.slice(0, space))
              ? exactInt(text.slice(0, space))
              : numericOrZero(raw['value']);
        }
      }
      const value = entry['value'];
      if (typeof value === 'number' || typeof value === 'bigint') out[keys.normalized] = value;
    }
  }
  const powerOn = sample['power_on_time'];
  if (isJsonObject(powerOn)) {
    const hours = powerOn['hours'];
    if (typeof hours === 'number') out['smart_9_raw'] = Math.trunc(hours);
    else if (typeof hours === 'bigint') out['smart_9_raw'] = hours;
  }
  const capacity = sample['user_capacity'];
  if (isJsonObject(capacity)) {
    const bytes = capacity['bytes'];
    if (typeof bytes === 'number' || typeof bytes === 'bigint') out['user_capacity'] = bytes;
  }
  copyString(sample, 'model_name', out);
  copyString(sample, 'vendor', out);
  return out;
}

function copyString(sample: JsonObject, key: string, out: CephDayDict): void {
  const v = sample[key];
  if (typeof v === 'string') out[key] = v;
}

/**
 * The day dict for a sample that did not come from smartctl JSON (Backblaze rows), with the keys
 * Ceph's extraction produces: `smart_<id>_raw`, `smart_<id>_normalized`, `user_capacity`, `model_name`.
 */
export function cephDayDictFromSample(sample: SmartSample): CephDayDict {
  const day: CephDayDict = {};
  for (const attr of sample.ata?.values() ?? []) {
    if (attr.raw !== undefined) day[`smart_${attr.id}_raw`] = attr.raw;
    if (attr.value !== undefined) day[`smart_${attr.id}_normalized`] = attr.value;
  }
  if (Object.keys(day).length === 0) return day; // no SMART data: Ceph skips the day
  if (sample.device.capacityBytes !== undefined) day['user_capacity'] = sample.device.capacityBytes;
  if (sample.device.model !== undefined) day['model_name'] = sample.device.model;
  return day;
}
