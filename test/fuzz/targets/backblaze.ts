/**
 * Backblaze Drive Stats CSV reader, fed excerpts of the real files held in memory (header + a few rows), damaged.
 * The bytes go through the file reader's line splitter (csvLines.ts) in random chunks, with a 4 KiB line bound so
 * that damage reaches it. Only SmartParseError may escape, and only in strict mode, for a bad header or for a line
 * over the bound; a lenient read reports bad rows instead.
 */
import { readBackblazeLines } from '../../../lib/smart/backblazeCsv.js';
import { splitLines } from '../../../lib/smart/csvLines.js';
import { SmartParseError } from '../../../lib/smart/errors.js';
import { mutateBytes } from '../mutate.js';
import { checkSample } from '../sampleOracle.js';
import type { Rng } from '../prng.js';
import { NO_SHARED, sharedBackblazeExcerpts, utf8 } from '../seeds.js';
import { oracle, type FuzzTarget, type PreparedTarget } from '../target.js';

const MAX_LINE_BYTES = 4096;

/** The input in chunks of 1 byte to 16 KiB, as a file stream hands them over. */
async function* chunked(input: Uint8Array, rng: Rng): AsyncGenerator<Buffer> {
  for (let at = 0; at < input.length; ) {
    const n = 1 + rng.below(rng.chance(0.3) ? 16 : 16 * 1024);
    yield Buffer.from(input.subarray(at, at + n));
    at += n;
  }
}

export const backblazeTarget: FuzzTarget = {
  name: 'backblaze',
  prepare(): PreparedTarget | string {
    const excerpts = sharedBackblazeExcerpts(6);
    if (excerpts.length === 0) return NO_SHARED;
    const seeds = utf8(excerpts);
    return {
      seedCount: seeds.length,
      generate: (rng) => mutateBytes(rng, rng.pick(seeds), seeds, 64 * 1024),
      async run(input, rng) {
        let lines = 0;
        const counted = async function* (): AsyncGenerator<string> {
          for await (const line of splitLines(chunked(input, rng), 'fuzz.csv', MAX_LINE_BYTES)) {
            // a line decodes to at most one UTF-16 unit per byte (an invalid byte to one U+FFFD)
            oracle(line.length <= MAX_LINE_BYTES, `a line of ${line.length} characters passed the ${MAX_LINE_BYTES}-byte bound`);
            lines++;
            yield line;
          }
        };
        const strict = rng.chance(0.2);
        let bad = 0;
        let good = 0;
        for await (const s of readBackblazeLines(counted(), 'fuzz.csv', { strict, onBadRow: () => bad++ })) {
          checkSample(s, false);
          good++;
        }
        oracle(good + bad <= lines, `${good} samples and ${bad} bad rows from ${lines} lines`);
      },
      expected: (err) => err instanceof SmartParseError,
    };
  },
};
