/**
 * Bytes arriving in chunks → complete lines, holding at most `maxLineBytes` of an unfinished one: the NDJSON
 * framing (lib/client/wire/ndjsonReader.ts) and CSV files (lib/smart/csvLines.ts) both read untrusted streams
 * whose lines might never end.
 */
const LF = 0x0a;
const CR = 0x0d;

export interface SplitLines {
  /** the lines completed by this chunk, without their ends */
  lines: Buffer[];
  /** a line passed the limit after those: the stream cannot be followed further */
  overflow: boolean;
}

export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** the last chunk ended with \r (crEndsLine): a \n opening the next one belongs to that line end */
  private afterCR = false;

  /** `crEndsLine`: `\r\n` and a lone `\r` end a line too, as readline has it; else only `\n` does. */
  constructor(
    private readonly maxLineBytes: number,
    private readonly crEndsLine = false,
  ) {}

  /** Bytes of the unfinished line held. */
  get bufferedBytes(): number {
    return this.pendingBytes;
  }

  push(chunk: Buffer): SplitLines {
    const lines: Buffer[] = [];
    if (chunk.length === 0) return { lines, overflow: false };
    let start = this.afterCR && chunk[0] === LF ? 1 : 0;
    this.afterCR = false;
    let lf = chunk.indexOf(LF, start);
    let cr = this.crEndsLine ? chunk.indexOf(CR, start) : -1;
    while (lf >= 0 || cr >= 0) {
      const end = lf < 0 ? cr : cr < 0 ? lf : Math.min(lf, cr);
      if (this.pendingBytes + end - start > this.maxLineBytes) return { lines, overflow: true };
      lines.push(this.take(chunk.subarray(start, end)));
      start = end + 1;
      if (end === cr) {
        if (start === chunk.length) this.afterCR = true;
        else if (chunk[start] === LF) start++;
      }
      if (lf >= 0 && lf < start) lf = chunk.indexOf(LF, start);
      if (cr >= 0 && cr < start) cr = chunk.indexOf(CR, start);
    }
    if (start < chunk.length) {
      if (this.pendingBytes + chunk.length - start > this.maxLineBytes) return { lines, overflow: true };
      this.pending.push(chunk.subarray(start));
      this.pendingBytes += chunk.length - start;
    }
    return { lines, overflow: false };
  }

  /** The last line when the stream ended without a line end, else undefined. */
  finish(): Buffer | undefined {
    return this.pendingBytes > 0 ? this.take(Buffer.alloc(0)) : undefined;
  }

  private take(last: Buffer): Buffer {
    const line = this.pendingBytes > 0 ? Buffer.concat([...this.pending, last]) : last;
    this.pending = [];
    this.pendingBytes = 0;
    return line;
  }
}
