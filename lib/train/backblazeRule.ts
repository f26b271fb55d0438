/**
 * Backblaze's published rule of thumb as a per-day score: 1 when any of raw 5, 187, 188, 197, 198
 * is above 0 that day, else 0 (NaN when none of them is reported). The comparison baseline.
 */
import type { BackblazeDrive } from '../smart/backblazeColumns.js';
import { FEATURE_ATTRIBUTES } from '../features/featurizeColumns.js';
import { BACKBLAZE_RULE_ATTRIBUTES } from '../evaluate/baselines/backblazeRule.js';

/** The rule's counters as slots of the loader's columns (it loads FEATURE_ATTRIBUTES). */
export const BACKBLAZE_RULE_SLOTS: readonly number[] = BACKBLAZE_RULE_ATTRIBUTES.map((id) => FEATURE_ATTRIBUTES.indexOf(id));

export function backblazeRuleScores(drive: BackblazeDrive): Float64Array {
  const n = drive.days.length;
  const out = new Float64Array(n).fill(NaN);
  for (const slot of BACKBLAZE_RULE_SLOTS) {
    const col = drive.raw[slot];
    if (col === undefined) continue;
    for (let i = 0; i < n; i++) {
      const v = col[i]!;
      if (v !== v) continue;
      out[i] = v > 0 ? 1 : out[i] === 1 ? 1 : 0;
    }
  }
  return out;
}
