/**
 * Bad thresholds of their own for the drive models training saw most of. The base Bad threshold is chosen on
 * the pooled validation drives of the population files, which are mostly ST4000DM000 and the 2013 models; a
 * drive model whose healthy drives score lower than that pool's (ST8000DM002 in the 2019 snapshots: 0.10 % of
 * healthy drives `Bad`) could be judged more eagerly within the same budget, and one whose healthy drives score
 * higher should be judged less eagerly.
 *
 * Chosen on the training side only (fit and early-stopping drives; never a validation drive): per drive model
 * with at least MIN_SELECTION_DRIVES healthy drives in population and snapshot files, the lowest p14 threshold
 * that flags at most DRIVE_MODEL_BAD_RATE of them (per drive: a drive is flagged when any of its days is). That
 * rate is half the 0.5 % budget because the trees were fitted on most of those drives, so their scores run low:
 * at 0.3 % on them, ST8000NM0055's validation drives came out at 0.49 %.
 *
 * Never below the base Warning threshold: `Bad` must stay a stronger statement than `Warning` (the file wants
 * warning ≤ bad), and below it a drive model would go from `Good` straight to `Bad`. Models with fewer drives,
 * and drives of other models, keep the base (or familiarity) thresholds.
 */
import type { FamiliarityThresholds } from '../models/modelSchema.js';
import { driveModelKey } from '../smart/driveModelKey.js';
import { thresholdAtRate } from './thresholdAtRate.js';

/** Healthy per-drive Bad rate a drive model's own threshold allows on the training-side drives. */
export const DRIVE_MODEL_BAD_RATE = 0.0025;
/** At 0.25 %, 1,000 drives leave two flagged: fewer and one drive moves the threshold too much. */
export const MIN_SELECTION_DRIVES = 1000;

/** One healthy training-side drive: its model (as the data spells it) and its highest p14 over its days. */
export interface SelectionDrive {
  model: string;
  maxP14: number;
}

export interface DriveModelChoice {
  /** the model as training.driveModels spells it */
  model: string;
  healthyDrives: number;
  /** the threshold the drives alone gave, before the Warning floor */
  atRate: number;
  bad: number;
}

export interface DriveModelThresholds {
  /** the healthy per-drive rate the thresholds were chosen at */
  rate: number;
  thresholds: Record<string, FamiliarityThresholds>;
  choices: DriveModelChoice[];
}

/** Drives per drive model (driveModelKey → count): only models with enough of them need scoring. */
export function selectionCounts(models: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of models) counts.set(driveModelKey(m), (counts.get(driveModelKey(m)) ?? 0) + 1);
  return counts;
}

export function driveModelThresholds(drives: readonly SelectionDrive[], base: { bad: number; warning: number }, rate = DRIVE_MODEL_BAD_RATE, minDrives = MIN_SELECTION_DRIVES): DriveModelThresholds {
  const byKey = new Map<string, { model: string; scores: number[] }>();
  for (const d of drives) {
    const key = driveModelKey(d.model);
    const entry = byKey.get(key) ?? { model: d.model, scores: [] };
    if (d.model < entry.model) entry.model = d.model; // one spelling whatever the drive order
    entry.scores.push(d.maxP14);
    byKey.set(key, entry);
  }
  const thresholds: Record<string, FamiliarityThresholds> = {};
  const choices: DriveModelChoice[] = [];
  for (const key of [...byKey.keys()].sort()) {
    const { model, scores } = byKey.get(key)!;
    if (scores.length < minDrives) continue;
    const atRate = thresholdAtRate(scores, rate)!.threshold;
    const bad = Math.max(atRate, base.warning);
    thresholds[model] = { bad, warning: base.warning };
    choices.push({ model, healthyDrives: scores.length, atRate, bad });
  }
  return { rate, thresholds, choices };
}
