/**
 * One device identity: Ceph's devid rule, and samples that share a devid but cannot be one device
 * kept apart and reported (issue 15 item 3). Before this, the CLI keyed smartctl files by
 * `model_serial` (spaces kept), Ceph dumps by devid and `score` by serial alone, and merged
 * snapshots with the same time into one history.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { deviceIdOf, formatWwn } from '../../lib/smart/deviceId.js';
import { readDeviceHistories } from '../../lib/smart/readDeviceHistories.js';
import { parseJsonExact, stringifyJsonExact, type JsonObject } from '../../lib/util/json.js';
import { describeShared, sharedPath } from '../helpers/shared.js';

describe('deviceIdOf (Ceph devid rule)', () => {
  it('model_serial with spaces as underscores, as Ceph names devices', () => {
    expect(deviceIdOf({ vendor: 'seagate', model: 'ST4000DM000-1F2168', serial: 'Z300K1Z7' })).toBe('ST4000DM000-1F2168_Z300K1Z7');
    expect(deviceIdOf({ vendor: 'samsung', model: 'Samsung SSD 970 EVO Plus 1TB', serial: 'S4EWNX0N123456A' })).toBe(
      'Samsung_SSD_970_EVO_Plus_1TB_S4EWNX0N123456A',
    );
    // SCSI: the reader's model is INQUIRY "vendor product", so this is Ceph's vendor_model_serial.
    expect(deviceIdOf({ vendor: 'seagate', model: 'SEAGATE  ST4000NM0023 ', serial: ' Z1Z3ABCD' })).toBe('SEAGATE_ST4000NM0023_Z1Z3ABCD');
  });

  it('the WWN stands in for a missing serial; no model or no serial and no WWN: no identity', () => {
    expect(deviceIdOf({ vendor: 'wdc', model: 'WDC WD40EFRX', wwn: formatWwn(5, 0x0014ee, 0x2b5a3c4d5) })).toBe('WDC_WD40EFRX_50014ee2b5a3c4d5');
    expect(deviceIdOf({ vendor: 'wdc', model: 'WDC WD40EFRX' })).toBeUndefined();
    expect(deviceIdOf({ vendor: 'unknown', serial: 'X' })).toBeUndefined();
  });
});

describeShared('readDeviceHistories on the shared smartctl files', () => {
  const dir = sharedPath('smartctl');
  const tmp = mkdtempSync(join(tmpdir(), 'diskpredict-identity-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('154 files of 154 devices give 154 devices; placeholder serials that clash are reported, not merged', async () => {
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => join(dir, f));
    expect(files).toHaveLength(154);
    const r = await readDeviceHistories(files, { cephDayDict: false });
    expect(r.failures).toEqual([]);
    expect(r.devices).toHaveLength(154);
    expect(new Set(r.devices.map((d) => d.name)).size).toBe(154);
    for (const d of r.devices) expect(d.history.samples).toHaveLength(1);
    // 140 distinct model+serial pairs: the other 14 files share `<model>_REDACTED` and a placeholder time.
    expect(r.conflicts).toHaveLength(14);
    for (const c of r.conflicts) {
      expect(c.reason).toBe('same-time');
      expect(c.keptAs).toMatch(/^.+_REDACTED#\d$/);
      expect(c.files).toHaveLength(1);
      expect(c.clashesWith.length).toBeGreaterThan(0);
    }
    expect(r.devices.map((d) => d.name)).toContain('ST10000NM001G-2MW103_ZLW26G7Q');
  });

  // Real snapshot, five copies: what a careless collection of "the same drive" looks like.
  const base = parseJsonExact(readFileSync(join(dir, 'ata_hdd__ST10000NM001G-2MW103__smartctl_exporter-3b1512.json'), 'utf8')) as JsonObject;
  const snapshot = (name: string, timeT: number, hours: number): string => {
    const doc = { ...base, local_time: { time_t: timeT }, power_on_time: { hours } };
    const path = join(tmp, name);
    writeFileSync(path, stringifyJsonExact(doc));
    return path;
  };

  it('five snapshots with the same devid and time, hours going backwards: five devices, four conflicts', async () => {
    const t = 1_738_573_244;
    const paths = [40_000, 39_000, 38_000, 37_000, 36_000].map((h, i) => snapshot(`same-time-${i}.json`, t, h));
    const r = await readDeviceHistories(paths, { cephDayDict: false });
    expect(r.devices.map((d) => d.name)).toEqual([
      'ST10000NM001G-2MW103_ZLW26G7Q',
      'ST10000NM001G-2MW103_ZLW26G7Q#2',
      'ST10000NM001G-2MW103_ZLW26G7Q#3',
      'ST10000NM001G-2MW103_ZLW26G7Q#4',
      'ST10000NM001G-2MW103_ZLW26G7Q#5',
    ]);
    expect(r.conflicts.map((c) => [c.reason, c.files, c.clashesWith[0]])).toEqual(paths.slice(1).map((p) => ['same-time', [p], paths[0]]));
  });

  it('days apart: merged in time order when hours advance, kept apart when they go backwards', async () => {
    const day = 86_400;
    const t = 1_738_573_244;
    const later = snapshot('day2.json', t + day, 33_632);
    const first = snapshot('day1.json', t, 33_608);
    const merged = await readDeviceHistories([later, first], { cephDayDict: false });
    expect(merged.conflicts).toEqual([]);
    expect(merged.devices).toHaveLength(1);
    expect(merged.devices[0]!.history.samples.map((s) => s.powerOnHours)).toEqual([33_608, 33_632]);
    expect(merged.devices[0]!.files).toEqual([later, first]);

    const backwards = snapshot('day3.json', t + 2 * day, 20_000);
    const r = await readDeviceHistories([first, later, backwards], { cephDayDict: false });
    expect(r.devices.map((d) => d.history.samples.length)).toEqual([2, 1]);
    expect(r.conflicts).toHaveLength(1);
    expect(r.conflicts[0]).toMatchObject({ reason: 'power-on-hours-backwards', files: [backwards], keptAs: 'ST10000NM001G-2MW103_ZLW26G7Q#2' });
    expect(r.conflicts[0]!.message).toMatch(/33632 .* back to 20000/);
  });

  it('a different WWN is a different device', async () => {
    const other = join(tmp, 'other-wwn.json');
    writeFileSync(other, stringifyJsonExact({ ...base, local_time: { time_t: 1_738_659_644 }, power_on_time: { hours: 33_700 }, wwn: { naa: 5, oui: 3152, id: 1 } }));
    const r = await readDeviceHistories([join(dir, 'ata_hdd__ST10000NM001G-2MW103__smartctl_exporter-3b1512.json'), other], { cephDayDict: false });
    expect(r.devices).toHaveLength(2);
    expect(r.conflicts[0]).toMatchObject({ reason: 'wwn-differs' });
  });
});
