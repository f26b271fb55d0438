/** `evaluate --ssd-snapshots` as plain-text tables for a terminal. */
import { countNoun } from '../util/plural.js';
import type { SsdShareRow, SsdSnapshotResult } from './ssdSnapshots.js';

function pct(x: number): string {
  return Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : '-';
}

/** A count with its share: small counts (8 of 12,853) would read as 0.0 % alone. */
function countShare(k: number, n: number): string {
  return `${k} (${pct(k / n)})`;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ').trimEnd()).join('\n');
}

function shareTable(first: string, rows: readonly SsdShareRow[]): string {
  return table([
    [first, 'snapshots', 'Bad', 'Warning', 'Bad or Warning', 'Unknown'],
    ...rows.map((r) => [r.group, String(r.snapshots), pct(r.badShare), pct(r.warningShare), pct(r.flaggedShare), String(r.unknown)]),
  ]);
}

export function formatSsdSnapshots(r: SsdSnapshotResult): string {
  const out: string[] = [];
  out.push(`SSD failure snapshots: ${r.file}`);
  out.push(`scorer: ${r.model.name} ${r.model.version}; ${countNoun(r.snapshots, 'snapshots')} of failed SSDs, ${r.withoutSmart} without any SMART value`);
  out.push(`NOTE: ${r.note}.`);
  out.push('');
  out.push('share of failed SSDs flagged, by anonymised model and vendor:');
  out.push(shareTable('model', [...r.byModel, r.overall]));
  out.push('');
  out.push(shareTable('vendor', [...r.byVendor, r.overall]));
  out.push('');
  const models = r.byModel.map((m) => m.group);
  const perModel = new Map(r.byModel.map((m) => [m.group, m.snapshots]));
  out.push(r.byFamily.length ? 'share of snapshots where a rule of the family fired (any level; Bad: fired at Bad):' : 'rule families: no rule fired on any snapshot');
  if (r.byFamily.length) {
    out.push(
      table([
        ['family', 'all', 'Bad', ...models],
        ...r.byFamily.map((f) => [f.label, pct(f.share), pct(r.snapshots ? f.firedBad / r.snapshots : NaN), ...models.map((m) => pct((f.byModel[m] ?? 0) / (perModel.get(m) ?? NaN)))]),
      ]),
    );
  }
  out.push('');
  out.push('attributes at failure (snapshots, share of all; merged Alibaba fields at 170-173):');
  out.push(
    table([
      ['attribute', 'present', 'raw > 0', 'normalized ≤ 10'],
      ...r.attributes.map((a) => [
        `${a.id}${a.name ? ` ${a.name.replace(/ \(.*\)$/, '')}` : ''}`,
        pct(a.present / r.snapshots),
        countShare(a.rawAboveZero, r.snapshots),
        countShare(a.normalizedAtMost10, r.snapshots),
      ]),
    ]),
  );
  if (r.unknownReasons.length) {
    out.push('');
    for (const u of r.unknownReasons) out.push(`Unknown: ${countNoun(u.count, 'snapshots')}: ${u.reason}`);
  }
  out.push('');
  out.push(r.issues.length ? 'skipped:' : 'skipped: nothing');
  for (const i of r.issues) out.push(`  ${i.reason}: ${countNoun(i.count, i.unit)}${i.examples.length ? ` (e.g. ${i.examples.join('; ')})` : ''}`);
  return out.join('\n') + '\n';
}
