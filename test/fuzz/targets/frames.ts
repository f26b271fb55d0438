/** Length-prefixed msgpack framing reader: frames in random chunks, clean (must round-trip) or damaged (typed events only). */
import { FrameReader } from '../../../lib/client/wire/frameReader.js';
import { encodeFrame } from '../../../lib/client/wire/msgpack.js';
import { mutateBytes } from '../mutate.js';
import type { Rng } from '../prng.js';
import type { FuzzTarget, PreparedTarget } from '../target.js';
import { checkRoundTrip, feed, wireRequests } from './wireSeeds.js';

/** msgpack pieces a hand-made body may hold: deep nesting, 64-bit and float64 numbers, huge announced lengths, bin/ext types. */
const MSGPACK_TOKENS: readonly number[][] = [
  [0x91, 0x91, 0x91, 0x91, 0x91, 0x91, 0x91, 0x91], [0xdc, 0xff, 0xff], [0xdd, 0x7f, 0xff, 0xff, 0xff], [0xdf, 0xff, 0xff, 0xff, 0xff],
  [0xcf, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], [0xd3, 0x80, 0, 0, 0, 0, 0, 0, 0], [0xcb, 0x7f, 0xf8, 0, 0, 0, 0, 0, 1],
  [0xcb, 0x7f, 0xf0, 0, 0, 0, 0, 0, 0], [0xc4, 0x04, 1, 2, 3, 4], [0xc7, 0x01, 0xff, 0], [0xd6, 0xff, 0, 0, 0, 1], [0xc1], [0xdb, 0xff, 0xff, 0xff, 0xff],
];

export const framesTarget: FuzzTarget = {
  name: 'frames',
  prepare(): PreparedTarget {
    const reqs = wireRequests();
    const frames = reqs.map((r) => new Uint8Array(encodeFrame(r)));
    const pickIndexes = (rng: Rng): number[] => Array.from({ length: 1 + rng.below(4) }, () => rng.below(reqs.length));
    const stream = (idx: number[]): Uint8Array => Buffer.concat(idx.map((i) => frames[i]!));
    const tokens = MSGPACK_TOKENS.map((t) => Uint8Array.from(t));
    return {
      seedCount: reqs.length,
      generate(rng) {
        const idx = pickIndexes(rng);
        if (rng.chance(0.2)) return Buffer.concat([Uint8Array.of(0, idx.length, ...idx), stream(idx)]);
        if (rng.chance(0.2)) {
          // A frame with a correct header around a damaged body: the body decoder is reached every time.
          const body = mutateBytes(rng, frames[idx[0]!]!.subarray(4), [...tokens, ...frames], 256 * 1024);
          const head = Buffer.alloc(4);
          head.writeUInt32BE(body.length);
          return Buffer.concat([Uint8Array.of(1), head, body]);
        }
        return Buffer.concat([Uint8Array.of(1), mutateBytes(rng, stream(idx), [...tokens, ...frames], 256 * 1024)]);
      },
      run(input, rng) {
        const limit = rng.pick([64, 16 * 1024, 1024 * 1024]);
        if (input[0] === 0) {
          const idx = [...input.subarray(2, 2 + input[1]!)];
          const events = feed(new FrameReader(1024 * 1024), input.subarray(2 + idx.length), rng, 1024 * 1024);
          checkRoundTrip(events, idx.map((i) => reqs[i]!));
        } else feed(new FrameReader(limit), input.subarray(1), rng, limit);
      },
      expected: () => false, // a reader reports everything as events: nothing may be thrown
    };
  },
};
