/**
 * Replies → bytes, per framing. A reply with StoredJsonMap fields (stored samples) is not encoded as one tree:
 * - JSON lines: the stored texts are JSON already and go into the line as they are;
 * - msgpack: each stored text is parsed and packed on its own, and the reply's maps are framed around the
 *   packed rows. Only one row's tree exists at a time.
 * Beyond AT_ONCE_BYTES of stored samples the work yields between rows (WorkSlicer), and the reply is handed over
 * as the list of its pieces (written with one writev), never copied into one multi-megabyte buffer. The client
 * decodes exactly what encoding the parsed samples as one tree would have given.
 *
 * A long array at the reply's top level (predict_batch's `results`) is encoded the same way, one element at a time
 * with yields between elements: as one tree, 9,020 results took 14-37 ms of the event loop in one stretch.
 */
import { FRAME_HEADER_BYTES, encodeFrame, packr } from '../lib/client/wire/msgpack.js';
import { parseJsonExact, stringifyJsonExact, type JsonObject, type JsonValue } from '../lib/util/json.js';
import { StoredJsonMap, type OutgoingReply } from './storedJsonMap.js';
import type { WorkSlicer } from './workSlicer.js';

interface SplitReply {
  plain: JsonObject;
  stored: [name: string, map: StoredJsonMap][];
  arrays: [name: string, items: JsonValue[]][];
}

/** Top-level arrays longer than this are encoded an element at a time (a batch of 256 results: about 0.5 ms). */
const LONG_ARRAY_ITEMS = 256;

function isLongArray(value: unknown): value is JsonValue[] {
  return Array.isArray(value) && value.length > LONG_ARRAY_ITEMS;
}

function split(reply: OutgoingReply): SplitReply {
  const plain: JsonObject = {};
  const stored: [string, StoredJsonMap][] = [];
  const arrays: [string, JsonValue[]][] = [];
  for (const key in reply) {
    const value = reply[key]!;
    if (value instanceof StoredJsonMap) stored.push([key, value]);
    else if (isLongArray(value)) arrays.push([key, value]);
    else plain[key] = value;
  }
  return { plain, stored, arrays };
}

function encodedInPieces(reply: OutgoingReply): boolean {
  for (const key in reply) if (reply[key] instanceof StoredJsonMap || isLongArray(reply[key])) return true;
  return false;
}

/**
 * Stored samples up to this many bytes are encoded at once, as before (about 1.5 ms of CPU for msgpack): the common
 * short history keeps the synchronous path; larger ones yield between rows.
 */
const AT_ONCE_BYTES = 128 * 1024;

/** Marks the end of one stored row among a reply's pieces: where the encoding may yield. */
const ROW_END = Symbol('row end');
type Piece = Buffer | typeof ROW_END;

/** One JSON line: a string, a Buffer, or for many stored samples the line's pieces, encoded between slices. */
export function encodeJsonLine(reply: OutgoingReply, slicer: () => WorkSlicer): string | Buffer | Promise<Buffer[]> {
  if (!encodedInPieces(reply)) return stringifyJsonExact(reply) + '\n';
  const parts = split(reply);
  return gather(jsonLinePieces(parts), atOnce(parts), slicer);
}

function* jsonLinePieces({ plain, stored, arrays }: SplitReply): Generator<Piece> {
  const head = stringifyJsonExact(plain);
  yield Buffer.from(head === '{}' ? '{' : head.slice(0, -1) + ',');
  let fields = 0;
  for (const [name, map] of stored) {
    yield Buffer.from(`${fields++ > 0 ? ',' : ''}${JSON.stringify(name)}:{`);
    for (const [j, [key, json]] of map.entries.entries()) {
      yield Buffer.from(`${j > 0 ? ',' : ''}${JSON.stringify(key)}:${oneLine(json)}`);
      yield ROW_END;
    }
    yield Buffer.from('}');
  }
  for (const [name, items] of arrays) {
    yield Buffer.from(`${fields++ > 0 ? ',' : ''}${JSON.stringify(name)}:[`);
    for (const [j, item] of items.entries()) {
      yield Buffer.from(`${j > 0 ? ',' : ''}${stringifyJsonExact(item)}`);
      yield ROW_END;
    }
    yield Buffer.from(']');
  }
  yield Buffer.from('}\n');
}

