/**
 * Replies carrying stored samples as JSON text (StoredJsonMap, what `history` returns): spliced into JSON lines,
 * packed row by row into msgpack. Whatever the framing, the client must decode exactly what encoding the parsed
 * samples as one tree gives (the way history replies were built before).
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { encodeFrame, FRAME_HEADER_BYTES, unpackr } from '../../lib/client/wire/msgpack.js';
import { parseJsonExact, stringifyJsonExact, type JsonObject, type JsonValue } from '../../lib/util/json.js';
import { encodeFrameReply, encodeJsonLine } from '../../daemon/replyEncoding.js';
import { StoredJsonMap, type OutgoingReply } from '../../daemon/storedJsonMap.js';
import { WorkSlicer } from '../../daemon/workSlicer.js';
import { hasShared, sharedPath } from '../helpers/shared.js';
import { cephKey, smartctlDoc } from './helpers/smartctlDocs.js';

const NOW_S = 1_780_000_000;

/** Stored rows as the store holds them: stringifyJsonExact of what was ingested. */
function storedRows(docs: JsonValue[]): [string, string][] {
  return docs.map((doc, i) => [cephKey(NOW_S - i * 3600), stringifyJsonExact(doc)]);
}

/** The reply as a tree: what the history op built before stored samples were spliced. */
function asTree(reply: OutgoingReply): JsonObject {
  const tree: JsonObject = {};
  for (const [k, v] of Object.entries(reply)) {
    tree[k] = v instanceof StoredJsonMap ? Object.fromEntries(v.entries.map(([key, json]) => [key, parseJsonExact(json)])) : v;
  }
  return tree;
}

function unframe(encoded: Buffer | Buffer[]): unknown {
  const frame = Array.isArray(encoded) ? Buffer.concat(encoded) : encoded;
  expect(frame.readUInt32BE(0)).toBe(frame.length - FRAME_HEADER_BYTES);
  return unpackr.unpack(frame.subarray(FRAME_HEADER_BYTES));
}

async function jsonLine(reply: OutgoingReply): Promise<string> {
  const encoded = await encodeJsonLine(reply, slicer);
  if (typeof encoded === 'string') return encoded;
  return (Array.isArray(encoded) ? Buffer.concat(encoded) : encoded).toString('utf8');
}

/** `n` stored rows of about 2 kB each: past the size encoded at once. */
function manyRows(n: number): OutgoingReply {
  return { devid: 'MANY', samples: new StoredJsonMap(storedRows(Array.from({ length: n }, (_, i) => ({ ...smartctlDoc({ timeS: NOW_S - i }), pad: 'é'.repeat(1000) })))) };
}

const slicer = () => new WorkSlicer(() => false);

function realDocs(): JsonValue[] {
  if (!hasShared) return [];
  const dir = sharedPath('smartctl');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .slice(0, 40)
    .flatMap((f) => {
      try {
        return [parseJsonExact(readFileSync(`${dir}/${f}`, 'utf8'))];
      } catch {
        return []; // the edge-case files include damaged JSON: not something the store would hold
      }
    });
}

const awkward: JsonValue[] = [
  smartctlDoc({ timeS: NOW_S, reallocated: 2n ** 63n + 5n }),
  { ...smartctlDoc({ timeS: NOW_S - 1 }), negative64: -(2n ** 63n), huge: 340282366920938463463374607431768211456n },
  { text: 'ünïcødé ✓ 𝄞 "quoted" back\\slash\nnew line\ttab \u0000 nul \u2028', float: 0.1, tiny: 5e-324, big: 1.7976931348623157e308, neg: -0.5 },
  { deep: [[[[[[{ a: [] }]]]]]], empty: {}, nulls: [null, true, false], int32: 4_294_967_296, small: -33 },
  { error: 'smartctl failed' },
];

