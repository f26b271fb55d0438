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
import { LineSplitter } from '../util/lineSplitter.js';
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
  const splitter = new LineSplitter(maxLineBytes, true);
  let lineNo = 0;
  for await (const chunk of chunks) {
    const { lines, overflow } = splitter.push(chunk);
    for (const line of lines) {
      lineNo++;
      yield line.toString('utf8');
    }
    if (overflow) throw new SmartParseError('FORMAT', `line longer than ${maxLineBytes} bytes: not a CSV file of SMART data`, { file, line: lineNo + 1 });
  }
  const last = splitter.finish();
  if (last !== undefined) yield last.toString('utf8');
}
