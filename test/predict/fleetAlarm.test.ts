import { describe, expect, it } from 'vitest';
import { describeFleetAlarm, fleetAlarm, fleetAlarmOfTally, FleetAlarmOptionError, fleetTally, type FleetTally, type FleetVerdict } from '../../lib/predict/fleetAlarm.js';
import type { HealthStatus } from '../../lib/predict/types.js';

function fleet(n: number, bad: number, model = 'ST4000DM000', status: HealthStatus = 'Good'): FleetVerdict[] {
  return Array.from({ length: n }, (_, i) => ({ devid: `${model}_${i}`, status: i < bad ? 'Bad' : status, model }));
}

describe('fleetAlarm', () => {
  it('is raised when more than the share AND at least minDevices are Bad', () => {
    const a = fleetAlarm([...fleet(20, 3), ...fleet(20, 0, 'HGST HMS5C4040BLE640')])!;
    expect(a).toEqual({ badDevices: 3, fleetSize: 40, share: 3 / 40, models: [{ model: 'ST4000DM000', bad: 3, total: 20 }] });
  });

  it('is not raised at exactly the share (it must be exceeded)', () => {
    expect(fleetAlarm(fleet(60, 3))).toBeNull(); // 5 % exactly
    expect(fleetAlarm(fleet(59, 3))).not.toBeNull();
  });

  it('needs minDevices Bad, however small the fleet', () => {
    expect(fleetAlarm(fleet(3, 2))).toBeNull(); // 67 % but only 2
    expect(fleetAlarm(fleet(3, 3))).not.toBeNull();
    expect(fleetAlarm(fleet(3, 2), { minDevices: 2 })).not.toBeNull();
  });

  it('honours the configured share', () => {
    expect(fleetAlarm(fleet(40, 5), { maxBadShare: 0.2 })).toBeNull();
    expect(fleetAlarm(fleet(40, 9), { maxBadShare: 0.2 })).not.toBeNull();
  });

  it('counts a device named twice once, with its last verdict; Unknown devices are part of the fleet', () => {
    const twice: FleetVerdict[] = [
      ...fleet(4, 0, 'X', 'Unknown'),
      { devid: 'a', status: 'Bad', model: 'M' },
      { devid: 'a', status: 'Bad', model: 'M' },
      { devid: 'b', status: 'Bad', model: 'M' },
    ];
    expect(fleetAlarm(twice)).toBeNull(); // 2 distinct Bad devices
    const a = fleetAlarm([...twice, { devid: 'c', status: 'Bad' }, { devid: 'b', status: 'Good', model: 'M' }, { devid: 'd', status: 'Bad', model: '' }])!;
    expect(a.badDevices).toBe(3);
    expect(a.fleetSize).toBe(8);
    expect(a.models).toEqual([
      { model: 'unknown model', bad: 2, total: 2 },
      { model: 'M', bad: 1, total: 2 },
    ]);
  });

  it('lists the models most Bad first and says what it likely means', () => {
    const a = fleetAlarm([...fleet(10, 2, 'B'), ...fleet(10, 4, 'A'), ...fleet(10, 2, 'C')])!;
    expect(a.models.map((m) => m.model)).toEqual(['A', 'B', 'C']);
    expect(describeFleetAlarm(a)).toBe('8 of 30 devices (26.7 %) Bad in one pass: A 4/10, B 2/10, C 2/10 — more likely a model mismatch than a wave of failures; per-device verdicts are still reported');
  });

  it('is null for an empty pass and refuses nonsense options', () => {
    expect(fleetAlarm([])).toBeNull();
    expect(() => fleetAlarm([], { maxBadShare: 0 })).toThrow(FleetAlarmOptionError);
    expect(() => fleetAlarm([], { maxBadShare: 1.5 })).toThrow(FleetAlarmOptionError);
    expect(() => fleetAlarm([], { maxBadShare: Number.NaN })).toThrow(FleetAlarmOptionError);
    expect(() => fleetAlarm([], { minDevices: 0 })).toThrow(FleetAlarmOptionError);
    expect(() => fleetAlarm([], { minDevices: 2.5 })).toThrow(FleetAlarmOptionError);
  });

  it('decides a pass sent in several batches from their tallies added up, as one list would', () => {
    const all = [...fleet(30, 1, 'A'), ...fleet(30, 1, 'B'), ...fleet(30, 2, 'C')];
    const batches = [all.slice(0, 25), all.slice(25, 50), all.slice(50, 75), all.slice(75)];
    // no batch alone has 3 Bad devices
    for (const b of batches) expect(fleetAlarm(b)).toBeNull();
    const sum: FleetTally = { fleetSize: 0, badDevices: 0, models: [] };
    for (const t of batches.map(fleetTally)) {
      sum.fleetSize += t.fleetSize;
      sum.badDevices += t.badDevices;
      for (const m of t.models) {
        const known = sum.models.find((x) => x.model === m.model);
        if (known) {
          known.bad += m.bad;
          known.total += m.total;
        } else sum.models.push({ ...m });
      }
    }
    sum.models.sort((a, b) => b.bad - a.bad || a.model.localeCompare(b.model));
    expect(fleetAlarmOfTally(sum, { maxBadShare: 0.04 })).toEqual(fleetAlarm(all, { maxBadShare: 0.04 }));
    expect(fleetAlarm(all, { maxBadShare: 0.04 })!.models).toEqual([
      { model: 'C', bad: 2, total: 30 },
      { model: 'A', bad: 1, total: 30 },
      { model: 'B', bad: 1, total: 30 },
    ]);
    // the tally lists every model, Bad or not
    expect(fleetTally(fleet(5, 0, 'Z')).models).toEqual([{ model: 'Z', bad: 0, total: 5 }]);
  });
});
