import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { ModelPredictor } from '../../lib/predict/modelPredictor.js';
import { COLD_START_DAYS, COLD_START_SECTORS } from '../../lib/predict/coldStartFloor.js';
import type { DeviceHistory, SmartSample } from '../../lib/smart/types.js';

const model = ModelPredictor.fromFile(join(import.meta.dirname, '..', '..', 'models', 'default', 'model.json'));

function day(d: number, counters: Record<number, number>): SmartSample {
  const ata: NonNullable<SmartSample['ata']> = new Map();
  for (const id of [1, 5, 9, 187, 188, 194, 197, 198]) {
    const raw = counters[id] ?? (id === 9 ? 20_000 + 24 * d : id === 194 ? 30 : 0);
    ata.set(id, { id, value: 100, raw } as never);
  }
  return { device: { model: 'ST8000DM002', serial: 'ZA1', vendor: 'seagate', capacityBytes: 8_001_563_222_016 }, time: Date.UTC(2024, 0, 1 + d), ata };
}

const history = (days: number, counters: Record<number, number>): DeviceHistory => ({
  devid: 'ST8000DM002_ZA1',
  samples: Array.from({ length: days }, (_, d) => day(d, counters)),
  errors: [],
});

describe('cold start: what one day of SMART says', () => {
  it('a drive first seen with hundreds of reallocated and pending sectors is Bad on its first day', () => {
    const p = model.predict(history(1, { 5: 400, 197: 300, 198: 300 }));
    expect(p.status).toBe('Bad');
    const clean = model.predict(history(1, {}));
    expect(clean.status).toBe('Good');
  });

  it(`a first-seen drive with ≥ ${COLD_START_SECTORS} bad sectors the model would call Good is Warning, with the rule as first reason`, () => {
    const p = model.predict(history(1, { 5: 1000 }));
    expect(p.status).toBe('Warning');
    expect(p.reasons[0]!.feature).toBe('cold_start_bad_sectors');
    expect(p.reasons[0]!.rule).toMatch(/Σ raw 5\/197\/198 ≥ 200 → Warning/);
    expect(p.reason).toMatch(/^first days: 1000 reallocated.*\(the model alone said Good: p14 0\.\d{4} < 0\.\d{4}, p42 0\.\d{4} < 0\.\d{4}\); further reasons: the features that raised p42 most$/);
    // below the floor the model decides
    expect(model.predict(history(1, { 5: COLD_START_SECTORS - 1 })).reasons.some((r) => r.feature === 'cold_start_bad_sectors')).toBe(false);
  });

  it(`stops after ${COLD_START_DAYS} days of history, and predictEachDay agrees with predict on every prefix`, () => {
    const h = history(COLD_START_DAYS + 3, { 5: 1000 });
    const daily = model.predictEachDay(h);
    for (let i = 0; i < h.samples.length; i++) {
      const p = model.predict({ ...h, samples: h.samples.slice(0, i + 1) });
      expect(daily[i]!.status).toBe(p.status);
      if (i >= COLD_START_DAYS) expect(p.reasons.some((r) => r.feature === 'cold_start_bad_sectors')).toBe(false);
    }
    expect(daily[0]!.status).toBe('Warning');
  });
});
