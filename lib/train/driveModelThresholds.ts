/**
 * Bad thresholds of their own for the drive models training saw enough of. The base Bad threshold is chosen on
 * the pooled validation drives of the population files, which are mostly ST4000DM000 and the 2013 models; a
 * drive model whose healthy drives score lower than that pool's (ST8000DM002 in the 2019 snapshots: 0.10 % of
 * healthy drives `Bad`) could be judged more eagerly within the same budget, and one whose healthy drives score
 * higher should be judged less eagerly.
 *
 * Chosen on the training side only (fit and early-stopping drives; never a validation drive), on the healthy
 * drives of population and snapshot files, per drive: a serial in several files is one drive, flagged when any
 * of its days in any of them is. The threshold at the rate is the lowest p14 flagging at most DRIVE_MODEL_BAD_RATE
 * of a model's drives. That rate is half the 0.5 % budget because the trees were fitted on most of those drives, so
 * their scores run low: at 0.3 % on them, ST8000NM0055's validation drives came out at 0.49 %.
 *
 * - From MIN_SELECTION_DRIVES drives, that threshold is the model's, never below a floor (the caller's `badFloor`: the
 *   p42 threshold at a 2 % per-drive rate, trainModel.ts): below it a quiet model would go from `Good` straight to
 *   `Bad` at nothing (Hitachi HDS5C4040ALE630's drives alone give 0.019). Its `Warning` is the base one, or its own
 *   `Bad` where that is lower (the file wants warning ≤ bad: a `Bad` drive is also a `Warning` drive).
 * - From MIN_SMALL_POPULATION_DRIVES up to that, the rate allows at most a drive or two, so the threshold at it is
 *   little more than the highest healthy scores: enough to show that a model's healthy drives score above the pool's
 *   (the model is judged less eagerly: never below the base Bad threshold), never enough to judge it more eagerly.
 *   Under 1 / DRIVE_MODEL_BAD_RATE drives the rate allows none, and the threshold is just above every one of them.
 *
 * Models with fewer drives, and drives of other models, keep the base (or familiarity) thresholds.
 */
import type { FamiliarityThresholds } from '../models/modelSchema.js';
import { driveModelKey } from '../smart/driveModelKey.js';
import { thresholdAtRate } from './thresholdAtRate.js';

/** Healthy per-drive Bad rate a drive model's own threshold allows on the training-side drives. */
export const DRIVE_MODEL_BAD_RATE = 0.0025;
/** At 0.25 %, 1,000 drives leave two flagged: fewer and one drive moves the threshold too much to lower it on. */
export const MIN_SELECTION_DRIVES = 1000;
/**
 * From 200 drives (one over the 0.5 % budget) the highest of a model's healthy drives is about the budget's
 * quantile, so a threshold above them says something about that budget; fewer and one odd drive would set it.
 */
export const MIN_SMALL_POPULATION_DRIVES = 200;

/** One healthy training-side drive in one file: its model (as the data spells it), serial and highest p14 there. */
export interface SelectionDrive {
  model: string;
  serial: string;
  maxP14: number;
}

export interface DriveModelChoice {
  /** the model as training.driveModels spells it */
  model: string;
  /** distinct serials */
  healthyDrives: number;
  /** the threshold the drives alone gave, before the floor */
  atRate: number;
  /** 'rate': from MIN_SELECTION_DRIVES drives, floored at badFloor; 'raise-only': fewer, floored at the base Bad */
  rule: 'rate' | 'raise-only';
  bad: number;
}

export interface DriveModelThresholds {
  /** the healthy per-drive rate the thresholds were chosen at */
  rate: number;
  /** the lowest Bad threshold a 'rate' model could get */
  badFloor: number;
  thresholds: Record<string, FamiliarityThresholds>;
  choices: DriveModelChoice[];
}

/** Distinct serials per drive model (driveModelKey → count): only models with enough of them need scoring. */
export function selectionCounts(drives: ReadonlyArray<{ model: string; serial: string }>): Map<string, number> {
  const serials = new Map<string, Set<string>>();
  for (const d of drives) {
    const key = driveModelKey(d.model);
    if (!serials.has(key)) serials.set(key, new Set());
    serials.get(key)!.add(d.serial.trim());
  }
  return new Map([...serials].map(([key, s]) => [key, s.size]));
}

/** `base.badFloor`: the lowest Bad threshold a model with MIN_SELECTION_DRIVES drives may get (≤ base.bad). */
export function driveModelThresholds(drives: readonly SelectionDrive[], base: { bad: number; warning: number; badFloor: number }, rate = DRIVE_MODEL_BAD_RATE): DriveModelThresholds {
  const byKey = new Map<string, { model: string; maxBySerial: Map<string, number> }>();
  for (const d of drives) {
    const key = driveModelKey(d.model);
    const entry = byKey.get(key) ?? { model: d.model, maxBySerial: new Map<string, number>() };
    if (d.model < entry.model) entry.model = d.model; // one spelling whatever the drive order
    const serial = d.serial.trim();
    entry.maxBySerial.set(serial, Math.max(entry.maxBySerial.get(serial) ?? -Infinity, d.maxP14));
    byKey.set(key, entry);
  }
  const thresholds: Record<string, FamiliarityThresholds> = {};
  const choices: DriveModelChoice[] = [];
  for (const key of [...byKey.keys()].sort()) {
    const { model, maxBySerial } = byKey.get(key)!;
    const scores = [...maxBySerial.values()];
    if (scores.length < MIN_SMALL_POPULATION_DRIVES) continue;
    const atRate = thresholdAtRate(scores, rate)!.threshold;
    const rule = scores.length >= MIN_SELECTION_DRIVES ? 'rate' : 'raise-only';
    const bad = Math.max(atRate, rule === 'rate' ? base.badFloor : base.bad);
    thresholds[model] = { bad, warning: Math.min(base.warning, bad) };
    choices.push({ model, healthyDrives: scores.length, atRate, rule, bad });
  }
  return { rate, badFloor: base.badFloor, thresholds, choices };
}
