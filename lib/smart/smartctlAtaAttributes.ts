/** `ata_smart_attributes.table[]` of smartctl JSON → `AtaAttribute` by id. */
import { isJsonObject, type JsonObject } from '../util/json.js';
import { describe, type JsonFieldReader, type PathToken } from './jsonFields.js';
import { sortedById } from './ataAttributeMap.js';
import { decodeAtaRaw } from './rawDecode.js';
import type { AtaAttribute, AtaAttributeFlags, Vendor } from './types.js';

const BYTE = { min: 0, max: 255 };
const ATTRIBUTE_ID = { min: 1, max: 255 };
const FLAG_MASK = { min: 0, max: 0xffff };
// smartctl prints at most 64-bit raw values (48 bits on the wire, wider for some decoded formats).
const MAX_RAW = (1n << 64n) - 1n;

/**
 * `previous`: the attributes of the device's sample before this one (same vendor), whose objects are reused for
 * the attributes that did not change: most of a drive's attributes are the same day after day, and a history
 * then holds each value once instead of once a day.
 */
export function readAtaAttributes(
  r: JsonFieldReader,
  doc: JsonObject,
  vendor: Vendor,
  previous?: ReadonlyMap<number, AtaAttribute>,
): Map<number, AtaAttribute> | undefined {
  const section = r.object(doc, 'ata_smart_attributes', []);
  const table = r.array(section, 'table', ['ata_smart_attributes']);
  if (!table) return undefined;
  const out = new Map<number, AtaAttribute>();
  // tracked here rather than checked after: iterating the map's keys allocated in the cold code of a CLI run
  let inIdOrder = true;
  let lastId = 0;
  // One set of paths per table, the index updated per entry: a warning copies its path into a pointer string at
  // once, and fresh arrays per attribute were a fifth of what reading a real smartctl document allocated.
  const paths: AttributePaths = {
    entry: ['ata_smart_attributes', 'table', 0],
    raw: ['ata_smart_attributes', 'table', 0, 'raw'],
    flags: ['ata_smart_attributes', 'table', 0, 'flags'],
  };
  for (let i = 0; i < table.length; i++) {
    const entry = table[i]!;
    paths.entry[2] = paths.raw[2] = paths.flags[2] = i;
    const path = paths.entry;
    if (!isJsonObject(entry)) {
      r.warn(path, `expected an attribute object, found ${describe(entry)}`);
      continue;
    }
    const id = r.int(entry, 'id', path, ATTRIBUTE_ID);
    if (id === undefined) {
      if (entry['id'] === undefined) r.warn(path, 'attribute without an id');
      continue;
    }
    if (out.has(id)) {
      r.warn(path, `duplicate attribute ${id}; the first one is kept`);
      continue;
    }
    out.set(id, readAttribute(r, entry, paths, id, vendor, previous?.get(id)));
    if (id < lastId) inIdOrder = false;
    lastId = id;
  }
  return out.size === 0 ? undefined : inIdOrder ? out : sortedById(out);
}

interface AttributePaths {
  entry: PathToken[];
  raw: PathToken[];
  flags: PathToken[];
}

function readAttribute(r: JsonFieldReader, entry: JsonObject, paths: AttributePaths, id: number, vendor: Vendor, previous: AtaAttribute | undefined): AtaAttribute {
  const path = paths.entry;
  const name = r.string(entry, 'name', path);
  // value/worst/thresh are optional: smartctl omits them when the drive has no normalized value.
  const value = r.int(entry, 'value', path, BYTE);
  const worst = r.int(entry, 'worst', path, BYTE);
  const thresh = r.int(entry, 'thresh', path, BYTE);
  const rawObj = r.object(entry, 'raw', path);
  const raw = r.exact(rawObj, 'value', paths.raw, MAX_RAW);
  const rawString = r.string(rawObj, 'string', paths.raw);
  const decoded = decodeAtaRaw(id, raw, { vendor, name, rawString });
  const whenFailedText = r.string(entry, 'when_failed', path);
  const whenFailed = whenFailedText === 'now' || whenFailedText === 'past' ? whenFailedText : undefined;
  if (whenFailed === undefined && whenFailedText !== undefined && whenFailedText !== '-') {
    r.warn([...path, 'when_failed'], `unknown when_failed ${JSON.stringify(whenFailedText)}`);
  }
  const flags = readFlags(r, entry, paths);
  if (
    previous !== undefined &&
    previous.raw === raw &&
    previous.value === value &&
    previous.rawString === rawString &&
    previous.decoded === decoded &&
    previous.worst === worst &&
    previous.thresh === thresh &&
    previous.name === name &&
    previous.whenFailed === whenFailed &&
    // flags are derived from their bit mask (flagsOf)
    previous.flags?.value === flags?.value
  ) {
    return previous;
  }
  // One object of one shape, absent fields undefined: built field by field, each attribute grew its
  // property store several times (a third of what the daemon allocated per request).
  return { id, name, value, worst, thresh, raw, rawString, decoded, whenFailed, flags };
}

function readFlags(r: JsonFieldReader, entry: JsonObject, paths: AttributePaths): AtaAttributeFlags | undefined {
  const obj = r.object(entry, 'flags', paths.entry);
  if (obj === undefined) return undefined;
  const value = r.int(obj, 'value', paths.flags, FLAG_MASK);
  if (value === undefined) return undefined;
  if (value > MAX_SHARED_FLAGS) return flagsOf(value);
  let shared = SHARED_FLAGS[value];
  if (shared === undefined) SHARED_FLAGS[value] = shared = Object.freeze(flagsOf(value));
  return shared;
}

/**
 * A drive's attributes use a handful of flag sets (smartctl prints 0x0000..0x003f), so each set is one frozen object
 * shared by every attribute that has it, rather than an object per attribute. Larger masks get their own.
 */
const MAX_SHARED_FLAGS = 0xff;
const SHARED_FLAGS: (AtaAttributeFlags | undefined)[] = new Array(MAX_SHARED_FLAGS + 1);

function flagsOf(value: number): AtaAttributeFlags {
  // The bit mask is the source of truth; smartctl's booleans (prefailure, updated_online, …) are derived from it.
  return {
    value,
    prefailure: (value & 0x01) !== 0,
    updatedOnline: (value & 0x02) !== 0,
    performance: (value & 0x04) !== 0,
    errorRate: (value & 0x08) !== 0,
    eventCount: (value & 0x10) !== 0,
    autoKeep: (value & 0x20) !== 0,
  };
}
