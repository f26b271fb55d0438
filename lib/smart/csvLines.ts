/**
 * A CSV file (plain or .gz) as its text lines, with a bound on a line's length. Node's readline kept appending to
 * a line that never ended: a gzip bomb or a 2 GB sparse file grew the process past 600 MB and ended in
 * `RangeError: Invalid string length`. And a reader that stopped early (a header check) left the file and gunzip
 * streams running with no error listener, so a truncated .gz ended the process with an unhandled 'error' event.
 * Here every stream is destroyed when the reading stops, for whatever reason, and their errors reach the reader.
 */
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { SmartParseError } from './errors.js';

/** The widest Backblaze file has lines of about 2 kB; anything near this is not a CSV of SMART data. */
export const MAX_CSV_LINE_BYTES = 1024 * 1024;

/** Lines without their end (`\n`, `\r\n` or a lone `\r`, as readline splits); a last line without one is a line too. */
export async function* readCsvLines(file: string, maxLineBytes = MAX_CSV_LINE_BYTES): AsyncGenerator<string> {
  const source = createReadStream(file);
  let input: Readable = source;
  if (file.endsWith('.gz')) {
    const gunzip = createGunzip();
    // pipe() does not pass the file's own errors on: the gunzip stream ends with them instead
    source.on('error', (err) => gunzip.destroy(err));
    input = source.pipe(gunzip);
  }
  try {
    yield* splitLines(input as AsyncIterable<Buffer>, file, maxLineBytes);
  } finally {
    source.destroy();
    input.destroy();
  }
}

/** Splits chunks of bytes into UTF-8 lines, holding at most `maxLineBytes` of an unfinished one. */
export async function* splitLines(chunks: AsyncIterable<Buffer>, file: string, maxLineBytes: number): AsyncGenerator<string> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let lineNo = 0;
  // the last chunk ended with \r: a \n opening the next one belongs to that line end
  let afterCR = false;
  const tooLong = () => new SmartParseError('FORMAT', `line longer than ${maxLineBytes} bytes: not a CSV file of SMART data`, { file, line: lineNo + 1 });
  const take = (last: Buffer): string => {
    const bytes = pending.length === 0 ? last : Buffer.concat([...pending, last]);
    pending = [];
    pendingBytes = 0;
    lineNo++;
    return bytes.toString('utf8');
  };
  for await (const chunk of chunks) {
    if (chunk.length === 0) continue;
    let start = afterCR && chunk[0] === 0x0a ? 1 : 0;
    afterCR = false;
    let lf = chunk.indexOf(0x0a, start);
    let cr = chunk.indexOf(0x0d, start);
    while (lf >= 0 || cr >= 0) {
      const end = lf < 0 ? cr : cr < 0 ? lf : Math.min(lf, cr);
      if (pendingBytes + end - start > maxLineBytes) throw tooLong();
      yield take(chunk.subarray(start, end));
      start = end + 1;
      if (end === cr) {
        if (start === chunk.length) afterCR = true;
        else if (chunk[start] === 0x0a) start++;
      }
      if (lf >= 0 && lf < start) lf = chunk.indexOf(0x0a, start);
      if (cr >= 0 && cr < start) cr = chunk.indexOf(0x0d, start);
    }
    if (start < chunk.length) {
      pendingBytes += chunk.length - start;
      if (pendingBytes > maxLineBytes) throw tooLong();
      pending.push(chunk.subarray(start));
    }
  }
  if (pendingBytes > 0) yield take(Buffer.alloc(0));
}