/**
 * The store writes compact JSON, which has no raw line break; a row changed behind the daemon's back could, and
 * would break the client's framing: such a row is re-encoded.
 */
function oneLine(json: string): string {
  return json.includes('\n') || json.includes('\r') ? stringifyJsonExact(parseJsonExact(json)) : json;
}

/** One msgpack frame; for many stored samples the frame's pieces, packed a row at a time between slices. */
export function encodeFrameReply(reply: OutgoingReply, slicer: () => WorkSlicer): Buffer | Promise<Buffer[]> {
  if (!encodedInPieces(reply)) return encodeFrame(reply);
  const parts = split(reply);
  return gather(framePieces(parts), atOnce(parts), slicer);
}

function* framePieces({ plain, stored, arrays }: SplitReply): Generator<Piece> {
  const keys = Object.keys(plain);
  const header = Buffer.allocUnsafe(FRAME_HEADER_BYTES);
  let bodyLength = 0;
  const piece = (b: Buffer): Buffer => {
    bodyLength += b.length;
    return b;
  };
  yield header;
  yield piece(mapHeader(keys.length + stored.length + arrays.length));
  for (const key of keys) {
    yield piece(packr.pack(key));
    yield piece(packr.pack(plain[key]));
  }
  for (const [name, map] of stored) {
    yield piece(packr.pack(name));
    yield piece(mapHeader(map.entries.length));
    for (const [key, json] of map.entries) {
      yield piece(packr.pack(key));
      yield piece(packr.pack(parseJsonExact(json)));
      yield ROW_END;
    }
  }
  for (const [name, items] of arrays) {
    yield piece(packr.pack(name));
    yield piece(arrayHeader(items.length));
    for (const item of items) {
      yield piece(packr.pack(item));
      yield ROW_END;
    }
  }
  // the header goes out with the rest, after this: it can still be filled in
  header.writeUInt32BE(bodyLength, 0);
}

/** Few stored bytes and no long array: encoded at once. */
function atOnce({ stored, arrays }: SplitReply): boolean {
  if (arrays.length > 0) return false;
  let n = 0;
  for (const [, map] of stored) for (const [, json] of map.entries) n += json.length;
  return n <= AT_ONCE_BYTES;
}

/** Small replies at once into one Buffer; large ones as their pieces, yielding between rows. */
function gather(pieces: Generator<Piece>, atOnce: boolean, slicer: () => WorkSlicer): Buffer | Promise<Buffer[]> {
  if (atOnce) {
    const chunks: Buffer[] = [];
    for (const p of pieces) if (p !== ROW_END) chunks.push(p);
    return Buffer.concat(chunks);
  }
  return gatherInSlices(pieces, slicer());
}

// Pieces are joined in runs of this many, so a reply of thousands of small elements is not thousands of writev entries.
const PIECES_PER_CHUNK = 512;

async function gatherInSlices(pieces: Generator<Piece>, slicer: WorkSlicer): Promise<Buffer[]> {
  const chunks: Buffer[] = [];
  let run: Buffer[] = [];
  const endRun = () => {
    if (run.length > 0) chunks.push(run.length === 1 ? run[0]! : Buffer.concat(run));
    run = [];
  };
  for (const p of pieces) {
    if (p === ROW_END) {
      if (run.length >= PIECES_PER_CHUNK) endRun();
      await slicer.yieldIfDue();
    } else if (chunks.length === 0 && run.length === 0) {
      chunks.push(p); // a frame's header, filled in once every piece is known: never copied before that
    } else {
      run.push(p);
    }
  }
  endRun();
  return chunks;
}

/** A msgpack array header for `n` elements (fixarray, array 16, array 32). */
function arrayHeader(n: number): Buffer {
  return collectionHeader(n, 0x90, 0xdc, 0xdd);
}

/** A msgpack map header for `n` entries (fixmap, map 16, map 32). */
function mapHeader(n: number): Buffer {
  return collectionHeader(n, 0x80, 0xde, 0xdf);
}

function collectionHeader(n: number, fix: number, with16: number, with32: number): Buffer {
  if (n < 16) return Buffer.from([fix | n]);
  const wide = n >= 0x10000;
  const b = Buffer.allocUnsafe(wide ? 5 : 3);
  b[0] = wide ? with32 : with16;
  if (wide) b.writeUInt32BE(n, 1);
  else b.writeUInt16BE(n, 1);
  return b;
}
