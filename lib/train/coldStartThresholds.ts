/**
 * Thresholds for a device's first days. The Bad threshold is chosen so that a healthy drive's whole
 * history (months of days) alarms at most 0.5 % of the time; a single day of a healthy drive sits far
 * below it, so a drive first seen with hundreds of pending sectors stayed Good. On one-day snapshots
 * (validation side of the recipe's snapshot files), the cold-start thresholds keep each drive model's
 * healthy per-day rate within the same budgets: the largest of the per-model thresholds, over drive
 * models with enough healthy days to measure a 0.5 % rate.
 */
import type { BackblazeDrive } from '../smart/backblazeColumns.js';
import { thresholdAtRate } from './thresholdAtRate.js';

/** A history spanning fewer days than this (first to last sample) is "cold". */
export const COLD_START_DAYS = 7;
/** Drive models with fewer healthy cold days than this do not set the thresholds (0.5 % of 200 is 1 day). */
export const MIN_HEALTHY_COLD_DAYS = 200;

export interface ColdStartChoice {
  days: number;
  bad: number;
  warning: number;
  /** per drive model: its healthy cold days and the thresholds they alone would need */
  perModel: Array<{ model: string; healthyDays: number; bad: number; warning: number }>;
}

export function coldStartThresholds(
  scored: ReadonlyArray<{ drive: BackblazeDrive; scores: { p14: Float64Array; p42: Float64Array } }>,
  badBudget: number,
  warningBudget: number,
): ColdStartChoice | undefined {
  const byModel = new Map<string, { p14: number[]; p42: number[] }>();
  for (const { drive, scores } of scored) {
    if (drive.failDay >= 0) continue;
    let m = byModel.get(drive.model);
    if (!m) byModel.set(drive.model, (m = { p14: [], p42: [] }));
    const first = drive.days[0]!;
    for (let i = 0; i < drive.days.length && drive.days[i]! - first < COLD_START_DAYS; i++) {
      const p14 = scores.p14[i]!;
      if (p14 === p14) (m.p14.push(p14), m.p42.push(scores.p42[i]!));
    }
  }
  const perModel: ColdStartChoice['perModel'] = [];
  for (const [model, m] of [...byModel].sort(([a], [b]) => a.localeCompare(b))) {
    if (m.p14.length < MIN_HEALTHY_COLD_DAYS) continue;
    perModel.push({ model, healthyDays: m.p14.length, bad: thresholdAtRate(m.p14, badBudget)!.threshold, warning: thresholdAtRate(m.p42, warningBudget)!.threshold });
  }
  if (perModel.length === 0) return undefined;
  const bad = Math.max(...perModel.map((m) => m.bad));
  return { days: COLD_START_DAYS, bad, warning: Math.min(bad, Math.max(...perModel.map((m) => m.warning))), perModel };
}
