/** Plain-text tables for terminal reports: first column left-aligned, the rest right-aligned. */

/** A fraction as a percentage; '-' when undefined (no denominator). */
export function pct(x: number, digits = 1): string {
  return Number.isFinite(x) ? `${(x * 100).toFixed(digits)}%` : '-';
}

/** "12.5% (3/24)", or '-' without a denominator. */
export function ratio(n: number, d: number): string {
  return d > 0 ? `${pct(n / d)} (${n}/${d})` : '-';
}

export function textTable(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')).join('\n');
}
