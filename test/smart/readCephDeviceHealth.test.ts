import { describe, expect, it } from 'vitest';
import { parseCephTimestampKey, readCephDashboardMap, readCephDeviceHealthMap } from '../../lib/smart/readCephDeviceHealth.js';
import { SmartParseError } from '../../lib/smart/errors.js';
import type { JsonObject } from '../../lib/util/json.js';
import { makeAtaHdd, makeCephDump, makeNvme } from '../fixtures/makeSmartctlFixtures.js';

const day = (d: number, h = 3): Date => new Date(Date.UTC(2024, 0, d, h, 4, 5));

describe('parseCephTimestampKey', () => {
  it('reads both key shapes as UTC', () => {
    expect(parseCephTimestampKey('20240102-030405')).toBe(Date.UTC(2024, 0, 2, 3, 4, 5));
    expect(parseCephTimestampKey('2018-01-06')).toBe(Date.UTC(2018, 0, 6));
  });
  it.each(['20240230-000000', '20240101-250000', '2024-13-01', '2024-1-1', 'latest', '20240101'])('rejects %j', (key) => {
    expect(parseCephTimestampKey(key)).toBeUndefined();
  });
});

describe('readCephDeviceHealthMap', () => {
  it('orders samples by key time, keeps error entries apart, names the pointer', () => {
    const dump = makeCephDump([
      [day(3), makeAtaHdd({ reallocated: 16 })],
      [day(1), makeAtaHdd({ reallocated: 8 })],
      [day(2), { error: 'smartctl returned 2', output: '' }],
      [day(4), makeAtaHdd({ exitStatus: 2 })],
    ]);
    const h = readCephDeviceHealthMap(dump, { file: 'dump.json', devid: 'SEAGATE_ST16000NM001G_ZL2TEST1' });
    expect(h.devid).toBe('SEAGATE_ST16000NM001G_ZL2TEST1');
    expect(h.samples.map((s) => s.time)).toEqual([day(1).getTime(), day(3).getTime()]);
    expect(h.samples.map((s) => s.ata?.get(5)?.raw)).toEqual([8, 16]);
    expect(h.samples[0]!.source).toEqual({ format: 'ceph', file: 'dump.json', pointer: '/20240101-030405' });
    expect(h.samples[0]!.ceph?.['smart_5_raw']).toBe(8);
    expect(h.errors).toEqual([
      { time: day(2).getTime(), key: '20240102-030405', message: 'smartctl returned 2' },
      { time: day(4).getTime(), key: '20240104-030405', message: expect.stringContaining('exit status 2') },
    ]);
  });

  it('a sample shares the previous entry\'s identity and attribute objects that did not change, never one that did or of another vendor', () => {
    const wdc = makeAtaHdd({ reallocated: 16 });
    wdc['model_name'] = 'WDC WD40EFRX-68N32N0';
    delete wdc['model_family'];
    const dump = makeCephDump([
      [day(1), makeAtaHdd({ reallocated: 8 })],
      [day(2), makeAtaHdd({ reallocated: 8 })],
      [day(3), makeAtaHdd({ reallocated: 16 })],
      [day(4), wdc],
    ]);
    const samples = readCephDeviceHealthMap(dump).samples;
    expect(samples[1]!.device).toBe(samples[0]!.device);
    expect(samples[2]!.device).toBe(samples[0]!.device);
    expect(samples[3]!.device).not.toBe(samples[2]!.device);
    expect(samples[3]!.device.model).toBe('WDC WD40EFRX-68N32N0');
    const [a, b, c, d] = samples.map((s) => s.ata!);
    for (const id of a!.keys()) expect(b!.get(id), `attribute ${id}`).toBe(a!.get(id));
    expect(c!.get(5)).not.toBe(b!.get(5));
    expect(c!.get(5)!.raw).toBe(16);
    expect(c!.get(1)).toBe(b!.get(1));
    expect(d!.get(1)).not.toBe(c!.get(1)); // a Western Digital drive decodes its raw values its own way
    expect(d!.get(1)).toEqual(readCephDeviceHealthMap(makeCephDump([[day(4), wdc]])).samples[0]!.ata!.get(1));
  });

  it('the key time wins over local_time (the mgr scrape time orders the history)', () => {
    const h = readCephDeviceHealthMap(makeCephDump([[day(5), makeAtaHdd({ time: 1 })]]));
    expect(h.samples[0]!.time).toBe(day(5).getTime());
  });

  it('a non-timestamp key makes the dump malformed', () => {
    const dump: JsonObject = { '20240101-000000': makeAtaHdd(), latest: makeAtaHdd() };
    expect(() => readCephDeviceHealthMap(dump, { file: 'd.json' })).toThrow(SmartParseError);
    try {
      readCephDeviceHealthMap(dump, { file: 'd.json' });
    } catch (err) {
      expect((err as SmartParseError).pointer).toBe('/latest');
      expect((err as SmartParseError).code).toBe('FORMAT');
    }
  });

  it('a non-object is a TYPE error; an empty dump is an empty history', () => {
    expect(() => readCephDeviceHealthMap([])).toThrow(SmartParseError);
    expect(readCephDeviceHealthMap({})).toEqual({ samples: [], errors: [] });
  });
});

describe('readCephDashboardMap', () => {
  it('one history per device id; an entry without data is an error of that device', () => {
    const map = readCephDashboardMap({ 'SAMSUNG_X_S64GTEST': makeNvme(), 'broken_dev': { error: 'timeout' } }, { file: 'dash.json' });
    expect([...map.keys()]).toEqual(['SAMSUNG_X_S64GTEST', 'broken_dev']);
    const nvme = map.get('SAMSUNG_X_S64GTEST')!;
    expect(nvme.samples[0]!.source?.pointer).toBe('/SAMSUNG_X_S64GTEST');
    expect(nvme.samples[0]!.nvme?.mediaErrors).toBe(2);
    const broken = map.get('broken_dev')!;
    expect(broken.samples).toEqual([]);
    expect(broken.errors[0]!.message).toBe('timeout');
    expect(broken.errors[0]!.time).toBeNaN();
  });
});
