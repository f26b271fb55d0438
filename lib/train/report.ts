/** The validation report `diskpredict train` prints: our model next to the Backblaze rule, per file. */
import type { FileMetrics } from './trainModel.js';
import { pct } from './trainModel.js';

export function formatMetrics(metrics: readonly FileMetrics[]): string {
  const lines: string[] = [];
  for (const m of metrics) {
    lines.push(`${m.file}: ${m.model.failedDrives} failed / ${m.model.healthyDrives} healthy validation drives`);
    lines.push('  FAR budget   FDR      FAR reached  median lead (days)');
    for (const p of m.model.points) {
      lines.push(`  ${pct(p.far).padEnd(11)}  ${pct(p.fdr).padEnd(7)}  ${pct(p.farAchieved).padEnd(11)}  ${Number.isFinite(p.leadDays.median) ? p.leadDays.median : 'n/a'}`);
    }
    const atRule = m.modelAtRuleFar.points[0]!;
    lines.push(`  Backblaze rule (raw 5/187/188/197/198 > 0): FDR ${pct(m.rule.fdr)} at FAR ${pct(m.rule.far)}; model at that FAR: FDR ${pct(atRule.fdr)} (FAR ${pct(atRule.farAchieved)})`);
  }
  return lines.join('\n');
}
