/**
 * Inputs the fuzzer (npm run fuzz) found that broke a reader, reduced to their essence; each failed before its fix.
 */
import { describe, expect, it } from 'vitest';
import { readBackblazeLines } from '../../lib/smart/backblazeCsv.js';
import { SmartParseError } from '../../lib/smart/errors.js';
import { readSmartctlJsonText } from '../../lib/smart/readSmartctlJson.js';
import type { SmartSample } from '../../lib/smart/types.js';
import { JsonSyntaxError, MAX_EXACT_JSON_DEPTH, parseJsonExact } from '../../lib/util/json.js';

describe('deep nesting beside a 64-bit integer (fuzz: smartctl seed 1 case 2098)', () => {
  // A 16+ digit integer sends the text to the exact parser, which recursed until the stack overflowed:
  // RangeError instead of a syntax error.
  const deep = (depth: number): string => `{"serial": 18446744073709551615, "x": ${'['.repeat(depth)}1${']'.repeat(depth)}}`;

  it('is a JsonSyntaxError naming the depth, not a stack overflow', () => {
    expect(() => parseJsonExact(deep(50_000))).toThrow(JsonSyntaxError);
    expect(() => parseJsonExact(deep(50_000))).toThrow(`nested deeper than ${MAX_EXACT_JSON_DEPTH} levels`);
  });

  it('is a SmartParseError from the smartctl reader', () => {
    expect(() => readSmartctlJsonText(deep(50_000), 'deep.json')).toThrow(SmartParseError);
  });

  it('still reads nesting up to the limit exactly', () => {
    const v = parseJsonExact(deep(MAX_EXACT_JSON_DEPTH - 1)) as { serial: bigint };
    expect(v.serial).toBe(2n ** 64n - 1n);
  });
});

describe('a Backblaze cell whose exponent overflows (fuzz: backblaze seed 1 case 788)', () => {
  it('is a bad row, not an attribute of Infinity', async () => {
    const lines = ['date,serial_number,model,failure,smart_9_raw,smart_240_raw', '2024-01-01,S1,ST4000DM000,0,100,1e400', '2024-01-02,S1,ST4000DM000,0,101,5'];
    const bad: string[] = [];
    const samples: SmartSample[] = [];
    for await (const s of readBackblazeLines(lines, 'inf.csv', { onBadRow: (b) => bad.push(`${b.line}: ${b.message}`) })) samples.push(s);
    expect(bad).toEqual(['2: non-numeric or non-finite smart_240_raw "1e400"']);
    expect(samples.map((s) => s.ata?.get(240)?.raw)).toEqual([5]);
  });

  it('is a bad row too when a normalized integer is too long for a number (fuzz: backblaze seed 2 case 578)', async () => {
    const bad: string[] = [];
    const rows = ['date,serial_number,smart_187_normalized', `2024-01-01,S1,${'9'.repeat(400)}`];
    for await (const s of readBackblazeLines(rows, 'inf.csv', { onBadRow: (b) => bad.push(b.message) })) expect(s.ata?.get(187)?.value).toBeUndefined();
    expect(bad).toHaveLength(1);
  });

  it('is refused in strict mode with the line named', async () => {
    const read = async (): Promise<void> => {
      for await (const _ of readBackblazeLines(['date,serial_number,smart_5_normalized', '2024-01-01,S1,-1e999'], 'inf.csv', { strict: true }));
    };
    await expect(read()).rejects.toThrow(/line 2/);
  });
});
