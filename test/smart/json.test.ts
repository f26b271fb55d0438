import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { JsonSyntaxError, parseJsonExact, parseJsonExactSlowly, stringifyJsonExact } from '../../lib/util/json.js';

function syntaxError(text: string): JsonSyntaxError {
  try {
    parseJsonExact(text);
  } catch (err) {
    if (err instanceof JsonSyntaxError) return err;
    throw err;
  }
  throw new Error('expected a JsonSyntaxError');
}

describe('parseJsonExact', () => {
  it('keeps integers above 2^53 exact as bigint, and small ones as number', () => {
    const v = parseJsonExact('{"a": 18446744073709551615, "b": 9007199254740991, "c": -9007199254740993, "d": 1.5e3}');
    expect(v).toEqual({ a: 18446744073709551615n, b: 9007199254740991, c: -9007199254740993n, d: 1500 });
  });

  it('parses floats that look long without making them bigint', () => {
    expect(parseJsonExact('[12345678901234567.5, 1234567890123456789e2]')).toEqual([12345678901234567.5, 1234567890123456789e2]);
  });

  it('reports truncation with the pointer of the value being read', () => {
    const e = syntaxError('{"table": [{"raw": {"value": 1234567890123456789');
    expect(e.message).toMatch(/^truncated JSON/);
    expect(e.pointer).toBe('/table/0/raw');
  });

  it('reports invalid text with a pointer, escaping ~ and /', () => {
    const e = syntaxError('{"a/b": {"c~d": [1, 2, x]}, "pad": 12345678901234567}');
    expect(e.message).toMatch(/^invalid JSON/);
    expect(e.pointer).toBe('/a~1b/c~0d/2');
  });

  it.each(['', '   ', '{', '[1,]', '{"a" 1}', '"abc', '01', '-', '1.', 'nul'])('rejects %j', (text) => {
    expect(() => parseJsonExact(text)).toThrow(JsonSyntaxError);
  });

  it('reads text with long integers as the exact parser does (JSON.parse with marked integers)', () => {
    const cases = [
      '{"a": 18446744073709551615, "s": "12345678901234567890", "12345678901234567890": -9223372036854775808}',
      '[0.12345678901234567, 1e-12345678901234567, 1E+12345678901234567, 12345678901234567.5, -12345678901234567890]',
      '[9007199254740993, 9007199254740991, -9007199254740991, -9007199254740992, 1234567890123456]',
      '{"k": "\\u0000bigint:1", "n": 12345678901234567890}',
      '{"esc": "a\\"12345678901234567890\\\\", "n":\n\t12345678901234567890 }',
      // a string that spells the mark through escapes stays a string
      '["\\u0000\\u0062igint:5", 12345678901234567890]',
      // quotes after runs of backslashes: the long integers inside strings stay text
      '["\\\\", 12345678901234567890, "\\\\\\"12345678901234567891", 12345678901234567892, "\\\\\\\\"]',
    ];
    for (const text of cases) expect(parseJsonExact(text), text).toEqual(parseJsonExactSlowly(text));
    expect(parseJsonExact(cases[3]!)).toEqual({ k: '\u0000bigint:1', n: 12345678901234567890n });
    expect(parseJsonExact(cases[5]!)).toEqual(['\u0000bigint:5', 12345678901234567890n]);
    expect(parseJsonExact(cases[6]!)).toEqual(['\\', 12345678901234567890n, '\\"12345678901234567891', 12345678901234567892n, '\\\\']);
  });

  it('finds a long integer wherever it is (JSON.parse would round it)', () => {
    for (let pad = 0; pad < 40; pad++) {
      const text = `${' '.repeat(pad)}[${'1'.repeat(20)}]`;
      expect(parseJsonExact(text), `${pad} spaces`).toEqual([11111111111111111111n]);
      const digits = ' '.repeat(pad) + '["' + '7'.repeat(pad % 20) + '", 90071992547409930]';
      expect(parseJsonExact(digits)).toEqual(['7'.repeat(pad % 20), 90071992547409930n]);
    }
  });

  it.each(['{12345678901234567890: 1}', '{"a": "12345678901234567890}', '[012345678901234567890]', '[-012345678901234567890]', '[12345678901234567890'])(
    'rejects %j, with long integers, as the exact parser does',
    (text) => {
      expect(() => parseJsonExact(text)).toThrow(JsonSyntaxError);
    },
  );

  it('gives the exact parser\'s values, types included, for any document', () => {
    const big = fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map((b) => (b >= -(2n ** 53n - 1n) && b <= 2n ** 53n - 1n ? Number(b) : b));
    const digits = fc.stringMatching(/^[0-9"\\:.eE -]{0,24}$/);
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, tie('leaf'), fc.array(tie('node'), { maxLength: 4 }), fc.dictionary(fc.oneof(fc.string(), digits), tie('node'), { maxKeys: 4 })),
      leaf: fc.oneof(fc.constant(null), fc.boolean(), fc.string(), digits, big, fc.double({ noNaN: true, noDefaultInfinity: true })),
    })).node;
    fc.assert(
      fc.property(value, fc.constantFrom(undefined, 1), (v, space) => {
        const text = stringifyJsonExact(v, space);
        expect(parseJsonExact(text)).toEqual(parseJsonExactSlowly(text));
      }),
      { numRuns: 500 },
    );
  });

  it('keeps "__proto__" as data', () => {
    const v = parseJsonExact('{"__proto__": {"x": 1}, "n": 12345678901234567890}') as Record<string, unknown>;
    expect(Object.keys(v)).toEqual(['__proto__', 'n']);
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    const long = parseJsonExact('{"__proto__": 12345678901234567890, "a": [{"__proto__": -9223372036854775809}]}') as Record<string, unknown>;
    expect(Object.getOwnPropertyDescriptor(long, '__proto__')?.value).toBe(12345678901234567890n);
    expect(Object.getOwnPropertyDescriptor((long['a'] as object[])[0], '__proto__')?.value).toBe(-9223372036854775809n);
    expect(Object.getPrototypeOf(long)).toBe(Object.prototype);
  });

  it('round-trips with stringifyJsonExact', () => {
    const big = fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map((b) => (b >= -(2n ** 53n - 1n) && b <= 2n ** 53n - 1n ? Number(b) : b));
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, tie('leaf'), fc.array(tie('node'), { maxLength: 4 }), fc.dictionary(fc.string(), tie('node'), { maxKeys: 4 })),
      leaf: fc.oneof(fc.constant(null), fc.boolean(), fc.string(), big, fc.double({ min: -1e15, max: 1e15, noNaN: true })),
    })).node;
    fc.assert(
      fc.property(value, (v) => {
        const normalized = JSON.parse(JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x))) as unknown;
        const back = parseJsonExact(stringifyJsonExact(v));
        expect(JSON.stringify(back, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x))).toBe(JSON.stringify(normalized));
      }),
      { numRuns: 300 },
    );
  });
});
