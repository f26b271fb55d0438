/**
 * Backblaze Drive Stats CSV reader, fed excerpts of the real files held in memory (header + a few rows), damaged.
 * Lines are split as readline splits a file (\n, \r\n, lone \r). Only SmartParseError may escape, and only in strict
 * mode or for a bad header; a lenient read reports bad rows instead.
 */
import { readBackblazeLines } from '../../../lib/smart/backblazeCsv.js';
import { SmartParseError } from '../../../lib/smart/errors.js';
import { mutateBytes } from '../mutate.js';
import { checkSample } from '../sampleOracle.js';
import { NO_SHARED, asText, sharedBackblazeExcerpts, utf8 } from '../seeds.js';
import { oracle, type FuzzTarget, type PreparedTarget } from '../target.js';

const LINE_END = /\r?\n|\r(?!\n)/;

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
        const lines = asText(input).split(LINE_END);
        if (lines[lines.length - 1] === '') lines.pop(); // readline yields no empty last line after a final newline
        const strict = rng.chance(0.2);
        let bad = 0;
        let good = 0;
        for await (const s of readBackblazeLines(lines, 'fuzz.csv', { strict, onBadRow: () => bad++ })) {
          checkSample(s, false);
          good++;
        }
        oracle(good + bad <= lines.length, `${good} samples and ${bad} bad rows from ${lines.length} lines`);
      },
      expected: (err) => err instanceof SmartParseError,
    };
  },
};
