/**
 * msgpack → JSON data, for the protocol's frames: maps (as plain objects), arrays, strings, finite numbers,
 * booleans and nil; integers beyond ±2^53 as bigint. Anything else (bin, ext, timestamps, non-finite floats,
 * non-scalar keys) is refused with the JSON pointer where it sits, while decoding, so no second walk over the
 * value is needed.
 *
 * Why not msgpackr's unpacker (msgpackr still encodes): the daemon decodes every request, and a 12-sample predict
 * of real smartctl output is a 64 kB frame. msgpackr allocates a new string for every map key of such a frame
 * (with its native string extraction on, keys are sliced from the extracted block and skip its key cache) and
 * then needed that separate check for non-JSON values. This decoder keeps one string per distinct short key.
 * test/daemon/jsonMsgpack.test.ts checks it against msgpackr on generated values and on truncated and foreign
 * input.
 */
import type { JsonObject, JsonValue } from '../../util/json.js';

export class MsgpackJsonError extends Error {
  override readonly name = 'MsgpackJsonError';
  /** keys from the bad value up to the root, while the error unwinds */
  readonly reversedPath: string[] = [];

  constructor(readonly reason: string) {
    super(reason);
  }

  /** The message with the pointer, once the path is complete. */
  located(): MsgpackJsonError {
    const path = this.reversedPath.length ? '/' + [...this.reversedPath].reverse().join('/') : '/';
    const located = new MsgpackJsonError(`${this.reason} at ${path}`);
    located.reversedPath.push(...this.reversedPath);
    return located;
  }
}

/** Deeper nesting is refused: a frame of nested one-element arrays would otherwise overflow the stack. */
export const MAX_DEPTH = 512;

let src: Uint8Array = new Uint8Array(0);
let buf: NodeBuffer = Buffer.alloc(0) as NodeBuffer;
let view: DataView = new DataView(src.buffer);
let pos = 0;
let end = 0;

export function decodeJsonMsgpack(bytes: Uint8Array): JsonValue {
  src = bytes;
  buf = (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)) as NodeBuffer;
  view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  pos = 0;
  end = bytes.length;
  try {
    const value = read(0);
    if (pos !== end) throw new MsgpackJsonError(`${end - pos} bytes after the value`);
    return value;
  } catch (err) {
    if (err instanceof MsgpackJsonError) throw err.located();
    throw err;
  } finally {
    src = EMPTY; // do not keep the frame alive
    buf = EMPTY_BUFFER;
    view = EMPTY_VIEW;
  }
}

const EMPTY = new Uint8Array(0);
const EMPTY_VIEW = new DataView(EMPTY.buffer);
const EMPTY_BUFFER = Buffer.alloc(0) as NodeBuffer;

/** Buffer's string slicers: documented only through toString, which parses its encoding argument on every call. */
type NodeBuffer = Buffer & { utf8Slice(start: number, end: number): string; latin1Slice(start: number, end: number): string };

function need(n: number): void {
  if (end - pos < n) throw new MsgpackJsonError('truncated msgpack value');
}

function read(depth: number): JsonValue {
  need(1);
  const b = src[pos++]!;
  if (b < 0x80) return b; // positive fixint
  if (b < 0x90) return readMap(b & 0x0f, depth);
  if (b < 0xa0) return readArray(b & 0x0f, depth);
  if (b < 0xc0) return readString(b & 0x1f);
  if (b >= 0xe0) return b - 0x100; // negative fixint
  switch (b) {
    case 0xc0:
      return null;
    case 0xc2:
      return false;
    case 0xc3:
      return true;
    case 0xca: {
      need(4);
      const v = view.getFloat32(pos);
      pos += 4;
      return finite(v);
    }
    case 0xcb: {
      need(8);
      const v = view.getFloat64(pos);
      pos += 8;
      return finite(v);
    }
    case 0xcc:
      need(1);
      return src[pos++]!;
    case 0xcd: {
      need(2);
      const v = view.getUint16(pos);
      pos += 2;
      return v;
    }
    case 0xce: {
      need(4);
      const v = view.getUint32(pos);
      pos += 4;
      return v;
    }
    case 0xcf: {
      need(8);
      const v = view.getBigUint64(pos);
      pos += 8;
      return v <= MAX_SAFE ? Number(v) : v;
    }
    case 0xd0: {
      need(1);
      const v = view.getInt8(pos);
      pos += 1;
      return v;
    }
    case 0xd1: {
      need(2);
      const v = view.getInt16(pos);
      pos += 2;
      return v;
    }
    case 0xd2: {
      need(4);
      const v = view.getInt32(pos);
      pos += 4;
      return v;
    }
    case 0xd3: {
      need(8);
      const v = view.getBigInt64(pos);
      pos += 8;
      return v >= MIN_SAFE && v <= MAX_SAFE ? Number(v) : v;
    }
    case 0xd9:
      need(1);
      return readString(src[pos++]!);
    case 0xda: {
      need(2);
      const n = view.getUint16(pos);
      pos += 2;
      return readString(n);
    }
    case 0xdb: {
      need(4);
      const n = view.getUint32(pos);
      pos += 4;
      return readString(n);
    }
    case 0xdc: {
      need(2);
      const n = view.getUint16(pos);
      pos += 2;
      return readArray(n, depth);
    }
    case 0xdd: {
      need(4);
      const n = view.getUint32(pos);
      pos += 4;
      return readArray(n, depth);
    }
    case 0xde: {
      need(2);
      const n = view.getUint16(pos);
      pos += 2;
      return readMap(n, depth);
    }
    case 0xdf: {
      need(4);
      const n = view.getUint32(pos);
      pos += 4;
      return readMap(n, depth);
    }
    default:
      throw new MsgpackJsonError(`unsupported msgpack value (${FOREIGN[b] ?? `type 0x${b.toString(16)}`})`);
  }
}

