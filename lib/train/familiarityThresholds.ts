/**
 * Thresholds for drives whose model the default model never saw, chosen on leave-one-model-out runs
 * (leaveOneModelOut.ts): each run is a drive model measured by a model trained without it, and how familiar
 * that model then was with it (same family, same vendor only, nothing) says which class the run speaks for.
 * Per class, the healthy days of its runs are pooled and the Bad (Warning) threshold is the lowest keeping
 * the pooled healthy per-day rate within the budget — the way the base thresholds pool the population files'
 * drives — but never below the base thresholds: an unfamiliar drive is never judged more eagerly than a
 * familiar one, and a less familiar class never more eagerly than a more familiar one (family ≤ vendor ≤ none).
 * A class without runs takes the strictest thresholds chosen.
 *
 * A run speaks for this model only when its scores are on this model's scale: its own Bad threshold, chosen the
 * same way on its own population validation drives, must be within a factor MAX_THRESHOLD_ODDS_RATIO (in odds) of
 * the base one. Leaving out ST4000DM000 removes most of the population rows the heads are calibrated against, and
 * that run's Bad threshold is 0.978 against 0.473: its healthy days would set every class above 0.94.
 */
import type { FamiliarityThresholds, ThresholdFamiliarity } from '../models/modelSchema.js';
import { familiarityOf, trainedDriveModels } from '../predict/familiarity.js';
import { inferVendor } from '../smart/vendor.js';
import type { LeftOutModel } from './leaveOneModelOut.js';
import { nextUp } from './thresholdAtRate.js';

/** Other runs' Bad thresholds are within 1.3 in odds of the base (0.46–0.53 against 0.47). */
export const MAX_THRESHOLD_ODDS_RATIO = 2;

export interface FamiliarityChoice {
  thresholds: Partial<Record<ThresholdFamiliarity, FamiliarityThresholds>>;
  /** runs left out of every class because their scores are on another scale (see the file comment) */
  skipped: Array<{ model: string; bad: number }>;
  /** per class: the runs it pooled and the thresholds their healthy days alone needed */
  classes: Array<{ familiarity: ThresholdFamiliarity; models: string[]; healthyDays: number; pooledBad: number; pooledWarning: number }>;
}

/** How familiar the run's model was with the drive model it left out. */
export function runFamiliarity(run: Pick<LeftOutModel, 'model' | 'trainedDriveModels'>): ThresholdFamiliarity | 'model' {
  return familiarityOf({ model: run.model, vendor: inferVendor(run.model) }, trainedDriveModels(run.trainedDriveModels));
}

/** The (allowed + 1)-th highest of the pooled top scores, just above: flags at most `allowed` of `total` days. */
function pooledThreshold(tops: readonly (readonly number[])[], total: number, budget: number): number {
  const allowed = Math.floor(budget * total + 1e-9);
  const merged = tops.flat().sort((a, b) => b - a);
  if (allowed >= merged.length) throw new Error(`leave-one-model-out scores keep the top ${merged.length} of ${total} healthy days; a ${budget} budget needs ${allowed + 1}`);
  return nextUp(merged[allowed]!);
}

export function familiarityThresholds(
  runs: readonly LeftOutModel[],
  base: { bad: number; warning: number },
  budgets: { bad: number; warning: number },
): FamiliarityChoice {
  const byClass = new Map<ThresholdFamiliarity, LeftOutModel[]>();
  const skipped: FamiliarityChoice['skipped'] = [];
  for (const run of runs) {
    if (!runOnScale(run, base.bad)) {
      skipped.push({ model: run.model, bad: run.thresholds.bad });
      continue;
    }
    const f = runFamiliarity(run);
    if (f === 'model' || run.healthyDays === 0) continue;
    if (!byClass.has(f)) byClass.set(f, []);
    byClass.get(f)!.push(run);
  }
  const classes: FamiliarityChoice['classes'] = [];
  const thresholds: FamiliarityChoice['thresholds'] = {};
  for (const f of ['family', 'vendor', 'none'] as const) {
    const members = byClass.get(f);
    if (!members) continue;
    const total = members.reduce((s, r) => s + r.healthyDays, 0);
    const pooledBad = pooledThreshold(members.map((r) => r.scores.healthyTop14), total, budgets.bad);
    const pooledWarning = pooledThreshold(members.map((r) => r.scores.healthyTop42), total, budgets.warning);
    classes.push({ familiarity: f, models: members.map((r) => r.model), healthyDays: total, pooledBad, pooledWarning });
    const bad = Math.max(base.bad, pooledBad);
    thresholds[f] = { bad, warning: Math.min(bad, Math.max(base.warning, pooledWarning)) };
  }
  if (Object.keys(thresholds).length === 0) return { thresholds, classes, skipped };
  // Less familiar is never judged more eagerly than more familiar: family ≤ vendor ≤ none, each at least the base.
  let floor = { bad: base.bad, warning: base.warning };
  for (const f of ['family', 'vendor', 'none'] as const) {
    const t = thresholds[f];
    floor = t ? { bad: Math.max(floor.bad, t.bad), warning: Math.max(floor.warning, t.warning) } : floor;
    thresholds[f] = { bad: floor.bad, warning: Math.min(floor.bad, floor.warning) };
  }
  // A class without runs takes the strictest chosen (the loop above gives it the class before it; none gets all).
  const strictest = { bad: floor.bad, warning: Math.min(floor.bad, floor.warning) };
  for (const f of ['family', 'vendor'] as const) if (!byClass.has(f)) thresholds[f] = strictest;
  return { thresholds, classes, skipped };
}

/** Whether the run's scores are on the scale of a model whose Bad threshold is `baseBad` (see the file comment). */
export function runOnScale(run: Pick<LeftOutModel, 'thresholds'>, baseBad: number): boolean {
  const logit = (p: number) => Math.log(p / (1 - p));
  return Math.abs(logit(run.thresholds.bad) - logit(baseBad)) <= Math.log(MAX_THRESHOLD_ODDS_RATIO);
}
