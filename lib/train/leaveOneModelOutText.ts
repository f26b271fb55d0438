/** Leave-one-model-out results as a terminal table. */
import type { LeftOutModel, ThresholdNeed } from './leaveOneModelOut.js';

function pct(x: number, digits = 1): string {
  return Number.isFinite(x) ? `${(x * 100).toFixed(digits)}%` : '-';
}

function ratio(n: number, d: number): string {
  return d > 0 ? `${pct(n / d)} (${n}/${d})` : '-';
}

function needText(n: ThresholdNeed | null): string {
  return n ? `${Number.isFinite(n.threshold) ? n.threshold.toFixed(4) : '∞'} → ${pct(n.failedCaught)} caught, ${pct(n.healthyDayRate, 2)} days` : '-';
}

export function formatLeaveOneModelOut(runs: readonly LeftOutModel[]): string {
  const head = ['left out', 'failed', 'Bad ≤30d', 'Bad|Warn ≤30d', 'fail-day Bad', 'healthy days', 'Bad days', 'Warn days', 'Bad at', 'Bad threshold for ≤0.5% days', 'Warning threshold for ≤2% days'];
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
  const widths = head.map((_, c) => Math.max(...rows.map((row) => (row[c] ?? '').length)));
  const lines = rows.map((row) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '));
  return [
    'leave-one-model-out: each row is a model trained without that drive model, measured on all of its drives (failed: a Bad day in [F−30, F]; healthy: per scored day)',
    ...lines,
    '',
  ].join('\n');
}
