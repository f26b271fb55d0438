/**
 * CSV files as lines (lib/smart/csvLines.ts): a line's length is bounded, every stream is closed when reading stops
 * early, and a damaged .gz is an error the reader sees (issue 17, item 12: an endless line grew the process past
 * 600 MB into `RangeError: Invalid string length`; a truncated .gz after an early stop ended the process with an
 * unhandled 'error' event).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { readCsvLines, splitLines } from '../../lib/smart/csvLines.js';
import { readSmartFile } from '../../lib/smart/readSmartFile.js';

const dir = mkdtempSync(join(tmpdir(), 'diskpredict-csvlines-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function collect(lines: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const l of lines) out.push(l);
  return out;
}

async function* chunksOf(...parts: string[]): AsyncGenerator<Buffer> {
  for (const p of parts) yield Buffer.from(p);
}

describe('CSV lines', () => {
  it('splits across chunks, drops \\r of \\r\\n, keeps empty lines and a last line without an end, decodes UTF-8 split between chunks', async () => {
    const euro = Buffer.from('€');
    async function* split(): AsyncGenerator<Buffer> {
      yield Buffer.from('a,b\r\nc');
      yield Buffer.from(',d\n\nx');
      yield euro.subarray(0, 1);
      yield Buffer.concat([euro.subarray(1), Buffer.from('\nlast')]);
    }
    expect(await collect(splitLines(split(), 'f.csv', 100))).toEqual(['a,b', 'c,d', '', 'x€', 'last']);
    expect(await collect(splitLines(chunksOf('a\n'), 'f.csv', 100))).toEqual(['a']);
    // a lone \r ends a line too, as readline has it, also when its \n comes in the next chunk
    expect(await collect(splitLines(chunksOf('a\rb\r', '\nc\r\r', 'd'), 'f.csv', 100))).toEqual(['a', 'b', 'c', '', 'd']);
    const text = 'h\r\nx\ry\n\n\rz\r';
    const { createInterface } = await import('node:readline');
    const { Readable } = await import('node:stream');
    const viaReadline = await collect(createInterface({ input: Readable.from([Buffer.from(text)]), crlfDelay: Infinity }));
    expect(await collect(splitLines(chunksOf(text), 'f.csv', 100))).toEqual(viaReadline);
  });

  it('refuses a line longer than the bound, naming the file and line, without holding more than the bound', async () => {
    async function* endless(): AsyncGenerator<Buffer> {
      yield Buffer.from('header\n');
      for (let i = 0; ; i++) {
        if (i > 100) throw new Error('read far past the bound');
        yield Buffer.alloc(64 * 1024, 0x78);
      }
    }
    await expect(collect(splitLines(endless(), 'bomb.csv', 1024 * 1024))).rejects.toMatchObject({
      name: 'SmartParseError',
      code: 'FORMAT',
      message: 'bomb.csv, line 2: line longer than 1048576 bytes: not a CSV file of SMART data',
    });
  });

  it('reads a gzip bomb of one endless line as a one-line error, not a crash', async () => {
    const file = join(dir, 'bomb.csv.gz');
    writeFileSync(file, gzipSync(Buffer.concat([Buffer.from('date,serial_number\n'), Buffer.alloc(64 * 1024 * 1024, 0x78)])));
    await expect(readSmartFile(file)).rejects.toMatchObject({ code: 'FORMAT', message: expect.stringContaining('line 2: line longer than') });
  });

  it('reports a truncated .gz as TRUNCATED with the rows before it read, and leaves no stream erroring after an early stop', async () => {
    const rows = ['date,serial_number,model,failure,smart_5_raw', ...Array.from({ length: 20_000 }, (_, i) => `2024-01-01,S${i},ST4000DM000,0,${i}`)];
    const whole = gzipSync(rows.join('\n') + '\n');
    const file = join(dir, 'cut.csv.gz');
    writeFileSync(file, whole.subarray(0, Math.floor(whole.length / 2)));
    await expect(readSmartFile(file)).rejects.toMatchObject({ code: 'TRUNCATED' });
    // an early stop (the header check `evaluate` does): before, the gunzip stream then failed with nobody listening
    const unhandled: unknown[] = [];
    const onError = (err: unknown) => unhandled.push(err);
    process.on('uncaughtException', onError);
    try {
      for await (const line of readCsvLines(file)) {
        expect(line).toBe(rows[0]);
        break;
      }
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      process.off('uncaughtException', onError);
    }
    expect(unhandled).toEqual([]);
  });

  it('reports a missing file as an error of the reader, not of the process', async () => {
    await expect(collect(readCsvLines(join(dir, 'missing.csv.gz')))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
