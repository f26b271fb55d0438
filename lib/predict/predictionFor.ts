/**
 * Assembles a Prediction from a status and scores: the life-expectancy fields follow the status. An
 * Unknown always carries a reason (callers pass the specific one; this is only the last resort).
 */
import type { DeviceHistory } from '../smart/types.js';
import { cephLifeExpectancyFor, lifeExpectancyFor } from './lifeExpectancy.js';
import type { HealthStatus, ModelRef, Prediction, PredictionReason } from './types.js';

export function predictionFor(
  status: HealthStatus,
  p14: number | null,
  p42: number | null,
  reasons: PredictionReason[],
  model: ModelRef,
  samplesUsed: number,
  reason?: string,
): Prediction {
  const p: Prediction = {
    status,
    p14,
    p42,
    lifeExpectancy: lifeExpectancyFor(status),
    cli: cephLifeExpectancyFor(status),
    reasons,
    model,
    samplesUsed,
  };
  if (reason !== undefined) p.reason = reason;
  else if (status === 'Unknown') p.reason = `${model.name} ${model.version} gave no verdict and no reason`;
  return p;
}

export function unknownPrediction(model: ModelRef, reason: string, samplesUsed = 0): Prediction {
  return predictionFor('Unknown', null, null, [], model, samplesUsed, reason);
}

/** Unknown for a history without samples, counting the Ceph entries that had no data. */
export function noSamplesPrediction(model: ModelRef, history: DeviceHistory): Prediction {
  return unknownPrediction(model, history.errors.length ? `no SMART samples (${history.errors.length} error entries)` : 'no SMART samples');
}
