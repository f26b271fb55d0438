/** A baseline's verdict for one day as a full `Prediction` (what `Predictor.predict` returns). */
import { cephLifeExpectancyFor, lifeExpectancyFor } from '../../predict/lifeExpectancy.js';
import type { DailyPrediction, ModelRef, Prediction, PredictionReason } from '../../predict/types.js';

export function dailyToPrediction(
  model: ModelRef,
  daily: DailyPrediction | undefined,
  samplesUsed: number,
  reasons: PredictionReason[],
  reason?: string,
): Prediction {
  const status = daily?.status ?? 'Unknown';
  const prediction: Prediction = {
    status,
    p14: daily?.p14 ?? null,
    p42: daily?.p42 ?? null,
    lifeExpectancy: lifeExpectancyFor(status),
    cli: cephLifeExpectancyFor(status),
    reasons,
    model,
    samplesUsed,
  };
  if (reason !== undefined) prediction.reason = reason;
  return prediction;
}
