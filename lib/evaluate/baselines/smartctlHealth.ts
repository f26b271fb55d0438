/**
 * smartctl's overall-health verdict (the drive's own SMART RETURN STATUS): Bad when it reports
 * FAILED, Good when PASSED, Unknown when the source did not carry it (Backblaze CSVs never do).
 */
import type { SmartSample } from '../../smart/types.js';
import type { BatchPredictor, ModelRef } from '../../predict/types.js';
import type { ScoredDay } from '../scoreEachDay.js';
import { dailyToPrediction } from './dailyToPrediction.js';

export const smartctlHealthModel: ModelRef = { name: 'smartctl-health', version: '1' };

const NOT_REPORTED = 'no overall-health status in the source';

function healthDay(sample: SmartSample): ScoredDay {
  if (sample.healthPassed === undefined) return { time: sample.time, p14: null, p42: null, status: 'Unknown', reason: NOT_REPORTED };
  return { time: sample.time, p14: null, p42: null, status: sample.healthPassed ? 'Good' : 'Bad' };
}

export const smartctlHealth: BatchPredictor = {
  model: smartctlHealthModel,
  predictEachDay: (history) => history.samples.map(healthDay),
  predict(history) {
    const last = history.samples[history.samples.length - 1];
    if (!last) return dailyToPrediction(smartctlHealthModel, undefined, 0, [], 'no samples');
    const day = healthDay(last);
    const reasons =
      day.status === 'Bad' ? [{ feature: 'smart_status.passed', text: 'SMART overall-health self-assessment: FAILED', contribution: 1 }] : [];
    return dailyToPrediction(smartctlHealthModel, day, history.samples.length, reasons, day.reason);
  },
};
