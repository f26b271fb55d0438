/**
 * Replies → bytes, per framing. A reply with StoredJsonMap fields (stored samples) is not encoded as one tree:
 * - JSON lines: the stored texts are JSON already and are concatenated into the line as they are;
 * - msgpack: each stored text is parsed and packed on its own, yielding between rows (WorkSlicer), and the
 *   reply's maps are framed around the packed rows. Only one row's tree exists at a time.
 * Either way the client decodes exactly what encoding the parsed samples would have given.
 */
import { packr, FRAME_HEADER_BYTES, encodeFrame } from '../lib/client/wire/msgpack.js';
import { parseJsonExact, stringifyJsonExact, type JsonObject } from '../lib/util/json.js';
import { StoredJsonMap, type OutgoingReply } from './storedJsonMap.js';
import type { WorkSlicer } from './workSlicer.js';

interface SplitReply {
  plain: JsonObject;
  stored: [name: string, map: StoredJsonMap][];
}

function split(reply: OutgoingReply): SplitReply {
  const plain: JsonObject = {};
  const stored: [string, StoredJsonMap][] = [];
  for (const key in reply) {
    const value = reply[key]!;
    if (value instanceof StoredJsonMap) stored.push([key, value]);
    else plain[key] = value;
  }
  return { plain, stored };
}

function hasStoredJson(reply: OutgoingReply): boolean {
  for (const key in reply) if (reply[key] instanceof StoredJsonMap) return true;
  return false;
}

/** One JSON line. */
export function encodeJsonLine(reply: OutgoingReply): string {
  if (!hasStoredJson(reply)) return stringifyJsonExact(reply) + '\n';
  const { plain, stored } = split(reply);
  const head = stringifyJsonExact(plain);
  const parts: string[] = [head === '{}' ? '{' : head.slice(0, -1) + ','];
  stored.forEach(([name, map], i) => {
    parts.push(i > 0 ? ',' : '', JSON.stringify(name), ':{');
    map.entries.forEach(([key, json], j) => parts.push(j > 0 ? ',' : '', JSON.stringify(key), ':', oneLine(json)));
    parts.push('}');
  });
  parts.push('}\n');
  return parts.join('');
}

/**
 * The store writes compact JSON, which has no raw line break; a row changed behind the daemon's back could, and
 * would break the client's framing: such a row is re-encoded.
 */
function oneLine(json: string): string {
  return json.includes('\n') || json.includes('\r') ? stringifyJsonExact(parseJsonExact(json)) : json;
}

/** One msgpack frame; a Promise when stored JSON has to be packed row by row between time slices. */
export function encodeFrameReply(reply: OutgoingReply, slicer: () => WorkSlicer): Buffer | Promise<Buffer> {
  if (!hasStoredJson(reply)) return encodeFrame(reply);
  return encodeFrameInSlices(split(reply), slicer());
}

async function encodeFrameInSlices({ plain, stored }: SplitReply, slicer: WorkSlicer): Promise<Buffer> {
  const keys = Object.keys(plain);
  const parts: Buffer[] = [mapHeader(keys.length + stored.length)];
  for (const key of keys) parts.push(packr.pack(key), packr.pack(plain[key]));
  for (const [name, map] of stored) {
    parts.push(packr.pack(name), mapHeader(map.entries.length));
    for (const [key, json] of map.entries) {
      parts.push(packr.pack(key), packr.pack(parseJsonExact(json)));
      await slicer.yieldIfDue();
    }
  }
  let bodyLength = 0;
  for (const p of parts) bodyLength += p.length;
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + bodyLength);
  frame.writeUInt32BE(bodyLength, 0);
  let at = FRAME_HEADER_BYTES;
  for (const p of parts) at += p.copy(frame, at);
  return frame;
}

/** A msgpack map header for `n` entries (fixmap, map 16, map 32). */
function mapHeader(n: number): Buffer {
  if (n < 16) return Buffer.from([0x80 | n]);
  if (n < 0x10000) {
    const b = Buffer.allocUnsafe(3);
    b[0] = 0xde;
    b.writeUInt16BE(n, 1);
    return b;
  }
  const b = Buffer.allocUnsafe(5);
  b[0] = 0xdf;
  b.writeUInt32BE(n, 1);
  return b;
}
