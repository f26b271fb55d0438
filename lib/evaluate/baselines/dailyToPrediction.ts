/** A baseline's verdict for one day as a full `Prediction` (what `Predictor.predict` returns). */
import { predictionFor } from '../../predict/predictionFor.js';
import type { DailyPrediction, ModelRef, Prediction, PredictionReason } from '../../predict/types.js';

export function dailyToPrediction(
  model: ModelRef,
  daily: DailyPrediction | undefined,
  samplesUsed: number,
  reasons: PredictionReason[],
  reason?: string,
): Prediction {
  return predictionFor(daily?.status ?? 'Unknown', daily?.p14 ?? null, daily?.p42 ?? null, reasons, model, samplesUsed, reason);
}
