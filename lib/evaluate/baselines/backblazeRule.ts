/**
 * Backblaze's published rule of thumb: a drive is at risk once any of the raw counters SMART 5
 * (reallocated sectors), 187 (reported uncorrectable), 188 (command timeout), 197 (current pending
 * sectors) or 198 (offline uncorrectable) is above zero. Raw values are compared as reported, as
 * Backblaze does (even where a vendor packs several counters into one raw field).
 */
import type { SmartSample } from '../../smart/types.js';
import type { BatchPredictor, ModelRef, PredictionReason } from '../../predict/types.js';
import type { ScoredDay } from '../scoreEachDay.js';
import { dailyToPrediction } from './dailyToPrediction.js';

export const BACKBLAZE_RULE_ATTRIBUTES: readonly number[] = [5, 187, 188, 197, 198];

export const backblazeRuleModel: ModelRef = { name: 'backblaze-rule', version: '1' };

interface RuleDay {
  daily: ScoredDay;
  reasons: PredictionReason[];
}

function ruleDay(sample: SmartSample): RuleDay {
  const reasons: PredictionReason[] = [];
  let reported = 0;
  for (const id of BACKBLAZE_RULE_ATTRIBUTES) {
    const raw = sample.ata?.get(id)?.raw;
    if (raw === undefined) continue;
    reported++;
    if (raw > 0) {
      const value = Number(raw);
      reasons.push({ feature: `smart_${id}_raw`, text: `SMART ${id} raw is ${raw}`, contribution: 1, value });
    }
  }
  if (reported === 0) {
    return {
      daily: { time: sample.time, p14: null, p42: null, status: 'Unknown', reason: 'none of SMART 5/187/188/197/198 reported' },
      reasons,
    };
  }
  return { daily: { time: sample.time, p14: null, p42: null, status: reasons.length > 0 ? 'Bad' : 'Good' }, reasons };
}

export const backblazeRule: BatchPredictor = {
  model: backblazeRuleModel,
  predictEachDay: (history) => history.samples.map((s) => ruleDay(s).daily),
  predict(history) {
    const last = history.samples[history.samples.length - 1];
    if (!last) return dailyToPrediction(backblazeRuleModel, undefined, 0, [], 'no samples');
    const day = ruleDay(last);
    return dailyToPrediction(backblazeRuleModel, day.daily, history.samples.length, day.reasons, day.daily.reason);
  },
};
