/** Leave-one-model-out results as a terminal table. */
import type { FamiliarityThresholds, ThresholdFamiliarity } from '../models/modelSchema.js';
import { MAX_THRESHOLD_ODDS_RATIO, runFamiliarity, runOnScale } from './familiarityThresholds.js';
import type { LeftOutModel, ThresholdNeed } from './leaveOneModelOut.js';
import { DEFAULT_BAD_FAR, DEFAULT_WARNING_FAR } from './alarmBudgets.js';
import { pct, ratio, textTable } from '../util/textTable.js';


/** A budget as "1.75%": the product with 100 is not exact in binary (1.7500000000000002). */
function budgetText(rate: number): string {
  return `${Number((rate * 100).toPrecision(6))}%`;
}

function needText(n: ThresholdNeed | null): string {
  return n ? `${Number.isFinite(n.threshold) ? n.threshold.toFixed(4) : '∞'} → ${pct(n.failedCaught)} caught, ${pct(n.healthyDayRate, 2)} days` : '-';
}

/**
 * What the runs would have said at a shipped model's thresholds for their familiarity class: failed drives whose
 * window maximum reaches the class's Bad threshold, healthy days at or above it (from the kept top scores: when
 * every kept score reaches it, the share is a lower bound, "≥"). Runs the class thresholds were not chosen on
 * (scores on another scale, familiarityThresholds.ts) are marked.
 */
export function formatAtClassThresholds(runs: readonly LeftOutModel[], byFamiliarity: Partial<Record<ThresholdFamiliarity, FamiliarityThresholds>>, base: FamiliarityThresholds): string {
  const head = ['left out', 'class', 'Bad at', 'failed Bad ≤30d', 'healthy Bad days', 'Warning at', 'failed Bad|Warn ≤30d', 'healthy Warn days'];
  const rows: string[][] = [head];
  for (const r of runs) {
    const f = runFamiliarity(r);
    const t = (f !== 'model' && byFamiliarity[f]) || base;
    const failed = r.scores.failedMax14.length;
    const bad = r.scores.failedMax14.filter((v) => v >= t.bad).length;
    const alarm = r.scores.failedMax14.filter((v, i) => v >= t.bad || r.scores.failedMax42[i]! >= t.warning).length;
    const hBad = r.scores.healthyTop14.filter((v) => v >= t.bad).length;
    const hWarn = r.scores.healthyTop42.filter((v) => v >= t.warning).length;
    // every kept score flagged: the true count may be higher
    const capped = (n: number, kept: number) => n === kept && kept < r.healthyDays;
    const marked = runOnScale(r, base.bad) ? f : `${f} *`;
    const badDays = `${capped(hBad, r.scores.healthyTop14.length) ? '≥ ' : ''}${ratio(hBad, r.healthyDays)}`;
    const warnDays = `${capped(hWarn, r.scores.healthyTop42.length) ? '≥' : '≤'} ${ratio(hWarn, r.healthyDays)}`;
    rows.push([r.model, marked, t.bad.toFixed(4), ratio(bad, failed), badDays, t.warning.toFixed(4), ratio(alarm, failed), warnDays]);
  }
  const skipped = runs.some((r) => !runOnScale(r, base.bad));
  return [
    'at the model\'s thresholds for each run\'s familiarity class (p14/p42 of the run\'s model; Warning days counted on p42 alone, so an upper bound):',
    textTable(rows),
    ...(skipped ? [`* not pooled for the class thresholds: the run's own Bad threshold is more than ${MAX_THRESHOLD_ODDS_RATIO}× the model's in odds, its scores are on another scale`] : []),
    '',
  ].join('\n');
}

export function formatLeaveOneModelOut(runs: readonly LeftOutModel[]): string {
  const head = ['left out', 'failed', 'Bad ≤30d', 'Bad|Warn ≤30d', 'fail-day Bad', 'healthy days', 'Bad days', 'Warn days', 'Bad at', `Bad threshold for ≤${budgetText(DEFAULT_BAD_FAR)} days`, `Warning threshold for ≤${budgetText(DEFAULT_WARNING_FAR)} days`];
  const rows: string[][] = [head];
  for (const r of runs) {
    const t = r.row?.perPredictor['model'];
    rows.push([
      r.model,
      String(t?.failedDrives ?? 0),
      t ? ratio(t.failedBad, t.failedDrives) : '-',
      t ? ratio(t.failedAlarm, t.failedDrives) : '-',
      t ? ratio(t.failureDayBad, t.failureDayScored) : '-',
      String(t?.healthyDays ?? 0),
      t?.healthyDays ? pct(t.healthyBadDays / t.healthyDays, 2) : '-',
      t?.healthyDays ? pct(t.healthyWarningDays / t.healthyDays, 2) : '-',
      r.thresholds.bad.toFixed(4),
      needText(r.badNeed),
      needText(r.warningNeed),
    ]);
  }
  return [
    'leave-one-model-out: each row is a model trained without that drive model, measured on all of its drives (failed: a Bad day in [F−30, F]; healthy: per scored day)',
    textTable(rows),
    '',
  ].join('\n');
}
