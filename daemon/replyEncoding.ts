/**
 * Replies → bytes, per framing. A reply with StoredJsonMap fields (stored samples) is not encoded as one tree:
 * - JSON lines: the stored texts are JSON already and go into the line as they are;
 * - msgpack: each stored text is parsed and packed on its own, and the reply's maps are framed around the
 *   packed rows. Only one row's tree exists at a time.
 * Either way the work yields between rows (WorkSlicer), and the reply is handed over as the list of its pieces
 * (written with one writev), never copied into one multi-megabyte buffer. The client decodes exactly what
 * encoding the parsed samples as one tree would have given.
 */
import { FRAME_HEADER_BYTES, encodeFrame, packr } from '../lib/client/wire/msgpack.js';
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

/** One JSON line: a string, or for stored samples the line's pieces in order, encoded a row at a time between slices. */
export function encodeJsonLine(reply: OutgoingReply, slicer: () => WorkSlicer): string | Promise<Buffer[]> {
  if (!hasStoredJson(reply)) return stringifyJsonExact(reply) + '\n';
  return jsonLineInSlices(split(reply), slicer());
}

async function jsonLineInSlices({ plain, stored }: SplitReply, slicer: WorkSlicer): Promise<Buffer[]> {
  const head = stringifyJsonExact(plain);
  const chunks: Buffer[] = [Buffer.from(head === '{}' ? '{' : head.slice(0, -1) + ',')];
  for (const [i, [name, map]] of stored.entries()) {
    chunks.push(Buffer.from(`${i > 0 ? ',' : ''}${JSON.stringify(name)}:{`));
    for (const [j, [key, json]] of map.entries.entries()) {
      chunks.push(Buffer.from(`${j > 0 ? ',' : ''}${JSON.stringify(key)}:${oneLine(json)}`));
      await slicer.yieldIfDue();
    }
    chunks.push(Buffer.from('}'));
  }
  chunks.push(Buffer.from('}\n'));
  return chunks;
}

/**
 * The store writes compact JSON, which has no raw line break; a row changed behind the daemon's back could, and
 * would break the client's framing: such a row is re-encoded.
 */
function oneLine(json: string): string {
  return json.includes('\n') || json.includes('\r') ? stringifyJsonExact(parseJsonExact(json)) : json;
}

/** One msgpack frame; for stored samples the frame's pieces in order, packed a row at a time between slices. */
export function encodeFrameReply(reply: OutgoingReply, slicer: () => WorkSlicer): Buffer | Promise<Buffer[]> {
  if (!hasStoredJson(reply)) return encodeFrame(reply);
  return frameInSlices(split(reply), slicer());
}

async function frameInSlices({ plain, stored }: SplitReply, slicer: WorkSlicer): Promise<Buffer[]> {
  const keys = Object.keys(plain);
  const header = Buffer.allocUnsafe(FRAME_HEADER_BYTES);
  const chunks: Buffer[] = [header, mapHeader(keys.length + stored.length)];
  for (const key of keys) chunks.push(packr.pack(key), packr.pack(plain[key]));
  for (const [name, map] of stored) {
    chunks.push(packr.pack(name), mapHeader(map.entries.length));
    for (const [key, json] of map.entries) {
      chunks.push(packr.pack(key), packr.pack(parseJsonExact(json)));
      await slicer.yieldIfDue();
    }
  }
  let bodyLength = -FRAME_HEADER_BYTES;
  for (const c of chunks) bodyLength += c.length;
  header.writeUInt32BE(bodyLength, 0);
  return chunks;
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
