/** The framing readers in isolation: requests split across chunks, limits, CRLF, bad input. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FrameReader } from '../../lib/client/wire/frameReader.js';
import { encodeFrame } from '../../lib/client/wire/msgpack.js';
import { NdjsonReader } from '../../lib/client/wire/ndjsonReader.js';
import type { MessageReader, ReadEvent } from '../../lib/client/wire/reader.js';
import { stringifyJsonExact, type JsonObject } from '../../lib/util/json.js';

function feed(reader: MessageReader, bytes: Buffer, cuts: number[]): ReadEvent[] {
  const events: ReadEvent[] = [];
  let prev = 0;
  for (const cut of [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b).concat(bytes.length)) {
    events.push(...reader.push(bytes.subarray(prev, cut)));
    prev = cut;
  }
  return events;
}

const requests: JsonObject[] = [
  { id: 1, op: 'predict', samples: { '20240101-000000': { counter: 18446744073709551615n, text: 'ünïcødé\n' } } },
  { op: 'health' },
  { id: 'x', op: 'history', devid: 'd', limit: 3 },
];

describe('wire readers', () => {
  it('reassemble msgpack frames however the stream is cut, keeping 64-bit integers exact', () => {
    const bytes = Buffer.concat(requests.map(encodeFrame));
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 20 }), (cuts) => {
        const events = feed(new FrameReader(1 << 20), bytes, cuts);
        expect(events).toEqual(requests.map((message) => ({ kind: 'message', message })));
      }),
    );
  });

  it('reassemble NDJSON lines however the stream is cut, accepting CRLF and skipping blank lines', () => {
    const bytes = Buffer.from(requests.map((r) => stringifyJsonExact(r)).join('\r\n\n') + '\n', 'utf8');
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 20 }), (cuts) => {
        const events = feed(new NdjsonReader(1 << 20), bytes, cuts);
        expect(events).toEqual(requests.map((message) => ({ kind: 'message', message })));
      }),
    );
  });

  it('refuse an oversize frame from its header, before the body arrives', () => {
    const header = Buffer.alloc(4);
    header.writeUInt32BE(1025, 0);
    const reader = new FrameReader(1024);
    expect(reader.push(header)).toEqual([{ kind: 'error', fatal: true, error: { code: 'FRAME_TOO_LARGE', message: expect.stringMatching(/1025/) } }]);
  });

  it('refuse an NDJSON line that outgrows the limit without a newline', () => {
    const reader = new NdjsonReader(10);
    expect(reader.push(Buffer.from('{"op":'))).toEqual([]);
    expect(reader.hasPartial).toBe(true);
    expect(reader.push(Buffer.from('"health"}'))).toEqual([{ kind: 'error', fatal: true, error: { code: 'FRAME_TOO_LARGE', message: expect.any(String) } }]);
  });

  it('report non-map messages and non-JSON msgpack values as BAD_REQUEST without losing the stream', () => {
    const frames = Buffer.concat([encodeFrame([1, 2]), encodeFrame({ op: 'predict', when: new Date(0) }), encodeFrame({ op: 'health' })]);
    const events = new FrameReader(1 << 20).push(frames);
    expect(events.map((e) => (e.kind === 'message' ? 'message' : `${e.error.code}${e.fatal ? '!' : ''}`))).toEqual(['BAD_REQUEST', 'BAD_REQUEST', 'message']);
  });

  it('name where a non-JSON msgpack value sits, as a JSON pointer', () => {
    const frames = Buffer.concat([
      encodeFrame({ op: 'predict', samples: { '20240101-000000': { table: [1, { raw: new Date(0) }] } } }),
      encodeFrame({ op: 'predict', x: Number.NaN }),
      encodeFrame({ op: 'predict', samples: [new Uint8Array(2)] }),
    ]);
    const messages = new FrameReader(1 << 20).push(frames).map((e) => (e.kind === 'error' ? e.error.message : 'message'));
    expect(messages).toEqual([
      'malformed msgpack: unsupported msgpack value (Date) at /samples/20240101-000000/table/1/raw',
      'malformed msgpack: non-finite number at /x',
      'malformed msgpack: unsupported msgpack value (Buffer) at /samples/0',
    ]);
  });

  it('answer an empty frame at once, even at the end of a chunk', () => {
    const events = new FrameReader(1 << 20).push(Buffer.concat([encodeFrame({ op: 'health' }), Buffer.from([0, 0, 0, 0])]));
    expect(events.map((e) => (e.kind === 'message' ? 'message' : e.error.message))).toEqual(['message', 'malformed msgpack: empty frame']);
  });
});
