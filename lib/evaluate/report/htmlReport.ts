/**
 * The evaluation as one self-contained HTML file: inline CSS and SVG, no network, no external
 * script. The only script is a few inline lines that mark, on <body>, how many charts the browser
 * actually laid out (what the headless-browser test checks).
 */
import { countNoun } from '../../util/plural.js';
import type { EvaluationResult, PredictorResult } from '../evaluateRun.js';
import { curveChart } from './curveChart.js';
import { esc, num, pct, SERIES_COLORS } from './html.js';
import { leadHistogram } from './leadHistogram.js';

export interface ReportInput {
  result: EvaluationResult;
  /** the model's own description (name, version, training, thresholds…), shown as given */
  modelMetadata?: Record<string, unknown>;
  /** ISO time the report was made */
  generated: string;
}

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px auto;max-width:1000px;color:#212529;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #dee2e6;padding-bottom:4px}
.sub{color:#6c757d}table{border-collapse:collapse;margin:8px 0}th,td{border:1px solid #dee2e6;padding:4px 8px;text-align:right}
th{background:#f1f3f5}td.l,th.l{text-align:left}.ci{color:#6c757d;font-size:12px}
.chart{max-width:100%;height:auto;background:#fff}.grid{stroke:#e9ecef}.far-mark{stroke:#adb5bd;stroke-dasharray:4 3}.far-mark-label{font-size:10px;fill:#868e96}
.tick{font-size:11px;fill:#495057}.axis-label{font-size:12px;fill:#212529}.legend text{font-size:12px}
.curve{fill:none;stroke-width:2.5}.operating-point{fill:#fff;stroke-width:2.5}
.matrix td{min-width:110px}.note{color:#495057;font-size:13px}dl{display:grid;grid-template-columns:max-content auto;gap:2px 16px}
dt{font-weight:600}dd{margin:0;word-break:break-word}.meta-list{margin:0;padding-left:18px}.na{color:#868e96}code{font-size:12px}pre{font-size:11px;max-height:360px;overflow:auto;background:#f8f9fa;padding:6px}`;

// Counts charts with a non-empty layout box; the test reads the attribute from the dumped DOM.
const RENDER_CHECK = `document.addEventListener('DOMContentLoaded',function(){var n=0;document.querySelectorAll('svg.chart').forEach(function(s){var b=s.getBBox();if(b.width>0&&b.height>0)n++;});document.body.setAttribute('data-charts-rendered',String(n));});`;

/** A predictor that scored no day has no figures: "n/a", never a 0 % that reads as a result. */
function scoredAny(p: PredictorResult): boolean {
  return p.coverage.scoredDays > 0;
}

const NA = '<span class="na">n/a</span>';

function label(p: PredictorResult): string {
  return p.kind === 'model' ? `${p.model.name} ${p.model.version}` : p.model.name;
}

function summaryTable(r: EvaluationResult): string {
  const head =
    `<tr><th class="l">predictor</th><th>scored days</th>` +
    r.farPoints.map((f) => `<th>FDR at FAR ≤ ${esc(pct(f, f < 0.01 ? 1 : 0))}<div class="ci">95% bootstrap</div></th>`).join('') +
    `<th>own alarm (Bad): FDR</th><th>FAR</th><th>precision (W=${esc(r.healthyWeight)})</th><th>lead days median [q1–q3]</th></tr>`;
  const rows = r.predictors.map((p) => {
    const cover = p.coverage.driveDays === 0 ? NaN : p.coverage.scoredDays / p.coverage.driveDays;
    if (!scoredAny(p)) {
      return `<tr><td class="l">${esc(label(p))}</td><td>${esc(pct(cover))}</td>${p.metrics.points.map(() => `<td>${NA}</td>`).join('')}<td>${NA}</td><td>${NA}</td><td>${NA}</td><td>${NA}</td></tr>`;
    }
    const fars = p.metrics.points
      .map((pt, k) => {
        const ci = p.intervals[k];
        return `<td>${esc(pct(pt.fdr))}<div class="ci">${ci ? `${esc(pct(ci.low))}–${esc(pct(ci.high))}` : ''}</div></td>`;
      })
      .join('');
    const op = p.operatingPoint;
    const lead = op.leadDays.count > 0 ? `${num(op.leadDays.median)} [${num(op.leadDays.q1)}–${num(op.leadDays.q3)}]` : '–';
    return `<tr><td class="l">${esc(label(p))}</td><td>${esc(pct(cover))}</td>${fars}<td>${esc(pct(op.fdr))}</td><td>${esc(pct(op.farAchieved, 2))}</td><td>${esc(pct(op.precision))}</td><td>${esc(lead)}</td></tr>`;
  });
  return `<table id="summary">${head}${rows.join('')}</table>`;
}

function confusionMatrix(p: PredictorResult, healthyWeight: number): string {
  const op = p.operatingPoint;
  const weighted = healthyWeight !== 1 ? ` <span class="ci">(×${esc(healthyWeight)} = ${esc(num(op.falseAlarms * healthyWeight, 0))})</span>` : '';
  const weightedTn = healthyWeight !== 1 ? ` <span class="ci">(×${esc(healthyWeight)} = ${esc(num(op.trueNegatives * healthyWeight, 0))})</span>` : '';
  return `<table class="matrix" id="confusion-matrix">
<tr><th class="l"></th><th>alarm (Bad) in the window</th><th>no alarm</th></tr>
<tr><th class="l">failed drives (${op.failedDrives})</th><td>${op.detected} detected</td><td>${op.missed} missed</td></tr>
<tr><th class="l">healthy drives (${op.healthyDrives})</th><td>${op.falseAlarms} false alarms${weighted}</td><td>${op.trueNegatives} quiet${weightedTn}</td></tr>
</table>`;
}

function vendorTable(r: EvaluationResult): string {
  const head = `<tr><th class="l">vendor</th><th>failed</th><th>healthy</th>${r.predictors.map((p) => `<th>${esc(label(p))}<div class="ci">FDR / FAR at own alarm</div></th>`).join('')}</tr>`;
  const rows = r.vendors.map(
    (v) =>
      `<tr><td class="l">${esc(v.vendor)}</td><td>${v.failedDrives}</td><td>${v.healthyDrives}</td>${r.predictors
        .map((p) => {
          const o = v.operatingPoints[p.id];
          if (!scoredAny(p)) return `<td>${NA}</td>`;
          return `<td>${o ? `${esc(pct(o.fdr))} / ${esc(pct(o.far, 2))}` : '–'}</td>`;
        })
        .join('')}</tr>`,
  );
  return `<table id="vendors">${head}${rows.join('')}</table>`;
}

function ratioCell(n: number, d: number): string {
  return d > 0 ? `${esc(pct(n / d))} <span class="ci">${n}/${d}</span>` : '–';
}

/** `evaluate --by-model`: one row per drive model and predictor (definitions in lib/evaluate/byModel.ts). */
function byModelTable(r: EvaluationResult): string {
  if (!r.byModel) return '';
  const head = `<tr><th class="l">drive model</th><th class="l">predictor</th><th>failed</th><th>Bad ≤${r.windowDays}d</th><th>Bad or Warning ≤${r.windowDays}d</th><th>failure-day Bad</th><th>healthy</th><th>Bad drives</th><th>Bad days</th><th>Warning days</th><th>Σ raw 5/187/197/198<div class="ci">at the same healthy Bad-day rate</div></th></tr>`;
  const rows: string[] = [];
  for (const m of r.byModel) {
    for (const p of r.predictors) {
      const t = m.perPredictor[p.id];
      if (!t || !scoredAny(p)) continue;
      const h = t.heuristic;
      rows.push(
        `<tr><td class="l">${esc(m.model)}</td><td class="l">${esc(label(p))}</td><td>${t.failedDrives}</td><td>${ratioCell(t.failedBad, t.failedDrives)}</td><td>${ratioCell(t.failedAlarm, t.failedDrives)}</td><td>${ratioCell(t.failureDayBad, t.failureDayScored)}</td><td>${t.healthyDrives}</td><td>${ratioCell(t.healthyBadDrives, t.healthyDrives)}</td><td>${t.healthyDays ? esc(pct(t.healthyBadDays / t.healthyDays, 2)) : '–'}</td><td>${t.healthyDays ? esc(pct(t.healthyWarningDays / t.healthyDays, 2)) : '–'}</td><td>${h ? `${esc(pct(h.failedCaught))} <span class="ci">≥${esc(Number.isFinite(h.threshold) ? String(h.threshold) : '∞')}</span>` : '–'}</td></tr>`,
      );
    }
  }
  return `<h2>Per drive model</h2><table id="by-model">${head}${rows.join('')}</table><p class="note">Failed drives: a Bad (or Warning) day in the ${r.windowDays} days before the failure, the failure day included (one-day snapshot files have only that day). Healthy drives: drives with any Bad day, and Bad / Warning days per scored day (files of isolated control days support only the per-day rate). The last column is the plain heuristic thresholded so that its healthy per-day rate is at most the predictor's own healthy Bad-day rate on that drive model.</p>`;
}

function issuesSection(r: EvaluationResult): string {
  if (r.issues.length === 0) return '<p class="note">Nothing was skipped or repaired.</p>';
  const rows = r.issues.map(
    (i) => `<tr><td class="l">${esc(i.kind)}</td><td class="l">${esc(i.reason)}</td><td>${esc(countNoun(i.count, i.unit))}</td><td class="l"><code>${esc(i.examples.join('; '))}</code></td></tr>`,
  );
  return `<table><tr><th class="l">kind</th><th class="l">reason</th><th>count</th><th class="l">examples</th></tr>${rows.join('')}</table>`;
}

function coverageNotes(r: EvaluationResult): string {
  const notes = r.predictors
    .filter((p) => p.coverage.unknownReasons.length > 0)
    .map(
      (p) =>
        `<li>${esc(label(p))}: ${p.coverage.driveDays - p.coverage.scoredDays} of ${p.coverage.driveDays} drive-days Unknown — ${esc(
          p.coverage.unknownReasons.map((u) => `${u.reason} (${u.count})`).join('; '),
        )}</li>`,
    );
  return notes.length > 0 ? `<ul class="note">${notes.join('')}</ul>` : '';
}

/** Model metadata numbers at 4 significant digits: a threshold of 0.41353430350955767 reads as 0.4135. */
function metaNumber(v: number): string {
  return Number.isInteger(v) ? v.toLocaleString('en-US') : String(Number(v.toPrecision(4)));
}

function metaScalar(v: unknown): string {
  if (typeof v === 'number') return esc(metaNumber(v));
  if (typeof v === 'bigint') return esc(v.toString());
  if (v === null || v === undefined) return '–';
  return esc(String(v));
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** One entry of a list of objects (training files, per-file figures): its name first, then its scalar fields. */
function metaListItem(o: Record<string, unknown>): string {
  const nameKey = ['name', 'file', 'id'].find((k) => typeof o[k] === 'string');
  const fields = Object.entries(o)
    .filter(([k, v]) => k !== nameKey && !isRecord(v) && !Array.isArray(v))
    .map(([k, v]) => `${esc(k)} ${k === 'sha256' && typeof v === 'string' ? `<code>${esc(v.slice(0, 12))}…</code>` : metaScalar(v)}`);
  return `${nameKey ? `<code>${esc(String(o[nameKey]))}</code>` : ''}${fields.length ? ` <span class="ci">${fields.join(' · ')}</span>` : ''}`;
}

/** Folded when long, so the section stays a page. */
function fold(summary: string, body: string, long: boolean): string {
  return long ? `<details><summary>${summary}</summary>${body}</details>` : body;
}

function metaValue(v: unknown, depth: number): string {
  if (!isRecord(v) && !Array.isArray(v)) return metaScalar(v);
  if (Array.isArray(v)) {
    if (v.every((e) => !isRecord(e) && !Array.isArray(e))) {
      if (v.length === 2 && v.every((e) => typeof e === 'string')) return `${esc(String(v[0]))} – ${esc(String(v[1]))}`;
      return fold(`${v.length} items`, `<code>${v.map(metaScalar).join(', ')}</code>`, v.length > 8);
    }
    const items = v.map((e) => `<li>${isRecord(e) ? metaListItem(e) : metaValue(e, depth + 1)}</li>`);
    return fold(`${v.length} items`, `<ul class="meta-list">${items.join('')}</ul>`, v.length > 8);
  }
  if (depth >= 2) return `<code>${esc(JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : typeof x === 'number' && !Number.isInteger(x) ? Number(x.toPrecision(4)) : x)))}</code>`;
  const entries = Object.entries(v).map(([k, x]) => `<dt>${esc(k)}</dt><dd>${metaValue(x, depth + 1)}</dd>`);
  const text = JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x)) ?? '';
  return fold(esc(Object.keys(v).join(', ')), `<dl>${entries.join('')}</dl>`, depth > 0 || text.length > 2000);
}

function metadataList(meta: Record<string, unknown> | undefined, p: PredictorResult | undefined): string {
  const entries: Array<[string, string]> = [];
  if (p) entries.push(['model', esc(`${p.model.name} ${p.model.version}`)]);
  for (const [key, value] of Object.entries(meta ?? {})) entries.push([key, metaValue(value, 0)]);
  return `<dl id="model-metadata">${entries.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${v}</dd>`).join('')}</dl>`;
}

export function renderHtmlReport(input: ReportInput): string {
  const r = input.result;
  const main = r.predictors.find((p) => p.kind === 'model') ?? r.predictors[0];
  const mainIndex = main ? r.predictors.indexOf(main) : 0;
  const curve = curveChart(
    r.predictors.map((p) => ({ label: label(p), points: p.curve, operatingPoint: { far: p.operatingPoint.farAchieved, fdr: p.operatingPoint.fdr }, scored: scoredAny(p) })),
    r.farPoints,
  );
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>diskpredict evaluation${main ? ` — ${esc(label(main))}` : ''}</title><style>${STYLE}</style></head>
<body>
<h1>Disk-failure prediction: evaluation</h1>
<div class="sub">${r.failedDrives} failed and ${r.healthyDrives} healthy drives · detection window ${r.windowDays} days before the failure · generated ${esc(input.generated)}</div>
<p class="note">A failed drive counts as detected when the predictor alarms on some day in the ${r.windowDays} days before its failure; a healthy drive is a false alarm when it alarms on any day. FDR = detected / failed drives; FAR = false alarms / healthy drives. "FDR at FAR ≤ x" uses the lowest threshold whose FAR stays within x. Healthy drives are weighted by W=${esc(r.healthyWeight)} in precision only.</p>
<h2>Detection vs false alarms</h2>
${curve}
<p class="note">Rings: each predictor's own alarm (its Bad status). Dashed lines, labelled above the chart: the FAR budgets of the table's columns. Rule baselines are yes/no, so their curve is a single step. A predictor that scored no day (every day Unknown) has no curve and "n/a" in the tables.</p>
${summaryTable(r)}
${coverageNotes(r)}
${main && !scoredAny(main) ? `<p class="note">${esc(label(main))} scored no day (every day Unknown): no confusion matrix and no lead times.</p>` : ''}
${main && scoredAny(main) ? `<h2>Confusion matrix: ${esc(label(main))} at its own alarm</h2>${confusionMatrix(main, r.healthyWeight)}` : ''}
${main && scoredAny(main) ? `<h2>Lead time: ${esc(label(main))} at its own alarm (${main.leadTimes.length} drives)</h2>${leadHistogram(main.leadTimes, r.windowDays, SERIES_COLORS[mainIndex % SERIES_COLORS.length]!)}<p class="note">Lead times stop at ${r.windowDays} days: a drive already alarming when its window opens counts as ${r.windowDays}.</p>` : ''}
<h2>Per vendor</h2>
${vendorTable(r)}
${byModelTable(r)}
<h2>Skipped and repaired input</h2>
<div id="skipped">${issuesSection(r)}</div>
<h2>Model</h2>
${metadataList(input.modelMetadata, main)}
<h2>Data</h2>
<ul>${r.data.map((d) => `<li><code>${esc(d)}</code></li>`).join('')}</ul>
<script>${RENDER_CHECK}</script>
</body></html>
`;
}
