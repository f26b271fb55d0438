import { describe, expect, it } from 'vitest';
import { columnsFromSamples } from '../../lib/features/columnsFromHistory.js';
import { FEATURE_ATTRIBUTES } from '../../lib/features/featurizeColumns.js';
import type { AtaAttribute, SmartSample } from '../../lib/smart/types.js';
import { ataMap } from '../helpers/ataMap.js';

const day = (d: number, hour = 0) => Date.UTC(2024, 0, d, hour);
const sample = (time: number, ata: Record<number, AtaAttribute>, vendor: SmartSample['device']['vendor'] = 'wdc'): SmartSample => ({ device: { vendor, protocol: 'ata', capacityBytes: 2e12 }, time, ata: ataMap(ata) });

describe('columnsFromSamples', () => {
  it('keeps one row per UTC day (the later sample), oldest first', () => {
    const c = columnsFromSamples([sample(day(3), { 5: { id: 5, raw: 9 } }), sample(day(1, 2), { 5: { id: 5, raw: 1 } }), sample(day(1, 20), { 5: { id: 5, raw: 2 } })]);
    expect(Array.from(c.days)).toEqual([Math.floor(day(1) / 86400000), Math.floor(day(3) / 86400000)]);
    expect(Array.from(c.raw[FEATURE_ATTRIBUTES.indexOf(5)]!)).toEqual([2, 9]);
    expect(c.usableRows).toBe(2);
    expect(c.capacityBytes).toBe(2e12);
  });

  it('decodes packed temperatures and leaves unknown packings out', () => {
    const c = columnsFromSamples([sample(day(1), { 194: { id: 194, raw: 0x2d0015002d } })]);
    expect(c.raw[FEATURE_ATTRIBUTES.indexOf(194)]![0]).toBe(45);
  });

  it('counts samples without model attributes as unusable', () => {
    const c = columnsFromSamples([sample(day(1), { 250: { id: 250, raw: 3 } })]);
    expect(c.usableRows).toBe(0);
  });
});
