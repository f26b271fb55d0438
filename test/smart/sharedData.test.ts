/**
 * Every real file in ../shared/data/smartctl (incl. edge_cases/) and ../shared/data/ceph is read:
 * device files give a sample; files without device data give a SmartParseError (decided per file
 * below), never another exception. Values asserted for known devices were read from the files.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { SmartParseError } from '../../lib/smart/errors.js';
import { readCephDashboardMap, readCephDeviceHealthMap } from '../../lib/smart/readCephDeviceHealth.js';
import { parseSmartJsonText, readSmartctlJson, readSmartctlJsonText } from '../../lib/smart/readSmartctlJson.js';
import type { SmartSample } from '../../lib/smart/types.js';
import { describeShared, sharedPath } from '../helpers/shared.js';

const smartctlDir = sharedPath('smartctl');
const edgeDir = join(smartctlDir, 'edge_cases');
const listJson = (dir: string): string[] => readdirSync(dir).filter((f) => f.endsWith('.json'));

function read(name: string): SmartSample {
  const file = join(name.startsWith('edge__') ? edgeDir : smartctlDir, name);
  return readSmartctlJsonText(readFileSync(file, 'utf8'), file);
}

function readError(name: string): SmartParseError {
  try {
    read(name);
  } catch (err) {
    if (err instanceof SmartParseError) return err;
    throw err;
  }
  throw new Error(`${name}: expected a SmartParseError`);
}

// Edge files that carry no usable device data, and why.
const NO_DATA: Record<string, { code: string; pointer: string }> = {
  // exit status bit 0: smartctl could not even open /dev/nonexistent
  'edge__nonexistent-device__smartctl_exporter.json': { code: 'MISSING', pointer: '/smartctl/exit_status' },
  // exit status bit 1: --nocheck=standby left the sleeping drive alone
  'edge__standby-sdc__smartctl_exporter.json': { code: 'MISSING', pointer: '/smartctl/exit_status' },
  // no local_time: a sample without a time cannot enter a history (callers may pass one)
  'edge__smart-sat__scrutiny.json': { code: 'MISSING', pointer: '/local_time/time_t' },
  'edge__smartctl_info_sata_smart_support_bool__scrutiny.json': { code: 'MISSING', pointer: '/local_time/time_t' },
  'edge__smartctl_info_sata_smart_support_object__scrutiny.json': { code: 'MISSING', pointer: '/local_time/time_t' },
};

// Part numbers with no documented vendor prefix (HP OEM, SK hynix, Transcend, Corsair, Sabrent,
// Kioxia, a masked Samsung model): `unknown` is the right answer.
const UNKNOWN_VENDOR = new Set(['MB0500EBNCR', 'HFS1T9G3H2X069N', 'TS32GMTS400', 'X SSD 850 PRO 128GB', 'Force MP510', 'Sabrent Rocket 4.0 1TB', 'KCD61LUL3T84']);

describeShared('shared smartctl files', () => {
  it('every device file gives a sample with identity, time and a known protocol', () => {
    const files = listJson(smartctlDir);
    expect(files.length).toBeGreaterThan(100);
    for (const name of files) {
      const s = read(name);
      expect(s.device.model, name).toBeDefined();
      expect(s.device.protocol, name).toMatch(/^(ata|nvme|scsi)$/);
      expect(Number.isFinite(s.time), name).toBe(true);
      expect(s.healthPassed, name).toBeTypeOf('boolean');
      // The scrutiny SCSI file has no smartctl section, so its grown defect count carries a doubt.
      const expectedWarnings = name === 'scsi__SEAGATE_ST4000NM0043__scrutiny-51fbf4.json' ? ['/scsi_grown_defect_list'] : [];
      expect((s.warnings ?? []).map((w) => w.pointer), name).toEqual(expectedWarnings);
      expect(s.device.vendor === 'unknown', `${name}: vendor ${s.device.vendor}`).toBe(UNKNOWN_VENDOR.has(s.device.model!));
      const cls = name.split('__')[0];
      if (cls === 'nvme') expect(s.nvme, name).toBeDefined();
      if (cls === 'scsi') expect(s.scsi, name).toBeDefined();
      if (cls === 'ata_hdd' || cls === 'ata_ssd') expect(s.device.ssd, name).toBe(cls === 'ata_ssd');
    }
  });

  it('every edge case gives a sample or the documented SmartParseError', () => {
    for (const name of listJson(edgeDir)) {
      const expected = NO_DATA[name];
      if (expected) expect(readError(name), name).toMatchObject(expected);
      else expect(read(name).device, name).toBeDefined();
    }
  });

  it('info-only and attribute-only outputs are readable when the caller gives the time', () => {
    for (const name of ['edge__smartctl_info_sata_smart_support_bool__scrutiny.json', 'edge__smartctl_info_sata_smart_support_object__scrutiny.json']) {
      const s = readSmartctlJson(parseSmartJsonText(readFileSync(join(edgeDir, name), 'utf8')), { time: 0 });
      expect(s.device).toEqual({ vendor: 'wdc', model: 'WD Red SA500 2.5 4TB', serial: '2433274A1T13', wwn: '5001b444a5523895', firmware: '540400WD', protocol: 'ata', capacityBytes: 4000787030016 });
      expect(s.warnings).toBeUndefined();
    }
    const sat = readSmartctlJson(parseSmartJsonText(readFileSync(join(edgeDir, 'edge__smart-sat__scrutiny.json'), 'utf8')), { time: 0 });
    expect(sat.device).toEqual({ vendor: 'unknown', protocol: 'ata' });
    expect(sat.ata?.get(1)?.value).toBe(115);
  });

  it('a RAID volume reports identity but no SMART data; its 0 °C is "not reported"', () => {
    const s = read('edge__smart-raid__scrutiny.json');
    expect(s.device).toMatchObject({ vendor: 'intel', model: 'Intel Raid 1 Volume', protocol: 'scsi' });
    expect(s.temperatureC).toBeUndefined();
    expect(s.smartctlExitStatus).toBe(4);
  });

  it('ATA HDD: Seagate Exos X16 ST10000NM001G', () => {
    const s = read('ata_hdd__ST10000NM001G-2MW103__smartctl_exporter-3b1512.json');
    expect(s.device).toEqual({
      vendor: 'seagate',
      model: 'ST10000NM001G-2MW103',
      serial: 'ZLW26G7Q',
      wwn: '5000c500c878cb0e', // smartctl prints "5 000c50 0c878cb0e"
      firmware: 'SN03',
      protocol: 'ata',
      capacityBytes: 10000831348736,
      rotationRate: 7200,
      ssd: false,
    });
    expect(s.time).toBe(1738573244000);
    expect(s).toMatchObject({ healthPassed: true, powerOnHours: 33608, temperatureC: 39 });
    expect(s.ata!.get(1)).toMatchObject({ value: 79, worst: 64, thresh: 44, raw: 79398736, decoded: 0 });
    expect(s.ata!.get(190)).toMatchObject({ raw: 757137447, rawString: '39 (Min/Max 33/45)', decoded: 39 });
    expect(s.ceph?.['smart_9_raw']).toBe(33608);
  });

  it('ATA HDD: failing Hitachi HDS721050DLE630 (attribute 5 failing now)', () => {
    const s = read('ata_hdd__Hitachi_HDS721050DLE630__scrutiny-e026ee.json');
    expect(s.device).toMatchObject({ vendor: 'hitachi', serial: 'MSK423Y20S3HBC', firmware: 'MS1OA650', capacityBytes: 500107862016 });
    expect(s).toMatchObject({ healthPassed: false, powerOnHours: 65592, temperatureC: 25, smartctlExitStatus: 216 });
    expect(s.ata!.get(5)).toMatchObject({ value: 1, worst: 1, thresh: 5, whenFailed: 'now', raw: 1975 });
  });

  it('ATA HDD: Seagate packed raws (msec24hour32 hours, three-counter 188)', () => {
    const a = read('ata_hdd__ST1000NM0008-2F2100__smartctl_exporter-6dcc34.json');
    expect(a.ata!.get(9)).toMatchObject({ raw: 9023116403587028n, rawString: '47060h+35m+00.858s', decoded: 47060 });
    expect(a.powerOnHours).toBe(47060);
    const b = read(listJson(smartctlDir).find((f) => f.startsWith('ata_hdd__ST2000NM0008'))!);
    expect(b.ata!.get(188)).toMatchObject({ raw: 8590065666, rawString: '2 2 2', decoded: 2 });
  });

  it('ATA SSD: Samsung SSD 840', () => {
    const s = read('ata_ssd__Samsung_SSD_840_Series__scrutiny-7ca007.json');
    expect(s.device).toMatchObject({ vendor: 'samsung', serial: 'S14LNEACC02756X', firmware: 'DXT06B0Q', rotationRate: 0, ssd: true });
    expect(s).toMatchObject({ powerOnHours: 19497, temperatureC: 33, healthPassed: true });
    expect(s.ata!.get(177)).toMatchObject({ name: 'Wear_Leveling_Count', value: 98, raw: 14 });
  });

  it('ATA SSD: Intel SSDSC2KB240G8', () => {
    const s = read('ata_ssd__INTEL_SSDSC2KB240G8__smartctl_exporter-5c5934.json');
    expect(s.device).toMatchObject({ vendor: 'intel', ssd: true });
    expect(s).toMatchObject({ powerOnHours: 40786, temperatureC: 20 });
    expect(s.ata!.get(233)).toMatchObject({ value: 88, worst: 88, raw: 0 });
  });

  it('NVMe: Samsung 970 EVO with media errors', () => {
    const s = read('nvme__Samsung_SSD_970_EVO_500GB__scrutiny-34d3d8.json');
    expect(s.device).toMatchObject({ vendor: 'samsung', protocol: 'nvme', ssd: true, firmware: '2B2QEXE7' });
    expect(s.nvme).toMatchObject({
      availableSpare: 99,
      availableSpareThreshold: 10,
      percentageUsed: 3,
      dataUnitsRead: 17176794,
      dataUnitsWritten: 65602088,
      powerOnHours: 12798,
      unsafeShutdowns: 10,
      mediaErrors: 7,
      errorLogEntries: 62,
    });
    expect(s).toMatchObject({ powerOnHours: 12798, temperatureC: 35, time: 1652220188000 });
  });

  it('NVMe: Samsung MZWLL3T2HAJQ with volatile backup failed', () => {
    const s = read('nvme__SAMSUNG_MZWLL3T2HAJQ-00005__smartctl_exporter-eaf204.json');
    expect(s).toMatchObject({ healthPassed: false, smartctlExitStatus: 8 });
    expect(s.nvme?.criticalWarning).toMatchObject({ raw: 16, volatileBackupFailed: true, availableSpareLow: false, readOnly: false });
    expect(s.device.capacityBytes).toBe(3200631791616);
  });

  it('SCSI (scrutiny, no smartctl section): Seagate ST4000NM0043 with grown defects', () => {
    const s = read('scsi__SEAGATE_ST4000NM0043__scrutiny-51fbf4.json');
    expect(s.device).toMatchObject({ vendor: 'seagate', serial: 'Z1Z5DWJK0000XXXXXXXX', firmware: 'MS03', protocol: 'scsi', rotationRate: 7200 });
    expect(s.scsi).toMatchObject({ grownDefects: 56, read: { corrected: 300357663, uncorrected: 0 } });
    expect(s.smartctlExitStatus).toBeUndefined();
  });

  it('SCSI (smartctl 7.4 scsi_* names): Toshiba AL15SEB24EQY behind megaraid', () => {
    const s = read('scsi__TOSHIBA_AL15SEB24EQY__smartctl_exporter-d044bc.json');
    expect(s.device).toMatchObject({ vendor: 'toshiba', model: 'TOSHIBA AL15SEB24EQY', firmware: 'EF06', rotationRate: 10000 });
    expect(s.scsi).toEqual({
      grownDefects: 0,
      read: { corrected: 4, uncorrected: 0 },
      write: { corrected: 0, uncorrected: 0 },
      verify: { corrected: 0, uncorrected: 0 },
      startStopCycles: 82,
      loadUnloadCycles: 23491,
    });
    expect(s).toMatchObject({ powerOnHours: 12437, temperatureC: 32 });
  });

  it('SCSI: HP vendor field, smartctl 6.7 / JSON 0.1 output', () => {
    expect(read('scsi__HP_73.4G_MAS3735NC__smartctl_exporter-cc8d88.json').device).toMatchObject({ vendor: 'hp', rotationRate: 15000 });
    const old = read('scsi__SEAGATE_ST1200MM0088__scrutiny-a94bf4.json');
    expect(old.device).toMatchObject({ vendor: 'seagate', serial: 'Z4028VRY0000C810BZXB', rotationRate: 10500 });
    expect(old.powerOnHours).toBe(5675);
  });
});

describeShared('shared Ceph files', () => {
  const cephDir = sharedPath('ceph');
  const load = (name: string) => parseSmartJsonText(readFileSync(join(cephDir, name), 'utf8'), name);

  it("diskprediction_local sample: 6 days of Z302SV96, date keys, float-typed values", () => {
    const h = readCephDeviceHealthMap(load('diskprediction_local_sample_input.json'), { file: 'sample_input.json' });
    expect(h.errors).toEqual([]);
    expect(h.samples.map((s) => new Date(s.time).toISOString().slice(0, 10))).toEqual([
      '2018-01-01',
      '2018-01-02',
      '2018-01-03',
      '2018-01-04',
      '2018-01-05',
      '2018-01-06',
    ]);
    const first = h.samples[0]!;
    expect(first.device).toEqual({ vendor: 'seagate', model: 'ST4000DM000', serial: 'Z302SV96', protocol: 'ata', capacityBytes: 4000787030016 });
    expect(first.ata!.get(9)).toMatchObject({ value: 77, raw: 20902, decoded: 20902 });
    expect(first.powerOnHours).toBe(20902);
    expect(first.ceph?.['smart_9_raw']).toBe(20902);
    expect(first.warnings).toBeUndefined();
  });

  it('dashboard fixtures: one device each', () => {
    const hdd = readCephDashboardMap(load('dashboard_smart_data_version_1_0_hdd_response.json'));
    expect([...hdd.keys()]).toEqual(['WDC_WD1003FBYX-01Y7B1_WD-WCAW11111111']);
    const s = hdd.get('WDC_WD1003FBYX-01Y7B1_WD-WCAW11111111')!.samples[0]!;
    expect(s.device).toMatchObject({ vendor: 'wdc', serial: 'WD-WCAW11111111', protocol: 'ata', rotationRate: 7200 });
    expect(s.source?.format).toBe('ceph');
    const nvme = readCephDashboardMap(load('dashboard_smart_data_version_1_0_nvme_response.json'));
    const n = nvme.get('Samsung_SSD_970_EVO_Plus_1TB_S4EXXXXXXXXXXXX')!.samples[0]!;
    expect(n.nvme).toMatchObject({ temperatureC: 42, availableSpare: 100, percentageUsed: 0, unsafeShutdowns: 2, errorLogEntries: 2 });
  });
});
