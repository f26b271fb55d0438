/**
 * Causal per-day scores of one drive: day i sees samples[0..i] only. Uses the predictor's one-pass
 * `predictEachDay` when it has one, else calls `predict` on every prefix (quadratic, but correct).
 * A predictor that throws gives Unknown for that day with the error as its reason, never a crash.
 */
import type { DeviceHistory } from '../smart/types.js';
import type { BatchPredictor, DailyPrediction, HealthStatus, Predictor } from '../predict/types.js';

/** A day's score; `reason` (from DailyPrediction) says why when Unknown. */
export type ScoredDay = DailyPrediction;

function isBatchPredictor(p: Predictor): p is BatchPredictor {
  return typeof (p as Partial<BatchPredictor>).predictEachDay === 'function';
}

function unknownDay(time: number, err: unknown): ScoredDay {
  return { time, p14: null, p42: null, status: 'Unknown', reason: `predictor error: ${err instanceof Error ? err.message : String(err)}` };
}

export function scoreEachDay(predictor: Predictor, history: DeviceHistory): ScoredDay[] {
  if (isBatchPredictor(predictor)) {
    try {
      const days = predictor.predictEachDay(history);
      if (days.length === history.samples.length) return days;
      return history.samples.map((s) => unknownDay(s.time, new Error(`predictEachDay returned ${days.length} days for ${history.samples.length} samples`)));
    } catch (err) {
      return history.samples.map((s) => unknownDay(s.time, err));
    }
  }
  return history.samples.map((sample, i) => {
    try {
      const errors = history.errors.filter((e) => e.time <= sample.time);
      const p = predictor.predict({ ...history, samples: history.samples.slice(0, i + 1), errors }, { now: sample.time });
      const day: ScoredDay = { time: sample.time, p14: p.p14, p42: p.p42, status: p.status };
      if (p.reason !== undefined) day.reason = p.reason;
      return day;
    } catch (err) {
      return unknownDay(sample.time, err);
    }
  });
}

const STATUS_SCORE: Record<HealthStatus, number> = { Good: 0, Warning: 0.5, Bad: 1, Unknown: NaN };

/**
 * The number thresholds are applied to: p14 when the predictor gives one, else its status on an
 * ordinal scale (Good 0, Warning 0.5, Bad 1), so rule and Ceph baselines sit on the same curve
 * axes. NaN = no score (Unknown).
 */
export function dayScore(day: DailyPrediction): number {
  if (day.p14 !== null && Number.isFinite(day.p14)) return day.p14;
  return STATUS_SCORE[day.status];
}

/** 1 on Bad days, 0 otherwise, NaN when Unknown: the predictor's own operating point. */
export function badScore(day: DailyPrediction): number {
  return day.status === 'Unknown' ? NaN : day.status === 'Bad' ? 1 : 0;
}
