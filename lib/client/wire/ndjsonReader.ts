/** Splits an NDJSON byte stream into requests; a line longer than the limit loses the framing. */
import { LineSplitter } from '../../util/lineSplitter.js';
import { isJsonObject, parseJsonExact } from '../../util/json.js';
import type { MessageReader, ReadEvent } from './reader.js';

export class NdjsonReader implements MessageReader {
  private readonly splitter: LineSplitter;

  constructor(private readonly maxLineBytes: number) {
    this.splitter = new LineSplitter(maxLineBytes);
  }

  get hasPartial(): boolean {
    return this.splitter.bufferedBytes > 0;
  }

  get bufferedBytes(): number {
    return this.splitter.bufferedBytes;
  }

  push(chunk: Buffer): ReadEvent[] {
    const { lines, overflow } = this.splitter.push(chunk);
    const events: ReadEvent[] = [];
    for (const line of lines) {
      const event = decodeLine(line);
      if (event) events.push(event);
    }
    if (overflow) events.push(tooLong(this.maxLineBytes));
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
