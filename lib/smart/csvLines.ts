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

/** Lines without their end (`\n` or `\r\n`); a last line without one is a line too. */
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
  const tooLong = () => new SmartParseError('FORMAT', `line longer than ${maxLineBytes} bytes: not a CSV file of SMART data`, { file, line: lineNo + 1 });
  const take = (last: Buffer): string => {
    const bytes = pending.length === 0 ? last : Buffer.concat([...pending, last]);
    pending = [];
    pendingBytes = 0;
    lineNo++;
    const end = bytes.length > 0 && bytes[bytes.length - 1] === 0x0d ? bytes.length - 1 : bytes.length;
    return bytes.toString('utf8', 0, end);
  };
  for await (const chunk of chunks) {
    let start = 0;
    for (let nl = chunk.indexOf(0x0a, start); nl >= 0; nl = chunk.indexOf(0x0a, start)) {
      if (pendingBytes + nl - start > maxLineBytes) throw tooLong();
      yield take(chunk.subarray(start, nl));
      start = nl + 1;
    }
    if (start < chunk.length) {
      pendingBytes += chunk.length - start;
      if (pendingBytes > maxLineBytes) throw tooLong();
      pending.push(chunk.subarray(start));
    }
  }
  if (pendingBytes > 0) yield take(Buffer.alloc(0));
}
