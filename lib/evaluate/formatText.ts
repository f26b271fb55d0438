/** The evaluation as plain-text tables for a terminal. */
import { countNoun } from '../util/plural.js';
import { pct, ratio, textTable } from '../util/textTable.js';
import type { EvaluationResult, PredictorResult } from './evaluateRun.js';
import type { ModelTally } from './byModel.js';


function name(p: PredictorResult): string {
  return p.kind === 'model' ? `${p.model.name} ${p.model.version}` : p.model.name;
}

export function formatEvaluation(r: EvaluationResult): string {
  const out: string[] = [];
  out.push(`drives: ${r.failedDrives} failed, ${r.healthyDrives} healthy; window ${r.windowDays} days; healthy weight ${r.healthyWeight}`);
  out.push('');
  const head = ['predictor', 'scored', ...r.farPoints.map((f) => `FDR@FAR${pct(f, f < 0.01 ? 1 : 0)} [95% CI]`), 'Bad: FDR', 'FAR', 'precision', 'lead med [q1-q3]'];
  const rows = r.predictors.map((p) => {
    const op = p.operatingPoint;
    // Scored no day: no figures at all, rather than 0 % that reads as a result.
    if (p.coverage.scoredDays === 0) return [name(p), pct(0, 0), ...p.metrics.points.map(() => 'n/a'), 'n/a', 'n/a', 'n/a', 'n/a'];
    return [
      name(p),
      pct(p.coverage.driveDays ? p.coverage.scoredDays / p.coverage.driveDays : NaN, 0),
      ...p.metrics.points.map((pt, k) => `${pct(pt.fdr)} [${pct(p.intervals[k]?.low ?? NaN)}-${pct(p.intervals[k]?.high ?? NaN)}]`),
      pct(op.fdr),
      pct(op.farAchieved, 2),
      pct(op.precision),
      op.leadDays.count ? `${op.leadDays.median} [${op.leadDays.q1}-${op.leadDays.q3}]` : '-',
    ];
  });
  out.push(textTable([head, ...rows]));
  out.push('');
  out.push('per vendor (FDR / FAR at each predictor\'s own Bad alarm):');
  out.push(
    textTable([
      ['vendor', 'failed', 'healthy', ...r.predictors.map(name)],
      ...r.vendors.map((v) => [
        v.vendor,
        String(v.failedDrives),
        String(v.healthyDrives),
        ...r.predictors.map((p) => {
          const o = v.operatingPoints[p.id];
          if (p.coverage.scoredDays === 0) return 'n/a';
          return o ? `${pct(o.fdr)} / ${pct(o.far, 2)}` : '-';
        }),
      ]),
    ]),
  );
  if (r.byModel) out.push('', ...formatByModel(r));
  for (const p of r.predictors) {
    const unknown = p.coverage.driveDays - p.coverage.scoredDays;
    if (unknown > 0) out.push(`${name(p)}: ${unknown} drive-days Unknown (${p.coverage.unknownReasons.map((u) => `${u.reason}: ${u.count}`).join('; ')})`);
  }
  out.push('');
  out.push(r.issues.length ? 'skipped / repaired:' : 'skipped / repaired: nothing');
  for (const i of r.issues) out.push(`  ${i.kind}: ${i.reason}: ${countNoun(i.count, i.unit)}${i.examples.length ? ` (e.g. ${i.examples.join('; ')})` : ''}`);
  return out.join('\n') + '\n';
}

/** One row per drive model and predictor: failed drives caught in the window, healthy alarms per drive and per day. */
export function formatByModel(r: EvaluationResult): string[] {
  const rows = r.byModel ?? [];
  const head = ['drive model', 'predictor', 'failed', `Bad ≤${r.windowDays}d`, `Bad|Warn ≤${r.windowDays}d`, 'fail-day Bad', 'healthy', 'Bad drives', 'Bad days', 'Warn days', 'Σ5/187/197/198 at equal rate'];
  const lines: string[][] = [head];
  for (const row of rows) {
    for (const p of r.predictors) {
      const t: (ModelTally & { heuristic: unknown }) | undefined = row.perPredictor[p.id];
      if (!t || p.coverage.scoredDays === 0) continue;
      const h = row.perPredictor[p.id]!.heuristic;
      lines.push([
        row.model,
        name(p),
        String(t.failedDrives),
        ratio(t.failedBad, t.failedDrives),
        ratio(t.failedAlarm, t.failedDrives),
        ratio(t.failureDayBad, t.failureDayScored),
        String(t.healthyDrives),
        ratio(t.healthyBadDrives, t.healthyDrives),
        t.healthyDays ? pct(t.healthyBadDays / t.healthyDays, 2) : '-',
        t.healthyDays ? pct(t.healthyWarningDays / t.healthyDays, 2) : '-',
        h ? `${pct(h.failedCaught)} (≥${Number.isFinite(h.threshold) ? h.threshold : '∞'}, ${pct(h.healthyDayRate, 2)} days)` : '-',
      ]);
    }
  }
  return [
    `per drive model (each predictor's own statuses; failed drives: a Bad day in [F−${r.windowDays}, F], failure day included; healthy: drives with a Bad day, and Bad / Warning days per scored day):`,
    textTable(lines),
  ];
}
