/**
 * The drives a training run may use, by the data policy of trainModel.ts: every drive of a "population" file
 * (one with healthy drives), and the failure histories of failed-only files that report every Backblaze-rule
 * counter and have more than one day. Each drive's side of the split comes from its serial (split.ts).
 */
import { FEATURE_ATTRIBUTES } from '../features/featurizeColumns.js';
import { loadBackblazeDrives, type BackblazeDrive, type BackblazeLoad } from '../smart/backblazeColumns.js';
import { BACKBLAZE_RULE_SLOTS } from './backblazeRule.js';
import type { TrainingDrive } from './dataset.js';
import { splitSide, type SplitFractions, type SplitSide } from './split.js';

export interface TrainingDriveSet {
  load: BackblazeLoad;
  /** files with healthy drives: the only ones that give false-alarm rates */
  population: Set<string>;
  /** population drives plus the usable failure histories of failed-only files */
  usable: BackblazeDrive[];
  sideOf(d: BackblazeDrive): SplitSide;
  toTraining(d: BackblazeDrive): TrainingDrive;
}

export async function loadTrainingDrives(
  files: readonly string[],
  seed: number,
  split: SplitFractions,
  failedOnlyTraining: boolean,
): Promise<TrainingDriveSet> {
  const load = await loadBackblazeDrives(files, FEATURE_ATTRIBUTES);
  const lastDayOf = new Map<string, number>();
  const population = new Set<string>();
  for (const d of load.drives) {
    lastDayOf.set(d.file, Math.max(lastDayOf.get(d.file) ?? -Infinity, d.days[d.days.length - 1]!));
    if (d.failDay < 0 && d.days.length > 1) population.add(d.file);
  }
  const failureHistory = (d: BackblazeDrive) =>
    failedOnlyTraining && !population.has(d.file) && d.failDay >= 0 && d.days.length > 1 && BACKBLAZE_RULE_SLOTS.every((a) => d.raw[a] !== undefined);
  return {
    load,
    population,
    usable: load.drives.filter((d) => population.has(d.file) || failureHistory(d)),
    sideOf: (d) => splitSide(d.serial, seed, split),
    toTraining: (d) => ({ drive: d, fileLastDay: lastDayOf.get(d.file)! }),
  };
}
