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

/** One frame: 4-byte big-endian length, then the msgpack body. */
export function encodeFrame(value: unknown): Buffer {
  const body = packr.pack(value);
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + body.length);
  frame.writeUInt32BE(body.length, 0);
  body.copy(frame, FRAME_HEADER_BYTES);
  return frame;
}
