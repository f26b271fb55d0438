/** The protocol's msgpack decoder against msgpackr (the oracle) and against truncated, foreign and hostile input. */
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Unpackr, type Options } from 'msgpackr';
import { decodeJsonMsgpack, MAX_DEPTH, MsgpackJsonError } from '../../lib/client/wire/jsonMsgpack.js';
import { packr } from '../../lib/client/wire/msgpack.js';
import type { JsonValue } from '../../lib/util/json.js';

const oracle = new Unpackr({ useRecords: false, mapsAsObjects: true, int64AsType: 'auto' as unknown as Options['int64AsType'] });

const key = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.constantFrom('__proto__', 'constructor', 'ata_smart_attributes', 'id', 'raw', ''),
);
const scalar = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ maxLength: 40 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n }),
  fc.constantFrom(2n ** 53n - 1n, 2n ** 53n, -(2n ** 53n) + 1n, -(2n ** 53n), 2n ** 63n, 0n),
  fc.boolean(),
  fc.constant(null),
);
const { json } = fc.letrec<{ json: unknown }>((tie) => ({
  json: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('json'), { maxLength: 40 }),
    fc.dictionary(key, tie('json'), { maxKeys: 24 }),
  ),
}));

function decodeError(bytes: Uint8Array): MsgpackJsonError {
  try {
    decodeJsonMsgpack(bytes);
  } catch (err) {
    if (err instanceof MsgpackJsonError) return err;
    throw err;
  }
  throw new Error('decoded without an error');
}

/**
 * Same values, same prototypes, -0 apart from 0 (Node's strict deep equality). Vitest's toStrictEqual would also
 * compare the `constructor` properties, which a decoded map may have as an ordinary key.
 */
function expectSame(actual: unknown, expected: unknown): void {
  if (isDeepStrictEqual(actual, expected)) return;
  expect(actual).toStrictEqual(expected); // for the diff
  throw new Error('the values differ under strict deep equality');
}

/** msgpack bytes written by hand: [0x82 fixmap of 2, …]. */
const bytes = (...b: number[]) => Uint8Array.from(b);

describe('decodeJsonMsgpack', () => {
  it('decodes what msgpackr decodes: numbers, 64-bit integers at the 2^53 edges, unicode, __proto__ keys, deep values', () => {
    fc.assert(
      fc.property(json, (value) => {
        const packed = packr.pack(value);
        expectSame(decodeJsonMsgpack(packed), oracle.unpack(packed));
      }),
      { numRuns: 400 },
    );
  });

  it('keeps the key cache right when keys collide or are reused across frames', () => {
    const keys = Array.from({ length: 5000 }, (_, i) => `k${(i * 7919) % 4999}`);
    const value = Object.fromEntries(keys.map((k, i) => [k, i]));
    for (let round = 0; round < 3; round++) expect(decodeJsonMsgpack(packr.pack(value))).toStrictEqual(value);
  });

  it('refuses every truncation of a value with a MsgpackJsonError, never another error', () => {
    fc.assert(
      fc.property(json, fc.nat(), (value, cut) => {
        const packed = packr.pack(value);
        if (packed.length < 2) return;
        const prefix = packed.subarray(0, cut % packed.length);
        expect(decodeError(prefix).message).toMatch(/^truncated msgpack value at \/|bytes after the value/);
      }),
      { numRuns: 400 },
    );
  });

  it('on random bytes either refuses with a MsgpackJsonError or returns what msgpackr returns', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (input) => {
        let ours: JsonValue;
        try {
          ours = decodeJsonMsgpack(input);
        } catch (err) {
          expect(err).toBeInstanceOf(MsgpackJsonError);
          return;
        }
        expectSame(ours, oracle.unpack(input));
      }),
      { numRuns: 2000 },
    );
  });

  it('names what it refuses and where: bin, ext, timestamps, non-finite floats, odd keys, trailing bytes', () => {
    const message = (b: Uint8Array) => decodeError(b).message;
    // {"a": [1, bin8 of 1 byte]}
    expect(message(bytes(0x81, 0xa1, 0x61, 0x92, 0x01, 0xc4, 0x01, 0x00))).toBe('unsupported msgpack value (bin) at /a/1');
    expect(message(packr.pack({ when: new Date(0) }))).toBe('unsupported msgpack value (ext) at /when');
    expect(message(bytes(0x81, 0xa1, 0x78, 0xcb, 0x7f, 0xf8, 0, 0, 0, 0, 0, 0))).toBe('non-finite number at /x'); // NaN
    expect(message(bytes(0x91, 0xca, 0x7f, 0x80, 0, 0))).toBe('non-finite number at /0'); // float32 Infinity
    expect(message(bytes(0x81, 0xc3, 0x01))).toBe('map key of type boolean at /');
    expect(message(bytes(0x81, 0x90, 0x01))).toBe('map key of type array at /');
    expect(message(bytes(0x81, 0xc0, 0x01))).toBe('map key of type nil at /');
    expect(message(bytes(0x01, 0x02))).toBe('1 bytes after the value at /');
    expect(message(bytes(0xdd, 0xff, 0xff, 0xff, 0xff))).toBe('truncated msgpack value at /'); // announces 4G elements
    expect(decodeJsonMsgpack(bytes(0x82, 0x01, 0xc2, 0xcb, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0, 0xc3))).toStrictEqual({ '1': false, '1.5': true });
  });

  it(`refuses nesting deeper than ${MAX_DEPTH} levels without exhausting the stack`, () => {
    const nested = (levels: number) => Uint8Array.from([...Array<number>(levels).fill(0x91), 0x01]);
    expect(JSON.stringify(decodeJsonMsgpack(nested(MAX_DEPTH)))).toBe('['.repeat(MAX_DEPTH) + '1' + ']'.repeat(MAX_DEPTH));
    expect(decodeError(nested(MAX_DEPTH + 1)).message).toMatch(new RegExp(`^nested deeper than ${MAX_DEPTH} at /0/0/`));
    expect(decodeError(nested(1_000_000)).message).toMatch(/^nested deeper than/);
  });

  it('keeps no reference to the frame: strings are copies', () => {
    const frame = Buffer.from(packr.pack({ serial: 'ZA1B2C3D', model: 'ST4000DM000-1F2168 with a longer name than 32 bytes' }));
    const value = decodeJsonMsgpack(frame);
    frame.fill(0x20);
    expect(value).toStrictEqual({ serial: 'ZA1B2C3D', model: 'ST4000DM000-1F2168 with a longer name than 32 bytes' });
  });
});
