/**
 * The drives a training run may use, by the roles of their files (recipe.ts): every fit-side drive of
 * a population or snapshot file, and the failure histories of failed-only files that report every
 * Backblaze-rule counter and have more than one day. Without a recipe (`train --data`), a file's role
 * is inferred: population if it has a healthy drive with more than one day, else failed-histories if
 * it has failed drives, else evaluation. Each drive's side of the split comes from its serial (split.ts).
 */
import { FEATURE_ATTRIBUTES } from '../features/featurizeColumns.js';
import { driveModelKey } from '../smart/driveModelKey.js';
import { loadBackblazeDrives, type BackblazeDrive, type BackblazeLoad } from '../smart/backblazeColumns.js';
import { BACKBLAZE_RULE_SLOTS } from './backblazeRule.js';
import type { TrainingDrive } from './dataset.js';
import type { FileRole } from './recipe.js';
import { splitSide, type SplitFractions, type SplitSide } from '../evaluate/driveSplit.js';

export interface TrainingDriveSet {
  load: BackblazeLoad;
  /** role of every loaded file (given or inferred) */
  roles: Map<string, FileRole>;
  /** files with healthy drive histories: the only ones that give per-drive false-alarm rates and thresholds */
  population: Set<string>;
  /** drives whose rows may be trained on (either side of the split; callers pick the side) */
  usable: BackblazeDrive[];
  sideOf(d: BackblazeDrive): SplitSide;
  toTraining(d: BackblazeDrive): TrainingDrive;
}

export interface TrainingDriveOptions {
  /** roles by file path; absent files (or no map) get an inferred role */
  roles?: ReadonlyMap<string, FileRole>;
  /** add failure histories of failed-only files to the training rows (default true) */
  failedOnlyTraining?: boolean;
  /** drive models never trained on (leave-one-model-out), compared by driveModelKey */
  excludeModels?: ReadonlySet<string>;
}

function inferRole(drives: readonly BackblazeDrive[]): FileRole {
  if (drives.some((d) => d.failDay < 0 && d.days.length > 1)) return 'population';
  return drives.some((d) => d.failDay >= 0) ? 'failed-histories' : 'evaluation';
}

export async function loadTrainingDrives(files: readonly string[], seed: number, split: SplitFractions, options: TrainingDriveOptions = {}): Promise<TrainingDriveSet> {
  const load = await loadBackblazeDrives(files, FEATURE_ATTRIBUTES);
  const byFile = new Map<string, BackblazeDrive[]>();
  const lastDayOf = new Map<string, number>();
  for (const d of load.drives) {
    if (!byFile.has(d.file)) byFile.set(d.file, []);
    byFile.get(d.file)!.push(d);
    lastDayOf.set(d.file, Math.max(lastDayOf.get(d.file) ?? -Infinity, d.days[d.days.length - 1]!));
  }
  const roles = new Map<string, FileRole>();
  for (const f of files) roles.set(f, options.roles?.get(f) ?? inferRole(byFile.get(f) ?? []));
  const population = new Set([...roles].filter(([, r]) => r === 'population').map(([f]) => f));
  const failedOnly = options.failedOnlyTraining ?? true;
  const excluded = options.excludeModels ?? new Set<string>();
  const trainable = (d: BackblazeDrive): boolean => {
    if (excluded.has(driveModelKey(d.model))) return false;
    const role = roles.get(d.file);
    if (role === 'population' || role === 'snapshots') return true;
    return role === 'failed-histories' && failedOnly && d.failDay >= 0 && d.days.length > 1 && BACKBLAZE_RULE_SLOTS.every((a) => d.raw[a] !== undefined);
  };
  return {
    load,
    roles,
    population,
    usable: load.drives.filter(trainable),
    sideOf: (d) => splitSide(d.serial, seed, split),
    toTraining: (d) => ({ drive: d, fileLastDay: lastDayOf.get(d.file)!, snapshot: roles.get(d.file) === 'snapshots' }),
  };
}
