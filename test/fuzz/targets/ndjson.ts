/** NDJSON framing reader: request lines in random chunks, clean (must round-trip) or damaged (typed events only). */
import { NdjsonReader } from '../../../lib/client/wire/ndjsonReader.js';
import { stringifyJsonExact } from '../../../lib/util/json.js';
import { mutateBytes } from '../mutate.js';
import type { Rng } from '../prng.js';
import type { FuzzTarget, PreparedTarget } from '../target.js';
import { checkRoundTrip, feed, wireRequests } from './wireSeeds.js';

const enc = new TextEncoder();

export const ndjsonTarget: FuzzTarget = {
  name: 'ndjson',
  prepare(): PreparedTarget {
    const reqs = wireRequests();
    const lines = reqs.map((r) => enc.encode(stringifyJsonExact(r) + '\n'));
    const pickIndexes = (rng: Rng): number[] => Array.from({ length: 1 + rng.below(4) }, () => rng.below(reqs.length));
    const stream = (idx: number[]): Uint8Array => Buffer.concat(idx.map((i) => lines[i]!));
    return {
      seedCount: reqs.length,
      generate(rng) {
        const idx = pickIndexes(rng);
        // Byte 0 says whether the case is clean; the request indexes follow it, then the stream.
        if (rng.chance(0.2)) return Buffer.concat([Uint8Array.of(0, idx.length, ...idx), stream(idx)]);
        return Buffer.concat([Uint8Array.of(1), mutateBytes(rng, stream(idx), lines, 256 * 1024)]);
      },
      run(input, rng) {
        const limit = rng.pick([256, 16 * 1024, 1024 * 1024]);
        if (input[0] === 0) {
          const idx = [...input.subarray(2, 2 + input[1]!)];
          const events = feed(new NdjsonReader(1024 * 1024), input.subarray(2 + idx.length), rng, 1024 * 1024);
          checkRoundTrip(events, idx.map((i) => reqs[i]!));
        } else feed(new NdjsonReader(limit), input.subarray(1), rng, limit);
      },
      expected: () => false, // a reader reports everything as events: nothing may be thrown
    };
  },
};
