/**
 * msgpackr configured for the protocol: plain maps (no records), 64-bit integers exact (bigint above 2^53,
 * number below). One instance each, shared by the daemon and the client.
 */
import { Packr, Unpackr, type Options } from 'msgpackr';

// 'auto' is supported by msgpackr's unpacker but missing from its type declaration.
const int64AsType = 'auto' as unknown as Options['int64AsType'];

// Integers beyond 64 bits (only a client can send those; smartctl never prints them) go out as decimal strings.
export const packr = new Packr({ useRecords: false, mapsAsObjects: true, int64AsType, encodeUndefinedAsNil: true, largeBigIntToString: true });
export const unpackr = new Unpackr({ useRecords: false, mapsAsObjects: true, int64AsType });

export const FRAME_HEADER_BYTES = 4;

/**
 * msgpackr packs into one buffer shared by every pack, and a new one is allocated at the size of the old: once a
 * large value is packed, that many bytes stay held for the life of the process (8 MB in the daemon after a
 * 9,000-device predict_batch reply). After a frame this large, it gets a small buffer again.
 */
const LARGE_FRAME_BYTES = 1024 * 1024;
const PACK_BUFFER_BYTES = 8192;

/** One frame: 4-byte big-endian length, then the msgpack body. */
export function encodeFrame(value: unknown): Buffer {
  const body = packr.pack(value);
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + body.length);
  frame.writeUInt32BE(body.length, 0);
  body.copy(frame, FRAME_HEADER_BYTES);
  // `body` is part of the shared buffer: only now, copied, may that buffer be let go
  if (body.length > LARGE_FRAME_BYTES) packr.useBuffer(Buffer.allocUnsafeSlow(PACK_BUFFER_BYTES));
  return frame;
}
