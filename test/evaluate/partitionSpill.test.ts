import { describe, expect, it } from 'vitest';
import { PartitionSpill } from '../../lib/evaluate/partitionSpill.js';
import { assembleDrive } from '../../lib/evaluate/driveHistory.js';
import { IssueTally } from '../../lib/evaluate/issueTally.js';
import type { SmartSample } from '../../lib/smart/types.js';
import { ataMap } from '../helpers/ataMap.js';

const DAY = 86_400_000;

function sample(serial: string, day: number, extra: Partial<SmartSample> = {}): SmartSample {
  return { device: { serial, vendor: 'seagate' }, time: day * DAY, ...extra };
}

describe('PartitionSpill', () => {
  it('returns every sample grouped by drive, in arrival order, with exact bigints', () => {
    const spill = new PartitionSpill(4);
    const expected = new Map<string, SmartSample[]>();
    for (let i = 0; i < 500; i++) {
      const serial = `D${(i * 7) % 23}`;
      const s = sample(serial, i, { ata: ataMap({ 241: { id: 241, raw: i % 50 === 0 ? 2n ** 62n + BigInt(i) : i * 1000 } }) });
      spill.add(serial, s);
      if (!expected.has(serial)) expected.set(serial, []);
      expected.get(serial)!.push(s);
    }
    const got = new Map<string, SmartSample[]>();
    const partitionsSeen: number[] = [];
    for (const [key, rows] of spill.drives((done) => partitionsSeen.push(done))) got.set(key, rows);
    spill.dispose();
    expect(partitionsSeen).toEqual([1, 2, 3, 4]);
    expect(got).toEqual(expected);
  });
});

describe('assembleDrive', () => {
  it('sorts, merges repeated days keeping a failure, and labels by the first failure', () => {
    const tally = new IssueTally();
    const rows = [sample('X', 12, { failure: true }), sample('X', 10), sample('X', 11), sample('X', 11, { powerOnHours: 7 }), sample('X', 20, { failure: true })];
    const drive = assembleDrive('X', rows, tally);
    expect(drive.history.samples.map((s) => s.time / DAY)).toEqual([10, 11, 12, 20]);
    expect(drive.history.samples[1]!.powerOnHours).toBe(7); // the later row of day 11 wins
    expect(drive.failDay).toBe(12);
    expect(drive.vendor).toBe('seagate');
    expect(tally.list().map((i) => [i.reason, i.count])).toEqual([
      ['rows out of date order (sorted)', 1],
      ['rows repeating a drive-day (later row kept)', 1],
      ['drive failed on several days (first failure used)', 1],
    ]);
  });

  it('keeps the failure flag when a failure row is repeated by a plain row', () => {
    const drive = assembleDrive('Y', [sample('Y', 1), sample('Y', 2, { failure: true }), sample('Y', 2)], new IssueTally());
    expect(drive.failDay).toBe(2);
    expect(drive.history.samples[1]!.failure).toBe(true);
  });
});