describe('replies with stored samples', () => {
  const docs = [...awkward, ...realDocs()];
  const reply = (): OutgoingReply => ({
    id: 7,
    ok: true,
    devid: 'DEV-1',
    samples: new StoredJsonMap(storedRows(docs)),
    predictions: [{ time: '2026-12-03T00:00:00Z', status: 'Good', p14: 0.01, p42: null, model: 'm', version: '1' }],
    truncated: 'only the newest …',
  });

  it(`splices the stored JSON into a JSON line that reads back as the parsed samples (${docs.length} documents${hasShared ? ', real smartctl output included' : '; ../shared absent: generated ones only'})`, async () => {
    const line = await jsonLine(reply());
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toMatch(/[\n\r]/);
    const expected = asTree(reply());
    expect(parseJsonExact(line)).toEqual(expected);
    expect(parseJsonExact(line)).toEqual(parseJsonExact(stringifyJsonExact(expected)));
  });

  it('packs the stored JSON into a msgpack frame that decodes as the tree would', async () => {
    const frame = encodeFrameReply(reply(), slicer);
    const expected = asTree(reply());
    const decoded = unframe(await frame);
    expect(decoded).toEqual(unframe(encodeFrame(expected)));
    // exact 64-bit integers, and beyond 64 bits a decimal string (as for any reply)
    const first = (decoded as JsonObject)['samples'] as JsonObject;
    expect(((first[cephKey(NOW_S)] as JsonObject)['ata_smart_attributes'] as JsonObject)['table']).toContainEqual(expect.objectContaining({ raw: { value: 2n ** 63n + 5n, string: String(2n ** 63n + 5n) } }));
    expect((first[cephKey(NOW_S - 3600)] as JsonObject)['huge']).toBe('340282366920938463463374607431768211456');
  });

  it('gives an empty map for no samples, and map headers of every size', async () => {
    for (const n of [0, 15, 16, 65_535, 65_536]) {
      const entries = Array.from({ length: n }, (_, i) => [`k${i}`, String(i)] as const);
      const r: OutgoingReply = { samples: new StoredJsonMap(entries) };
      const expected = { samples: Object.fromEntries(entries.map(([k, v]) => [k, Number(v)])) };
      expect(unframe(await encodeFrameReply(r, slicer))).toEqual(expected);
      expect(parseJsonExact(await jsonLine(r))).toEqual(expected);
    }
  });

  it('yields between rows of a large reply in both framings, so other clients are served meanwhile', async () => {
    let yields = 0;
    const counting = () => ({ yieldIfDue: async () => void yields++ }) as unknown as WorkSlicer;
    const frame = encodeFrameReply(manyRows(200), counting);
    expect(frame).toBeInstanceOf(Promise);
    expect(unframe(await frame)).toEqual(unframe(encodeFrame(asTree(manyRows(200)))));
    expect(yields).toBe(200);
    const line = encodeJsonLine(manyRows(200), counting);
    expect(line).toBeInstanceOf(Promise);
    expect(parseJsonExact(Buffer.concat(await (line as Promise<Buffer[]>)).toString('utf8'))).toEqual(asTree(manyRows(200)));
    expect(yields).toBe(400);
  });

  it('encodes a long top-level array (a batch\'s results) an element at a time, yielding, and decodes as the tree', async () => {
    const results = Array.from({ length: 1000 }, (_, i) => ({ ok: true, devid: `dev-${i}`, status: i % 7 ? 'Good' : 'Bad', p14: i / 1000, reasons: [], big: 2n ** 60n + BigInt(i) }));
    const reply: OutgoingReply = { results, fleet_alarm: null, n: 0 };
    let yields = 0;
    const counting = () => ({ yieldIfDue: async () => void yields++ }) as unknown as WorkSlicer;
    const frame = encodeFrameReply(reply, counting);
    expect(frame).toBeInstanceOf(Promise);
    const framePieces = await frame;
    expect(framePieces.length).toBeLessThan(10); // joined in runs, not one writev entry per element
    expect(unframe(framePieces)).toEqual(unframe(encodeFrame(reply as JsonObject)));
    expect(yields).toBe(1000);
    const line = encodeJsonLine(reply, counting);
    expect(line).toBeInstanceOf(Promise);
    const text = Buffer.concat(await (line as Promise<Buffer[]>)).toString('utf8');
    expect(text.endsWith('}\n') && !text.slice(0, -1).includes('\n')).toBe(true);
    expect(parseJsonExact(text)).toEqual(parseJsonExact(stringifyJsonExact(reply as JsonObject)));
    expect(yields).toBe(2000);
    // up to 256 elements: at once, as before
    const short = { results: results.slice(0, 256) };
    expect(encodeFrameReply(short, counting)).toEqual(encodeFrame(short));
    expect(encodeJsonLine(short, counting)).toBe(stringifyJsonExact(short) + '\n');
  });

  it('encodes a short history at once, as one buffer', async () => {
    const short = manyRows(12);
    const frame = encodeFrameReply(short, slicer);
    expect(Buffer.isBuffer(frame)).toBe(true);
    expect(unframe(frame as Buffer)).toEqual(unframe(encodeFrame(asTree(short))));
    const line = encodeJsonLine(short, slicer);
    expect(Buffer.isBuffer(line)).toBe(true);
    expect(parseJsonExact((line as Buffer).toString('utf8'))).toEqual(asTree(short));
  });

  it('re-encodes a stored row holding a raw line break (written behind the daemon) instead of breaking the framing', async () => {
    const r: OutgoingReply = { samples: new StoredJsonMap([['a', '{\n"x": 1\r\n}'], ['b', '[1,\n2]']]) };
    const line = await jsonLine(r);
    expect(line.slice(0, -1)).not.toMatch(/[\n\r]/);
    expect(parseJsonExact(line)).toEqual({ samples: { a: { x: 1 }, b: [1, 2] } });
  });

  it('encodes replies without stored samples as before', () => {
    const plain = { ok: true, n: 2n ** 64n - 1n, s: 'x' };
    expect(encodeJsonLine(plain, slicer)).toBe(stringifyJsonExact(plain) + '\n');
    expect(encodeFrameReply(plain, slicer)).toEqual(encodeFrame(plain));
  });

  it('does not keep the buffer of a large frame once it is encoded (msgpackr keeps its largest otherwise)', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const buffersNow = async () => {
      for (let i = 0; i < 3; i++) {
        gc();
        await new Promise((r) => setTimeout(r, 100)); // V8 frees dead ArrayBuffers on a background thread
      }
      return process.memoryUsage().arrayBuffers;
    };
    const before = await buffersNow();
    let frame: Buffer | undefined = encodeFrame({ results: Array.from({ length: 20_000 }, (_, i) => ({ devid: `nobody-${i}`, reason: 'x'.repeat(200) })) });
    expect(frame.length).toBeGreaterThan(4e6);
    frame = undefined;
    encodeFrame({ ok: true }); // later small replies
    // before the fix the 4+ MB stayed held by the packer
    expect((await buffersNow()) - before).toBeLessThan(1e6);
  });

  it('returns the reply reservation exactly once', () => {
    let released = 0;
    const map = new StoredJsonMap([], () => released++);
    map.done();
    map.done();
    expect(released).toBe(1);
  });
});
