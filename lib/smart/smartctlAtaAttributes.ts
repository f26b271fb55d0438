/** `ata_smart_attributes.table[]` of smartctl JSON → `AtaAttribute` by id. */
import { isJsonObject, type JsonObject } from '../util/json.js';
import { describe, type JsonFieldReader, type PathToken } from './jsonFields.js';
import { decodeAtaRaw } from './rawDecode.js';
import type { AtaAttribute, AtaAttributeFlags, Vendor } from './types.js';

const BYTE = { min: 0, max: 255 };
const ATTRIBUTE_ID = { min: 1, max: 255 };
const FLAG_MASK = { min: 0, max: 0xffff };
// smartctl prints at most 64-bit raw values (48 bits on the wire, wider for some decoded formats).
const MAX_RAW = (1n << 64n) - 1n;

export function readAtaAttributes(
  r: JsonFieldReader,
  doc: JsonObject,
  vendor: Vendor,
): Record<number, AtaAttribute> | undefined {
  const section = r.object(doc, 'ata_smart_attributes', []);
  const table = r.array(section, 'table', ['ata_smart_attributes']);
  if (!table) return undefined;
  const out: Record<number, AtaAttribute> = {};
  let count = 0;
  for (let i = 0; i < table.length; i++) {
    const entry = table[i]!;
    const path: PathToken[] = ['ata_smart_attributes', 'table', i];
    if (!isJsonObject(entry)) {
      r.warn(path, `expected an attribute object, found ${describe(entry)}`);
      continue;
    }
    const id = r.int(entry, 'id', path, ATTRIBUTE_ID);
    if (id === undefined) {
      if (entry['id'] === undefined) r.warn(path, 'attribute without an id');
      continue;
    }
    if (out[id]) {
      r.warn(path, `duplicate attribute ${id}; the first one is kept`);
      continue;
    }
    out[id] = readAttribute(r, entry, path, id, vendor);
    count++;
  }
  return count > 0 ? out : undefined;
}

function readAttribute(r: JsonFieldReader, entry: JsonObject, path: PathToken[], id: number, vendor: Vendor): AtaAttribute {
  const name = r.string(entry, 'name', path);
  // value/worst/thresh are optional: smartctl omits them when the drive has no normalized value.
  const value = r.int(entry, 'value', path, BYTE);
  const worst = r.int(entry, 'worst', path, BYTE);
  const thresh = r.int(entry, 'thresh', path, BYTE);
  const rawObj = r.object(entry, 'raw', path);
  const rawPath = [...path, 'raw'];
  const raw = r.exact(rawObj, 'value', rawPath, MAX_RAW);
  const rawString = r.string(rawObj, 'string', rawPath);
  const decoded = decodeAtaRaw(id, raw, { vendor, name, rawString });
  const whenFailedText = r.string(entry, 'when_failed', path);
  const whenFailed = whenFailedText === 'now' || whenFailedText === 'past' ? whenFailedText : undefined;
  if (whenFailed === undefined && whenFailedText !== undefined && whenFailedText !== '-') {
    r.warn([...path, 'when_failed'], `unknown when_failed ${JSON.stringify(whenFailedText)}`);
  }
  const flags = readFlags(r, entry, path);
  // One object of one shape, absent fields undefined: built field by field, each attribute grew its
  // property store several times (a third of what the daemon allocated per request).
  return { id, name, value, worst, thresh, raw, rawString, decoded, whenFailed, flags };
}

function readFlags(r: JsonFieldReader, entry: JsonObject, path: PathToken[]): AtaAttributeFlags | undefined {
  const obj = r.object(entry, 'flags', path);
  if (obj === undefined) return undefined;
  const value = r.int(obj, 'value', [...path, 'flags'], FLAG_MASK);
  if (value === undefined) return undefined;
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
