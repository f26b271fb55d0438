/**
 * Per drive model figures at each predictor's own statuses (`evaluate --by-model`): what an operator
 * with one drive model asks ("of my failing drives, how many did it call Bad; of my healthy ones, how
 * many days did it call Bad").
 *
 * Definitions:
 * - A failed drive (failure on day F) is caught if some day in [F − windowDays, F] is Bad (or, for
 *   "alarm", Bad or Warning). The failure day counts here, unlike the FDR curves: a one-day snapshot
 *   file has only that day, and a verdict on the day's own data is still a verdict before the drive
 *   is pulled. `failureDay*` counts the failure day alone.
 * - Healthy drives: per drive (any Bad day) and per day (Bad days / scored days). Files of isolated
 *   healthy days (control samples) only support the per-day rate.
 * - The heuristic column: Σ raw 5/187/197/198 on a day (missing counters count 0; a day reporting none
 *   of them has no value) thresholded so that its healthy per-day rate is at most the predictor's own
 *   healthy Bad-day rate on the same drive model; its failed-drive catch rate at that threshold is the
 *   bar a learned model should at least reach ("at the same healthy alarm rate").
 * Unknown days count neither way.
 */
import type { HealthStatus } from '../predict/types.js';
import type { SmartSample } from '../smart/types.js';

export interface ModelTally {
  failedDrives: number;
  /** failed drives with a Bad day in the window */
  failedBad: number;
  /** failed drives with a Bad or Warning day in the window */
  failedAlarm: number;
  /** failed drives scored on their failure day, and how many of those were Bad / Bad or Warning then */
  failureDayScored: number;
  failureDayBad: number;
  failureDayAlarm: number;
  healthyDrives: number;
  healthyBadDrives: number;
  healthyAlarmDrives: number;
  healthyDays: number;
  healthyBadDays: number;
  /** Warning days (not Bad) */
  healthyWarningDays: number;
}

export interface HeuristicAtEqualRate {
  /** Σ raw 5/187/197/198 ≥ threshold flags a day; +Infinity when no threshold keeps the rate */
  threshold: number;
  healthyDayRate: number;
  /** failed drives flagged on some day of the window / failed drives */
  failedCaught: number;
  /** failure-day flags / failed drives with a heuristic value that day */
  failureDayCaught: number;
}

export interface ByModelRow {
  model: string;
  vendor: string;
  perPredictor: Record<string, ModelTally & { heuristic: HeuristicAtEqualRate | null }>;
}

const HEURISTIC_ATTRIBUTES = [5, 187, 197, 198];

/** Σ raw 5/187/197/198 of one sample; NaN when none is reported. */
export function errorCounterSum(s: SmartSample): number {
  let sum = 0;
  let any = false;
  for (const id of HEURISTIC_ATTRIBUTES) {
    const raw = s.ata?.get(id)?.raw;
    if (raw === undefined) continue;
    const v = typeof raw === 'bigint' ? Number(raw) : raw;
    if (Number.isFinite(v) && v >= 0) {
      sum += v;
      any = true;
    }
  }
  return any ? sum : NaN;
}

function emptyTally(): ModelTally {
  return {
    failedDrives: 0,
    failedBad: 0,
    failedAlarm: 0,
    failureDayScored: 0,
    failureDayBad: 0,
    failureDayAlarm: 0,
    healthyDrives: 0,
    healthyBadDrives: 0,
    healthyAlarmDrives: 0,
    healthyDays: 0,
    healthyBadDays: 0,
    healthyWarningDays: 0,
  };
}

interface ModelState {
  vendor: string;
  tallies: Map<string, ModelTally>;
  /** heuristic value of every healthy day */
  healthySums: number[];
  /** per failed drive: the largest heuristic value in the window, and the failure day's (NaN = none) */
  failedMax: number[];
  failedDay: number[];
}

export class ByModelAccumulator {
  private readonly models = new Map<string, ModelState>();

  constructor(private readonly windowDays: number) {}

  private state(model: string, vendor: string): ModelState {
    let s = this.models.get(model);
    if (!s) {
      s = { vendor, tallies: new Map(), healthySums: [], failedMax: [], failedDay: [] };
      this.models.set(model, s);
    }
    return s;
  }

