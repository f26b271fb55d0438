/**
 * Encoding frames with msgpackr, configured for the protocol: plain maps (no records), bigint as 64-bit integers.
 * One instance, shared by the daemon and the client. Decoding is jsonMsgpack.ts (JSON data only).
 */
import { Packr } from 'msgpackr';

// Integers beyond 64 bits (only a client can send those; smartctl never prints them) go out as decimal strings.
export const packr = new Packr({ useRecords: false, encodeUndefinedAsNil: true, largeBigIntToString: true });

export const FRAME_HEADER_BYTES = 4;

/** One frame: 4-byte big-endian length, then the msgpack body. */
export function encodeFrame(value: unknown): Buffer {
  const body = packr.pack(value);
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + body.length);
  frame.writeUInt32BE(body.length, 0);
  body.copy(frame, FRAME_HEADER_BYTES);
  return frame;
}
