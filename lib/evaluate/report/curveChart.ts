/**
 * FDR-vs-FAR chart as inline SVG. FAR is on a log axis (operators care about 0.1–2 %, which a
 * linear axis squeezes into its first pixels); points with FAR 0 sit on the left edge. Each
 * predictor is a step line; its own operating point (Bad status) is a ring on the same colour.
 */
import type { CurvePoint } from '../perDriveMetrics.js';
import { esc, pct, SERIES_COLORS } from './html.js';

export interface CurveSeries {
  label: string;
  points: readonly CurvePoint[];
  operatingPoint?: { far: number; fdr: number };
  /** false when the predictor scored no day: no curve, "n/a" in the legend (a line at 0 % would be a result) */
  scored?: boolean;
}

const W = 640;
const H = 400;
const M = { left: 56, right: 16, top: 30, bottom: 48 };
const FAR_MIN = 1e-4;
const FAR_MAX = 1;

function x(far: number): number {
  const f = Math.min(FAR_MAX, Math.max(FAR_MIN, far));
  const t = (Math.log10(f) - Math.log10(FAR_MIN)) / (Math.log10(FAR_MAX) - Math.log10(FAR_MIN));
  return M.left + t * (W - M.left - M.right);
}

function y(fdr: number): number {
  return H - M.bottom - fdr * (H - M.top - M.bottom);
}

function stepPath(points: readonly CurvePoint[]): string {
  const usable = points.filter((p) => Number.isFinite(p.far) && Number.isFinite(p.fdr));
  if (usable.length === 0) return '';
  let d = `M${x(usable[0]!.far).toFixed(1)},${y(usable[0]!.fdr).toFixed(1)}`;
  for (let i = 1; i < usable.length; i++) {
    // Lowering the threshold moves right (more false alarms) then up (more detections).
    d += `H${x(usable[i]!.far).toFixed(1)}V${y(usable[i]!.fdr).toFixed(1)}`;
  }
  return d;
}

export function curveChart(series: readonly CurveSeries[], farMarks: readonly number[]): string {
  const parts: string[] = [];
  for (let e = -4; e <= 0; e++) {
    const gx = x(10 ** e);
    parts.push(`<line class="grid" x1="${gx}" y1="${M.top}" x2="${gx}" y2="${H - M.bottom}"/>`);
    parts.push(`<text class="tick" x="${gx}" y="${H - M.bottom + 16}" text-anchor="middle">${esc(pct(10 ** e, e < -2 ? 2 : 0))}</text>`);
  }
  for (let k = 0; k <= 5; k++) {
    const gy = y(k / 5);
    parts.push(`<line class="grid" x1="${M.left}" y1="${gy}" x2="${W - M.right}" y2="${gy}"/>`);
    parts.push(`<text class="tick" x="${M.left - 6}" y="${gy + 4}" text-anchor="end">${k * 20}%</text>`);
  }
  for (const [k, far] of farMarks.entries()) {
    parts.push(`<line class="far-mark" x1="${x(far)}" y1="${M.top}" x2="${x(far)}" y2="${H - M.bottom}"><title>FAR budget ${esc(pct(far))}</title></line>`);
    // Labelled above the plot: the first with what the lines are, the rest with their value only (they sit close).
    const text = k === 0 ? `FAR budget ${pct(far, far < 0.01 ? 1 : 0)}` : pct(far, far < 0.01 ? 1 : 0);
    parts.push(`<text class="far-mark-label" x="${x(far)}" y="${M.top - 8}" text-anchor="${k === 0 ? 'end' : 'middle'}">${esc(text)}</text>`);
  }
  series.forEach((s, i) => {
    const color = SERIES_COLORS[i % SERIES_COLORS.length]!;
    const scored = s.scored ?? true;
    const d = scored ? stepPath(s.points) : '';
    if (d) parts.push(`<path class="curve" data-series="${esc(s.label)}" d="${d}" stroke="${color}"><title>${esc(s.label)}</title></path>`);
    const op = s.operatingPoint;
    if (scored && op && Number.isFinite(op.far) && Number.isFinite(op.fdr)) {
      parts.push(
        `<circle class="operating-point" cx="${x(op.far).toFixed(1)}" cy="${y(op.fdr).toFixed(1)}" r="5" stroke="${color}"><title>${esc(s.label)} operating point: FDR ${esc(pct(op.fdr))} at FAR ${esc(pct(op.far, 2))}</title></circle>`,
      );
    }
    parts.push(
      `<g class="legend" transform="translate(${M.left + 10},${M.top + 10 + i * 18})"><line x1="0" y1="0" x2="18" y2="0" stroke="${color}" stroke-width="3"/><text x="24" y="4">${esc(scored ? s.label : `${s.label}: n/a (scored no day)`)}</text></g>`,
    );
  });
  parts.push(`<text class="axis-label" x="${(M.left + W - M.right) / 2}" y="${H - 8}" text-anchor="middle">false alarm rate (healthy drives flagged, log scale)</text>`);
  parts.push(`<text class="axis-label" transform="translate(14,${(M.top + H - M.bottom) / 2}) rotate(-90)" text-anchor="middle">failed drives detected</text>`);
  return `<svg id="fdr-far-curve" class="chart" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="FDR versus FAR">${parts.join('')}</svg>`;
}
