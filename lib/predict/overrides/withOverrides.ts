/**
 * The one place overrides are applied: a Predictor wrapped so that every prediction it makes — library, CLI,
 * daemon, and through the daemon the Ceph mgr module — first drops the ignored attributes and subtracts the
 * accepted baselines from the samples, then predicts, then applies a forced status, and lists in `overrides`
 * what applied.
 *
 * When entries overlap: ignoring an attribute wins over a baseline for it; a device entry wins over a model entry
 * (for the same attribute's baseline, and for the forced status); between entries of the same kind the later in
 * the file wins. Expiry is judged at `options.now` when given, else at the clock's time (wall time by default),
 * never at the newest sample's time: an operator's "until Friday" means Friday.
 */
import type { DeviceHistory } from '../../smart/types.js';
import { cephLifeExpectancyFor, lifeExpectancyFor } from '../lifeExpectancy.js';
import type { Prediction, PredictionReason, PredictOptions, Predictor } from '../types.js';
import { adjustHistory, attributeValueIn, type SampleAdjustments } from './adjustSamples.js';
import { attributeOfFeature, describeAttribute } from './attributeName.js';
import { matchOverrides } from './matchOverrides.js';
import type { AppliedOverride, Override } from './types.js';

export interface WithOverridesOptions {
  /** ms since the epoch, for expiry when the caller gives no `now` (default Date.now) */
  clock?: () => number;
}

const isDevice = (o: Override): boolean => 'device' in o.scope;

/** Device entries after model entries, file order kept within each: the last one of a kind wins. */
function bySpecificity(matched: readonly Override[]): Override[] {
  return [...matched.filter((o) => !isDevice(o)), ...matched.filter(isDevice)];
}

function base(o: Override): Omit<AppliedOverride, 'text'> {
  const a: Omit<AppliedOverride, 'text'> = { id: o.id, action: o.action.kind, ...o.scope };
  if (o.note !== undefined) a.note = o.note;
  if (o.expires !== undefined) a.expires = o.expires;
  return a;
}

const noteOf = (o: Override): string => (o.note !== undefined ? `: ${o.note}` : '');
const untilOf = (o: Override): string => (o.expires !== undefined ? ` until ${o.expires}` : '');

interface Plan {
  adjustments: SampleAdjustments;
  ignores: Override[];
  baselines: Map<string, Override & { action: { kind: 'baseline' } }>;
  force: (Override & { action: { kind: 'force' } }) | undefined;
}

function planFor(matched: readonly Override[]): Plan {
  const ignore = new Set<string>();
  const ignores: Override[] = [];
  const baselines: Plan['baselines'] = new Map();
  let force: Plan['force'];
  for (const o of bySpecificity(matched)) {
    const a = o.action;
    if (a.kind === 'ignore') {
      ignore.add(a.attribute);
      ignores.push(o);
    } else if (a.kind === 'baseline') baselines.set(a.attribute, o as Override & { action: typeof a });
    else force = o as Override & { action: typeof a };
  }
  for (const name of ignore) baselines.delete(name);
  const baseline = new Map([...baselines].map(([name, o]) => [name, o.action.value]));
  return { adjustments: { ignore, baseline }, ignores, baselines, force };
}

function newestValue(history: DeviceHistory, name: string): number | undefined {
  let newest: number | undefined;
  let time = -Infinity;
  for (const s of history.samples) {
    const v = attributeValueIn(s, name);
    if (v !== undefined && s.time >= time) [newest, time] = [v, s.time];
  }
  return newest;
}

function applied(plan: Plan, history: DeviceHistory): AppliedOverride[] {
  const out: AppliedOverride[] = [];
  for (const o of plan.ignores) {
    const attribute = (o.action as { attribute: string }).attribute;
    out.push({ ...base(o), attribute, text: `${describeAttribute(attribute)} ignored by override ${o.id}${untilOf(o)}${noteOf(o)}` });
  }
  for (const [attribute, o] of plan.baselines) {
    const value = o.action.value;
    const reported = newestValue(history, attribute);
    const now = reported === undefined ? 'not reported' : `reported ${reported}, read as ${Math.max(0, reported - value)}`;
    const a: AppliedOverride = { ...base(o), attribute, baseline: value, text: `${describeAttribute(attribute)}: ${value} accepted by override ${o.id}${untilOf(o)} (${now})${noteOf(o)}` };
    if (reported !== undefined) a.reported = reported;
    out.push(a);
  }
  return out;
}

/** Reasons about a baselined attribute say that they count above the baseline. */
function reasonsAfterBaseline(reasons: readonly PredictionReason[], plan: Plan): PredictionReason[] {
  if (plan.baselines.size === 0) return [...reasons];
  return reasons.map((r) => {
    const name = attributeOfFeature(r.feature);
    const o = name === undefined ? undefined : plan.baselines.get(name);
    return o === undefined ? r : { ...r, text: `${r.text} [counted above the accepted ${o.action.value}, override ${o.id}]` };
  });
}

function forced(p: Prediction, o: NonNullable<Plan['force']>, list: AppliedOverride[]): Prediction {
  const status = o.action.status;
  const was = p.status === 'Unknown' && p.reason !== undefined ? `Unknown (${p.reason})` : p.status;
  const text = `status forced to ${status} by override ${o.id}${untilOf(o)}${noteOf(o)}; the model said ${was}`;
  list.push({ ...base(o), status, modelStatus: p.status, text });
  return { ...p, status, lifeExpectancy: lifeExpectancyFor(status), cli: cephLifeExpectancyFor(status), reason: text };
}

/** Applies `overrides` to every prediction `predictor` makes. */
export function withOverrides(predictor: Predictor, overrides: readonly Override[], options: WithOverridesOptions = {}): Predictor {
  const clock = options.clock ?? Date.now;
  const wrapped: Predictor = {
    model: predictor.model,
    predict(history: DeviceHistory, predictOptions?: PredictOptions): Prediction {
      const matched = matchOverrides(history, overrides, predictOptions?.now ?? clock());
      if (matched.length === 0) return { ...predictor.predict(history, predictOptions), overrides: [] };
      const plan = planFor(matched);
      const p = predictor.predict(adjustHistory(history, plan.adjustments), predictOptions);
      const list = applied(plan, history);
      const out: Prediction = { ...p, reasons: reasonsAfterBaseline(p.reasons, plan), overrides: list };
      return plan.force ? forced(out, plan.force, list) : out;
    },
  };
  if (predictor.needsCephDayDict !== undefined) Object.assign(wrapped, { needsCephDayDict: predictor.needsCephDayDict });
  return wrapped;
}
