import { describe, expect, it } from 'vitest';
import { backblazeRule, smartctlHealth } from '../../lib/evaluate/baselines/index.js';
import type { DeviceHistory, SmartSample } from '../../lib/smart/types.js';

function sample(day: number, raw: Record<number, number | bigint>, healthPassed?: boolean): SmartSample {
  const s: SmartSample = {
    device: { vendor: 'seagate', serial: 'S1' },
    time: day * 86_400_000,
    ata: new Map(Object.entries(raw).map(([id, r]) => [Number(id), { id: Number(id), raw: r }])),
  };
  if (healthPassed !== undefined) s.healthPassed = healthPassed;
  return s;
}

const history = (samples: SmartSample[]): DeviceHistory => ({ samples, errors: [] });

describe('backblazeRule', () => {
  it('flags a day once any of raw 5/187/188/197/198 is above zero, per day', () => {
    const h = history([sample(0, { 5: 0, 197: 0, 9: 100 }), sample(1, { 5: 0, 197: 2 }), sample(2, { 188: 2n ** 60n }), sample(3, { 9: 5 })]);
    expect(backblazeRule.predictEachDay(h).map((d) => d.status)).toEqual(['Good', 'Bad', 'Bad', 'Unknown']);
    const last = backblazeRule.predict(history(h.samples.slice(0, 2)));
    expect(last.status).toBe('Bad');
    expect(last.reasons.map((r) => r.feature)).toEqual(['smart_197_raw']);
    expect(last.cli).toBe('<2w');
    expect(backblazeRule.predict(h).reason).toMatch(/none of SMART/);
  });
});

describe('smartctlHealth', () => {
  it('follows the overall-health flag and is Unknown without it', () => {
    const h = history([sample(0, {}, true), sample(1, {}, false), sample(2, {})]);
    expect(smartctlHealth.predictEachDay(h).map((d) => d.status)).toEqual(['Good', 'Bad', 'Unknown']);
    expect(smartctlHealth.predict(history([sample(1, {}, false)])).status).toBe('Bad');
    expect(smartctlHealth.predict(history([])).status).toBe('Unknown');
  });
});
