/** Prediction (library shape) → the protocol's prediction object (docs/protocol.md, "Prediction object"). */
import type { JsonValue } from '../lib/util/json.js';
import type { DeviceHistory } from '../lib/smart/types.js';
import type { AppliedOverride } from '../lib/predict/overrides/types.js';
import type { Prediction } from '../lib/predict/types.js';
import { isoTime, utcDate } from '../lib/util/utcTime.js';
import type { Reply } from './protocol/types.js';

const DAY_S = 86_400;

export function predictionReply(p: Prediction, history: DeviceHistory, nowMs: number): Reply {
  const reply: Reply = {};
  if (history.devid !== undefined) reply['devid'] = history.devid;
  reply['status'] = p.status;
  reply['cli'] = p.cli;
  let lifeExpectancy: JsonValue = null;
  let min: string | null = null;
  let max: string | null = null;
  if (p.lifeExpectancy && p.status !== 'Unknown') {
    // Counted from now, as Ceph's devicehealth reads it; `last_sample` tells how fresh the data was.
    const fromS = p.lifeExpectancy.fromDays * DAY_S;
    const toS = p.lifeExpectancy.toDays === null ? null : p.lifeExpectancy.toDays * DAY_S;
    lifeExpectancy = { from_s: fromS, to_s: toS };
    min = utcDate(nowMs + fromS * 1000);
    max = toS === null ? null : utcDate(nowMs + toS * 1000);
  }
  reply['life_expectancy'] = lifeExpectancy;
  reply['life_expectancy_min'] = min;
  reply['life_expectancy_max'] = max;
  reply['p14'] = p.p14;
  reply['p42'] = p.p42;
  reply['reasons'] = p.reasons.map((r) => {
    const out: Reply = { feature: r.feature, text: r.text, contribution: r.contribution };
    if (r.value !== undefined && Number.isFinite(r.value)) out['value'] = r.value;
    if (r.rule !== undefined) out['rule'] = r.rule;
    return out;
  });
  reply['model'] = { name: p.model.name, version: p.model.version };
  // null: the predictor does not say which drive models it was trained on (rules, Ceph's models, older model files)
  reply['familiarity'] = p.familiarity ?? null;
  reply['samples_used'] = p.samplesUsed;
  reply['samples_skipped'] = history.errors.length;
  const last = lastSampleTime(history);
  reply['last_sample'] = last === undefined ? null : isoTime(last);
  reply['overrides'] = (p.overrides ?? []).map(overrideReply);
  if (p.reason !== undefined) reply['reason'] = p.reason;
  // The protocol promises a reason with every Unknown (the mgr module refuses one without): a
  // predictor that gives none still gets one naming it.
  else if (p.status === 'Unknown') reply['reason'] = `model ${p.model.name} ${p.model.version} gave Unknown without a reason`;
  return reply;
}

function overrideReply(o: AppliedOverride): Reply {
  const out: Reply = { id: o.id, action: o.action };
  if (o.device !== undefined) out['device'] = o.device;
  if (o.model !== undefined) out['model'] = o.model;
  if (o.attribute !== undefined) out['attribute'] = o.attribute;
  if (o.baseline !== undefined) out['baseline'] = o.baseline;
  if (o.reported !== undefined) out['reported'] = o.reported;
  if (o.status !== undefined) out['status'] = o.status;
  if (o.modelStatus !== undefined) out['model_status'] = o.modelStatus;
  if (o.note !== undefined) out['note'] = o.note;
  if (o.expires !== undefined) out['expires'] = o.expires;
  out['text'] = o.text;
  return out;
}

function lastSampleTime(history: DeviceHistory): number | undefined {
  let last: number | undefined;
  for (const s of history.samples) if (Number.isFinite(s.time) && (last === undefined || s.time > last)) last = s.time;
  return last;
}
