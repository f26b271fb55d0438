/**
 * `score` on a directory of smartctl files keys drives by devid (issue 15 item 3): it used to key
 * them by serial alone, so the shared folder's 154 device files (serials `REDACTED` upstream)
 * became 17 "drives".
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { loadModelOrBaseline } from '../../lib/evaluate/loadPredictors.js';
import { runScore } from '../../lib/evaluate/scoreRun.js';
import { describeShared, sharedPath } from '../helpers/shared.js';
import { tempDir } from './backblazeFixture.js';

describeShared('score on the shared smartctl files', () => {
  it('154 device files are 154 drives; files sharing a devid they cannot share are tallied, not merged', async () => {
    const out = join(tempDir('score-identity'), 'scores.csv');
    const { predictor } = loadModelOrBaseline(undefined);
    const r = await runScore([sharedPath('smartctl')], predictor, out);
    expect(r.drives).toBe(154);
    expect(r.driveDays).toBe(154);
    const keys = readFileSync(out, 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[0]);
    expect(new Set(keys).size).toBe(154);
    expect(keys).toContain('ST10000NM001G-2MW103_ZLW26G7Q');
    const clash = r.tally.list().find((i) => i.reason.startsWith('files sharing a devid'));
    expect(clash?.count).toBe(14);
  });
});
