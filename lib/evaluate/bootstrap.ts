/**
 * Bootstrap confidence intervals for FDR at fixed FAR budgets. Failed drives are few (tens to a
 * few hundred), so an FDR without an interval overstates what the data shows.
 *
 * Resampling is stratified (failed and healthy drives are each drawn with replacement, their counts
 * kept), and each replicate re-derives its own threshold, so the interval covers the threshold's
 * uncertainty too. A replicate draws per-drive multiplicities instead of copying drives, so after
 * one sort each replicate costs O(n).
 */
import { DEFAULT_WINDOW_DAYS, driveScore, withinFarBudget, type DriveScores } from './perDriveMetrics.js';
import { quantileSorted } from './quantiles.js';

export interface FdrInterval {
  far: number;
  low: number;
  high: number;
  /** confidence level, e.g. 0.95 */
  level: number;
  replicates: number;
}

export interface BootstrapOptions {
  farPoints: readonly number[];
  replicates?: number;
  level?: number;
  seed?: number;
  windowDays?: number;
}

/** Small, seedable PRNG (mulberry32) so intervals are reproducible run to run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function drawCounts(n: number, random: () => number): Uint32Array {
  const counts = new Uint32Array(n);
  for (let i = 0; i < n; i++) counts[Math.floor(random() * n)]!++;
  return counts;
}

/**
 * FDR at a FAR budget from per-drive scores sorted descending, each drive weighted by its
 * multiplicity. Same rule as `perDriveMetrics`: the lowest threshold with FAR ≤ budget flags every
 * score strictly above the first healthy score at which the budget would be exceeded.
 */
export function fdrAtFarWeighted(
  failedDesc: Float64Array,
  failedCounts: Uint32Array,
  healthyDesc: Float64Array,
  healthyCounts: Uint32Array,
  far: number,
): number {
  let failedTotal = 0;
  for (const c of failedCounts) failedTotal += c;
  let healthyTotal = 0;
  for (const c of healthyCounts) healthyTotal += c;
  if (failedTotal === 0 || healthyTotal === 0) return NaN;
  // Find the highest healthy score whose flagging (with all its ties) would exceed the budget.
  let cut = -Infinity;
  let alarms = 0;
  for (let i = 0; i < healthyDesc.length; ) {
    const score = healthyDesc[i] as number;
    if (score === -Infinity) break;
    let tied = 0;
    for (; i < healthyDesc.length && healthyDesc[i] === score; i++) tied += healthyCounts[i] as number;
    if (tied === 0) continue;
    if (!withinFarBudget(alarms + tied, healthyTotal, far)) {
      cut = score;
      break;
    }
    alarms += tied;
  }
  let detected = 0;
  for (let i = 0; i < failedDesc.length && (failedDesc[i] as number) > cut; i++) detected += failedCounts[i] as number;
  return detected / failedTotal;
}

export function bootstrapFdr(drives: readonly DriveScores[], options: BootstrapOptions): FdrInterval[] {
  const replicates = options.replicates ?? 1000;
  const level = options.level ?? 0.95;
  const windowDays = options.windowDays ?? DEFAULT_WINDOW_DAYS;
  const random = seededRandom(options.seed ?? 1);
  const failed: number[] = [];
  const healthy: number[] = [];
  for (const drive of drives) (drive.failed ? failed : healthy).push(driveScore(drive, windowDays));
  const failedDesc = Float64Array.from(failed).sort().reverse();
  const healthyDesc = Float64Array.from(healthy).sort().reverse();
  const samples = options.farPoints.map(() => new Float64Array(replicates));
  for (let r = 0; r < replicates; r++) {
    const failedCounts = drawCounts(failedDesc.length, random);
    const healthyCounts = drawCounts(healthyDesc.length, random);
    options.farPoints.forEach((far, k) => {
      samples[k]![r] = fdrAtFarWeighted(failedDesc, failedCounts, healthyDesc, healthyCounts, far);
    });
  }
  const tail = (1 - level) / 2;
  return options.farPoints.map((far, k) => {
    const sorted = samples[k]!.sort();
    return { far, low: quantileSorted(sorted, tail), high: quantileSorted(sorted, 1 - tail), level, replicates };
  });
}
