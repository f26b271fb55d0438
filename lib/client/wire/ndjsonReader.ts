/** Splits an NDJSON byte stream into requests; a line longer than the limit loses the framing. */
import { isJsonObject, parseJsonExact } from '../../util/json.js';
import type { MessageReader, ReadEvent } from './reader.js';

const NEWLINE = 0x0a;

export class NdjsonReader implements MessageReader {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(private readonly maxLineBytes: number) {}

  get hasPartial(): boolean {
    return this.pendingBytes > 0;
  }

  get bufferedBytes(): number {
    return this.pendingBytes;
  }

  push(chunk: Buffer): ReadEvent[] {
    const events: ReadEvent[] = [];
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(NEWLINE, start);
      if (nl < 0) break;
      const piece = chunk.subarray(start, nl);
      if (this.pendingBytes + piece.length > this.maxLineBytes) return [...events, tooLong(this.maxLineBytes)];
      const line = this.pendingBytes ? Buffer.concat([...this.pending, piece]) : piece;
      this.pending = [];
      this.pendingBytes = 0;
      const event = decodeLine(line);
      if (event) events.push(event);
      start = nl + 1;
    }
    const rest = chunk.subarray(start);
    if (rest.length) {
      if (this.pendingBytes + rest.length > this.maxLineBytes) return [...events, tooLong(this.maxLineBytes)];
      this.pending.push(rest);
      this.pendingBytes += rest.length;
    }
    return events;
  }
}

function tooLong(max: number): ReadEvent {
  return { kind: 'error', fatal: true, error: { code: 'FRAME_TOO_LARGE', message: `line longer than ${max} bytes` } };
}

function decodeLine(line: Buffer): ReadEvent | undefined {
  const text = line.toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    const value = parseJsonExact(text);
    if (!isJsonObject(value)) return { kind: 'error', fatal: false, error: { code: 'BAD_REQUEST', message: 'request is not a JSON object' } };
    return { kind: 'message', message: value };
  } catch (err) {
    return { kind: 'error', fatal: false, error: { code: 'BAD_REQUEST', message: err instanceof Error ? err.message : String(err) } };
  }
}
