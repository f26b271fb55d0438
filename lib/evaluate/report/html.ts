/** Minimal HTML building: everything interpolated into the report goes through `esc`. */

export function esc(text: string | number): string {
  return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function pct(x: number, digits = 1): string {
  return Number.isFinite(x) ? `${(x * 100).toFixed(digits)}%` : '–';
}

export function num(x: number, digits = 1): string {
  return Number.isFinite(x) ? x.toFixed(digits) : '–';
}

/** Farthest-apart hues first, so the model and the first baselines never look alike. */
export const SERIES_COLORS = ['#1f5fbf', '#d9480f', '#2b8a3e', '#862e9c', '#c2255c', '#5c940d', '#495057'];
