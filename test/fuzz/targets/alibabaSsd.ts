/**
 * Alibaba SSD failure-tag reader, fed excerpts of the real file (the header and a few rows of each anonymised model),
 * damaged, and the rule scorer on every snapshot it yields. Only SmartParseError may escape, and only in strict mode
 * or for a bad header; every sample must be in range and every verdict one of the four statuses.
 */
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { RulesPredictor } from '../../../lib/predict/rulesPredictor.js';
import { readAlibabaSsdLines } from '../../../lib/smart/alibabaSsdCsv.js';
import { SmartParseError } from '../../../lib/smart/errors.js';
import { sharedPath } from '../../helpers/sharedPaths.js';
import { mutateBytes } from '../mutate.js';
import { checkSample } from '../sampleOracle.js';
import { NO_SHARED, asText, utf8 } from '../seeds.js';
import { oracle, type FuzzTarget, type PreparedTarget } from '../target.js';

const LINE_END = /\r?\n|\r(?!\n)/;
const FILE = sharedPath('ssd', 'alibaba_ssd_2018-2019_failure_tags__dcbrain.csv.gz');

/** The header and up to `rows` rows of each model, one excerpt per model. */
function excerpts(rows: number): string[] {
  if (!existsSync(FILE)) return [];
  const [header, ...lines] = gunzipSync(readFileSync(FILE)).toString('utf8').split('\n');
  const byModel = new Map<string, string[]>();
  for (const line of lines) {
    if (line === '') continue;
    const model = line.slice(0, line.indexOf(','));
    const list = byModel.get(model) ?? [];
    if (list.length < rows) list.push(line);
    byModel.set(model, list);
  }
  return [...byModel.values()].map((l) => [header, ...l].join('\n') + '\n');
}

export const alibabaSsdTarget: FuzzTarget = {
  name: 'alibaba-ssd',
  prepare(): PreparedTarget | string {
    const seeds = utf8(excerpts(4));
    if (seeds.length === 0) return NO_SHARED;
    const rules = new RulesPredictor();
    return {
      seedCount: seeds.length,
      generate: (rng) => mutateBytes(rng, rng.pick(seeds), seeds, 64 * 1024),
      async run(input, rng) {
        const lines = asText(input).split(LINE_END);
        if (lines[lines.length - 1] === '') lines.pop();
        const strict = rng.chance(0.2);
        let bad = 0;
        let good = 0;
        for await (const snap of readAlibabaSsdLines(lines, 'fuzz.csv', { strict, onBadRow: () => bad++ })) {
          oracle(snap.history.samples.length === 1, `${snap.history.samples.length} samples in one snapshot`);
          checkSample(snap.history.samples[0]!, true);
          const p = rules.predict(snap.history);
          oracle(['Good', 'Warning', 'Bad', 'Unknown'].includes(p.status), `status ${p.status}`);
          oracle(p.status !== 'Unknown' || p.reason !== undefined, 'Unknown without a reason');
          good++;
        }
        oracle(good + bad <= lines.length, `${good} snapshots and ${bad} bad rows from ${lines.length} lines`);
      },
      expected: (err) => err instanceof SmartParseError,
    };
  },
};