// Up to ±2^53 as a number (exact there), beyond as bigint: msgpackr's int64AsType 'auto', which the protocol had.
const MAX_SAFE = 2n ** 53n;
const MIN_SAFE = -MAX_SAFE;

/** msgpack types outside JSON (ext includes msgpack's timestamps). */
const FOREIGN: Record<number, string> = {
  0xc4: 'bin',
  0xc5: 'bin',
  0xc6: 'bin',
  0xc7: 'ext',
  0xc8: 'ext',
  0xc9: 'ext',
  0xd4: 'ext',
  0xd5: 'ext',
  0xd6: 'ext',
  0xd7: 'ext',
  0xd8: 'ext',
};

function finite(v: number): number {
  if (!Number.isFinite(v)) throw new MsgpackJsonError('non-finite number');
  return v;
}

function readArray(n: number, depth: number): JsonValue[] {
  if (depth >= MAX_DEPTH) throw new MsgpackJsonError(`nested deeper than ${MAX_DEPTH}`);
  if (n > end - pos) throw new MsgpackJsonError('truncated msgpack value'); // each element takes a byte at least
  const out: JsonValue[] = new Array(n);
  for (let i = 0; i < n; i++) {
    try {
      out[i] = read(depth + 1);
    } catch (err) {
      if (err instanceof MsgpackJsonError) err.reversedPath.push(String(i));
      throw err;
    }
  }
  return out;
}

function readMap(n: number, depth: number): JsonObject {
  if (depth >= MAX_DEPTH) throw new MsgpackJsonError(`nested deeper than ${MAX_DEPTH}`);
  if (n > (end - pos) / 2) throw new MsgpackJsonError('truncated msgpack value'); // each entry takes two bytes at least
  const out: JsonObject = {};
  for (let i = 0; i < n; i++) {
    let key = readKey();
    // msgpackr's rule: a "__proto__" key would set the object's prototype.
    if (key === '__proto__') key = '__proto_';
    try {
      out[key] = read(depth + 1);
    } catch (err) {
      if (err instanceof MsgpackJsonError) err.reversedPath.push(key);
      throw err;
    }
  }
  return out;
}

/** A map key: a string (short ASCII ones from the cache), or a number read as its decimal string, as msgpackr does. */
function readKey(): string {
  need(1);
  const b = src[pos]!;
  if (b >= 0xa0 && b < 0xc0) {
    pos++;
    return readCachedKey(b & 0x1f);
  }
  if (b >= 0x80 && b < 0xa0) throw new MsgpackJsonError(`map key of type ${b < 0x90 ? 'map' : 'array'}`);
  if (b >= 0xdc && b <= 0xdf) throw new MsgpackJsonError(`map key of type ${b >= 0xde ? 'map' : 'array'}`);
  const key = read(MAX_DEPTH); // a scalar: containers were refused above
  if (typeof key === 'string') return key;
  if (typeof key === 'number' || typeof key === 'bigint') return String(key);
  throw new MsgpackJsonError(`map key of type ${key === null ? 'nil' : typeof key}`);
}

interface KeyEntry {
  bytes: Uint8Array;
  key: string;
}

// Keys up to 31 bytes of ASCII, in a slot picked by their length and three of their bytes; a collision just
// replaces the entry. A hit costs one comparison pass over the key's bytes.
const KEY_CACHE: (KeyEntry | undefined)[] = new Array(4096);

function readCachedKey(n: number): string {
  need(n);
  if (n === 0) return '';
  const slot = ((n << 7) ^ (src[pos]! << 4) ^ (src[pos + (n >> 1)]! << 1) ^ src[pos + n - 1]!) & 0xfff;
  const entry = KEY_CACHE[slot];
  if (entry !== undefined && entry.bytes.length === n) {
    const bytes = entry.bytes;
    let i = 0;
    while (i < n && bytes[i] === src[pos + i]) i++;
    if (i === n) {
      pos += n;
      return entry.key;
    }
  }
  for (let i = 0; i < n; i++) if (src[pos + i]! >= 0x80) return readString(n);
  const key = asciiString(n);
  KEY_CACHE[slot] = { bytes: src.slice(pos - n, pos), key };
  return key;
}

function readString(n: number): string {
  need(n);
  if (n <= 32) {
    let ascii = true;
    for (let i = 0; i < n; i++) {
      if (src[pos + i]! >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii) return asciiString(n);
  }
  const s = buf.utf8Slice(pos, pos + n);
  pos += n;
  return s;
}


/** n ASCII bytes at pos (checked by the caller) → a string; pos moves past them. */
function asciiString(n: number): string {
  const start = pos;
  pos += n;
  if (n === 0) return '';
  return buf.latin1Slice(start, pos);
}
