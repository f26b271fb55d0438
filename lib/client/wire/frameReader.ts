/**
 * Splits a stream of length-prefixed msgpack frames into messages (requests on the daemon's side, replies on the
 * client's). The announced length is checked against the limit before any body byte is kept; a body split over
 * chunks is gathered in a buffer allocated once at its final size.
 */
import { isJsonObject } from '../../util/json.js';
import { checkJsonValue } from './jsonLike.js';
import { FRAME_HEADER_BYTES, unpackr } from './msgpack.js';
import type { MessageReader, ReadEvent } from './reader.js';

export class FrameReader implements MessageReader {
  private header = Buffer.alloc(FRAME_HEADER_BYTES);
  private headerFilled = 0;
  /** announced length of the frame being gathered, or -1 while reading a header */
  private bodyLength = -1;
  private bodyParts: Buffer[] = [];
  private bodyFilled = 0;

  constructor(private readonly maxFrameBytes: number) {}

  get hasPartial(): boolean {
    return this.headerFilled > 0;
  }

  get bufferedBytes(): number {
    return this.headerFilled + this.bodyFilled;
  }

  push(chunk: Buffer): ReadEvent[] {
    const events: ReadEvent[] = [];
    let pos = 0;
    while (pos < chunk.length) {
      if (this.bodyLength < 0) {
        const take = Math.min(FRAME_HEADER_BYTES - this.headerFilled, chunk.length - pos);
        chunk.copy(this.header, this.headerFilled, pos, pos + take);
        this.headerFilled += take;
        pos += take;
        if (this.headerFilled < FRAME_HEADER_BYTES) break;
        const length = this.header.readUInt32BE(0);
        if (length > this.maxFrameBytes) {
          events.push({
            kind: 'error',
            fatal: true,
            error: { code: 'FRAME_TOO_LARGE', message: `frame of ${length} bytes exceeds the limit of ${this.maxFrameBytes}` },
          });
          return events;
        }
        if (chunk.length - pos >= length) {
          // The whole body is in this chunk (the common case): decoded in place, without a copy. The chunk is the
          // socket's own fresh buffer, and decoding keeps no reference into it (bin values are refused).
          events.push(decodeFrame(chunk.subarray(pos, pos + length)));
          pos += length;
          this.headerFilled = 0;
          continue;
        }
        this.bodyLength = length;
        this.bodyParts = [];
        this.bodyFilled = 0;
      }
      const take = Math.min(this.bodyLength - this.bodyFilled, chunk.length - pos);
      this.bodyParts.push(chunk.subarray(pos, pos + take));
      this.bodyFilled += take;
      pos += take;
      if (this.bodyFilled === this.bodyLength) {
        const body = this.bodyParts.length === 1 ? this.bodyParts[0]! : Buffer.concat(this.bodyParts, this.bodyLength);
        this.bodyParts = [];
        this.bodyLength = -1;
        this.bodyFilled = 0;
        this.headerFilled = 0;
        events.push(decodeFrame(body));
      }
    }
    return events;
  }
}

function decodeFrame(body: Buffer): ReadEvent {
  try {
    if (body.length === 0) throw new Error('empty frame');
    const value = checkJsonValue(unpackr.unpack(body));
    if (!isJsonObject(value)) return { kind: 'error', fatal: false, error: { code: 'BAD_REQUEST', message: 'request is not a map' } };
    return { kind: 'message', message: value };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { kind: 'error', fatal: false, error: { code: 'BAD_REQUEST', message: `malformed msgpack: ${message}` } };
  }
}