  /** The drive's heuristic values (once per drive, whatever the number of predictors). */
  addDrive(model: string, vendor: string, failDay: number | undefined, days: Int32Array, samples: readonly SmartSample[]): void {
    const s = this.state(model, vendor);
    if (failDay === undefined) {
      for (const sample of samples) {
        const v = errorCounterSum(sample);
        if (v === v) s.healthySums.push(v);
      }
      return;
    }
    let max = NaN;
    let onDay = NaN;
    for (let i = 0; i < samples.length; i++) {
      const d = days[i]!;
      if (d < failDay - this.windowDays || d > failDay) continue;
      const v = errorCounterSum(samples[i]!);
      if (v === v && !(v <= max)) max = v;
      if (d === failDay) onDay = v;
    }
    s.failedMax.push(max);
    s.failedDay.push(onDay);
  }

  /** One predictor's daily statuses for a drive added with addDrive. */
  addStatuses(predictorId: string, model: string, vendor: string, failDay: number | undefined, days: Int32Array, statuses: readonly HealthStatus[]): void {
    const s = this.state(model, vendor);
    let t = s.tallies.get(predictorId);
    if (!t) s.tallies.set(predictorId, (t = emptyTally()));
    if (failDay === undefined) {
      let bad = false;
      let alarm = false;
      for (const st of statuses) {
        if (st === 'Unknown') continue;
        t.healthyDays++;
        if (st === 'Bad') {
          t.healthyBadDays++;
          bad = alarm = true;
        } else if (st === 'Warning') {
          t.healthyWarningDays++;
          alarm = true;
        }
      }
      t.healthyDrives++;
      if (bad) t.healthyBadDrives++;
      if (alarm) t.healthyAlarmDrives++;
      return;
    }
    t.failedDrives++;
    let bad = false;
    let alarm = false;
    for (let i = 0; i < statuses.length; i++) {
      const d = days[i]!;
      if (d < failDay - this.windowDays || d > failDay) continue;
      const st = statuses[i]!;
      if (st === 'Bad') bad = alarm = true;
      else if (st === 'Warning') alarm = true;
      if (d === failDay && st !== 'Unknown') {
        t.failureDayScored++;
        if (st === 'Bad') t.failureDayBad++;
        if (st === 'Bad' || st === 'Warning') t.failureDayAlarm++;
      }
    }
    if (bad) t.failedBad++;
    if (alarm) t.failedAlarm++;
  }

  rows(): ByModelRow[] {
    return [...this.models.entries()]
      .map(([model, s]): ByModelRow => {
        const healthy = Float64Array.from(s.healthySums).sort();
        const perPredictor: ByModelRow['perPredictor'] = {};
        for (const [id, t] of s.tallies) {
          const rate = t.healthyDays > 0 ? t.healthyBadDays / t.healthyDays : NaN;
          perPredictor[id] = { ...t, heuristic: rate === rate ? heuristicAtRate(healthy, s.failedMax, s.failedDay, rate) : null };
        }
        return { model, vendor: s.vendor, perPredictor };
      })
      .sort((a, b) => size(b) - size(a) || a.model.localeCompare(b.model));
  }
}

function size(r: ByModelRow): number {
  const t = Object.values(r.perPredictor)[0];
  return t ? t.failedDrives * 1000 + t.healthyDrives : 0;
}

/** The lowest threshold (≥ 1: a zero count flags nothing) whose healthy per-day rate is ≤ rate. */
function heuristicAtRate(healthySorted: Float64Array, failedMax: readonly number[], failedDay: readonly number[], rate: number): HeuristicAtEqualRate | null {
  const n = healthySorted.length;
  if (n === 0 || failedMax.length === 0) return null;
  const allowed = Math.floor(rate * n + 1e-9); // healthy days that may be flagged
  // Flag values ≥ t: the smallest t with count(v ≥ t) ≤ allowed is just above the (n − allowed)-th smallest value.
  let threshold = allowed >= n ? 1 : healthySorted[n - 1 - allowed]! + 1;
  if (threshold < 1) threshold = 1;
  // Integer counters: "above the value" is value + 1. Ties at the cut are never flagged.
  const flagged = countAtLeast(healthySorted, threshold);
  const caught = failedMax.filter((v) => v >= threshold).length;
  const scoredDays = failedDay.filter((v) => v === v);
  return {
    threshold,
    healthyDayRate: flagged / n,
    failedCaught: caught / failedMax.length,
    failureDayCaught: scoredDays.length ? scoredDays.filter((v) => v >= threshold).length / scoredDays.length : NaN,
  };
}

function countAtLeast(sorted: Float64Array, t: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return sorted.length - lo;
}
