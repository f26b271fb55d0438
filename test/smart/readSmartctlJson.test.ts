import { describe, expect, it } from 'vitest';
import { readSmartctlJson, readSmartctlJsonText } from '../../lib/smart/readSmartctlJson.js';
import { SmartParseError } from '../../lib/smart/errors.js';
import { stringifyJsonExact, type JsonObject, type JsonValue } from '../../lib/util/json.js';
import { fixtureTime, makeAtaHdd, makeAtaSsd, makeNvme, makeScsi } from '../fixtures/makeSmartctlFixtures.js';

function errorOf(fn: () => unknown): SmartParseError {
  try {
    fn();
  } catch (err) {
    if (err instanceof SmartParseError) return err;
    throw err;
  }
  throw new Error('expected a SmartParseError');
}

describe('readSmartctlJson: ATA HDD (generated Seagate)', () => {
  const s = readSmartctlJsonText(stringifyJsonExact(makeAtaHdd()), 'hdd.json');

  it('reads identity, time, health and summary values', () => {
    expect(s.device).toEqual({
      vendor: 'seagate',
      model: 'ST16000NM001G-2KK103',
      serial: 'ZL2TEST1',
      firmware: 'SN03',
      protocol: 'ata',
      capacityBytes: 16000900661248,
      rotationRate: 7200,
      ssd: false,
    });
    expect(s.time).toBe(fixtureTime * 1000);
    expect(s.healthPassed).toBe(true);
    expect(s.powerOnHours).toBe(41234);
    expect(s.temperatureC).toBe(37);
    expect(s.smartctlExitStatus).toBe(0);
    expect(s.source).toEqual({ format: 'smartctl', file: 'hdd.json', pointer: '' });
    expect(s.warnings).toBeUndefined();
  });

  it('keeps exact raw values and decodes packed ones', () => {
    const ata = s.ata!;
    expect(ata.get(5)).toMatchObject({ id: 5, name: 'Reallocated_Sector_Ct', value: 100, worst: 100, thresh: 10, raw: 8, rawString: '8' });
    expect(ata.get(9)!.raw).toBe(123456 * 2 ** 32 + 41234);
    expect(ata.get(9)!.decoded).toBe(41234);
    expect(ata.get(1)!.decoded).toBe(3); // Seagate: errors in the upper 16 bits
    expect(ata.get(7)!.decoded).toBe(0);
    expect(ata.get(188)!.decoded).toBe(5);
    expect(ata.get(190)!.decoded).toBe(37);
    expect(ata.get(194)!.decoded).toBe(37);
    expect(ata.get(5)!.decoded).toBeUndefined();
    expect(ata.get(1)!.flags).toEqual({ value: 15, prefailure: true, updatedOnline: true, performance: true, errorRate: true, eventCount: false, autoKeep: false });
  });

  it('fills the Ceph day dict', () => {
    expect(s.ceph?.['smart_5_raw']).toBe(8);
    expect(s.ceph?.['smart_9_raw']).toBe(41234);
    expect(s.ceph?.['model_name']).toBe('ST16000NM001G-2KK103');
  });

  it('reads when_failed and a failed health status', () => {
    const doc = makeAtaHdd({ passed: false });
    const table = (doc['ata_smart_attributes'] as JsonObject)['table'] as JsonObject[];
    table[1]!['when_failed'] = 'now';
    table[1]!['value'] = 1;
    const failed = readSmartctlJson(doc);
    expect(failed.healthPassed).toBe(false);
    expect(failed.ata!.get(5)).toMatchObject({ value: 1, whenFailed: 'now' });
  });

  it('keeps a raw above 2^53 as bigint, exactly', () => {
    const doc = makeAtaHdd();
    const table = (doc['ata_smart_attributes'] as JsonObject)['table'] as JsonObject[];
    table[4]!['raw'] = { value: 2n ** 60n + 7n, string: (2n ** 60n + 7n).toString() };
    const text = stringifyJsonExact(doc);
    expect(readSmartctlJsonText(text).ata!.get(187)!.raw).toBe(2n ** 60n + 7n);
  });
});

describe('readSmartctlJson: other protocols (generated)', () => {
  it('ATA SSD: bool smart_support, optional normalized values', () => {
    const s = readSmartctlJson(makeAtaSsd());
    expect(s.device).toMatchObject({ vendor: 'intel', protocol: 'ata', rotationRate: 0, ssd: true });
    expect(s.ata!.get(241)).toEqual({ id: 241, name: 'Host_Writes_32MiB', raw: 1234567, rawString: '1234567', flags: expect.any(Object) });
    expect(s.warnings).toBeUndefined();
  });

  it('NVMe: health log, critical warning bits, 64-bit counters via _s twins', () => {
    const s = readSmartctlJson(makeNvme({ criticalWarning: 0x05 }));
    expect(s.device).toMatchObject({ vendor: 'samsung', protocol: 'nvme', ssd: true, capacityBytes: 1920383410176 });
    expect(s.nvme).toEqual({
      criticalWarning: {
        raw: 5,
        availableSpareLow: true,
        temperature: false,
        reliabilityDegraded: true,
        readOnly: false,
        volatileBackupFailed: false,
        persistentMemoryUnreliable: false,
      },
      temperatureC: 41,
      availableSpare: 97,
      availableSpareThreshold: 10,
      percentageUsed: 3,
      dataUnitsRead: 98765432,
      dataUnitsWritten: 2n ** 60n + 12345n,
      powerCycles: 31,
      powerOnHours: 20001,
      unsafeShutdowns: 7,
      mediaErrors: 2,
      errorLogEntries: 15,
    });
    expect(s.smartctlExitStatus).toBe(8); // bit 3 (SMART says failing) is a finding, not "no data"
    expect(s.healthPassed).toBe(false);
  });

  it('the _s twin wins over a rounded double', () => {
    const doc = makeNvme();
    const log = doc['nvme_smart_health_information_log'] as JsonObject;
    log['data_units_written'] = 1152921504606859000; // what JSON.parse would have made of it
    expect(readSmartctlJson(doc).nvme?.dataUnitsWritten).toBe(2n ** 60n + 12345n);
    delete log['data_units_written_s'];
    const s = readSmartctlJson(doc);
    expect(s.nvme?.dataUnitsWritten).toBeUndefined();
    expect(s.warnings?.[0]?.pointer).toBe('/nvme_smart_health_information_log/data_units_written');
  });

  for (const minor of [1, 2, 3, 4, 5] as const) {
    it(`SCSI in smartctl 7.${minor} naming`, () => {
      const s = readSmartctlJson(makeScsi({ version: [7, minor] }));
      expect(s.device).toMatchObject({ vendor: 'seagate', model: 'SEAGATE ST4000NM0023', firmware: 'GS0F', protocol: 'scsi', ssd: false });
      expect(s.scsi).toMatchObject({
        read: { corrected: 300000, uncorrected: 1 },
        write: { corrected: 0, uncorrected: 0 },
        verify: { corrected: 12, uncorrected: 0 },
      });
      expect(s.scsi?.startStopCycles).toBe(minor >= 3 ? 84 : undefined);
      expect(s.powerOnHours).toBe(43000);
      expect(s.temperatureC).toBe(33);
      if (minor >= 2) {
        expect(s.scsi?.grownDefects).toBe(7);
        expect(s.warnings).toBeUndefined();
      } else {
        // before 7.2 the value is the list length in bytes (56 here): not used, and said so
        expect(s.scsi?.grownDefects).toBeUndefined();
        expect(s.warnings).toEqual([{ pointer: '/scsi_grown_defect_list', message: expect.stringContaining('fixed in 7.2') }]);
      }
    });
  }

  it('SCSI: zero grown defects is exact in every version', () => {
    expect(readSmartctlJson(makeScsi({ version: [7, 0], grownDefects: 0 })).scsi?.grownDefects).toBe(0);
  });
});

describe('readSmartctlJson: bad input', () => {
  it('exit status bits 0-1 mean no data', () => {
    const doc = makeAtaHdd({ exitStatus: 2 });
    (doc['smartctl'] as JsonObject)['messages'] = [{ string: 'Device is in STANDBY mode, exit(2)', severity: 'information' }];
    const e = errorOf(() => readSmartctlJson(doc, { file: 'f.json' }));
    expect(e.code).toBe('MISSING');
    expect(e.pointer).toBe('/smartctl/exit_status');
    expect(e.message).toContain('STANDBY');
    expect(e.message).toContain('f.json');
  });

  it('other exit status bits are findings, not errors', () => {
    expect(readSmartctlJson(makeAtaHdd({ exitStatus: 0x40 })).smartctlExitStatus).toBe(0x40);
  });

  it.each([
    ['an array', [], 'TYPE'],
    ['null', null, 'TYPE'],
    ['an empty object', {}, 'MISSING'],
    ['a Ceph error entry', { error: 'smartctl failed', nvme_vendor: 'x' }, 'MISSING'],
  ] as const)('%s is a SmartParseError', (_what, value, code) => {
    expect(errorOf(() => readSmartctlJson(value as never)).code).toBe(code);
  });

  it('a document without a timestamp needs one from the caller', () => {
    const doc = makeAtaSsd();
    delete doc['local_time'];
    expect(errorOf(() => readSmartctlJson(doc)).pointer).toBe('/local_time/time_t');
    expect(readSmartctlJson(doc, { time: 5000 }).time).toBe(5000);
  });

  it('empty, truncated and malformed text name file and pointer', () => {
    expect(errorOf(() => readSmartctlJsonText('  ', 'e.json')).code).toBe('EMPTY');
    const truncated = errorOf(() => readSmartctlJsonText('{"smartctl": {"version": [7', 't.json'));
    expect(truncated.code).toBe('TRUNCATED');
    expect(truncated.pointer).toBe('/smartctl/version');
    expect(truncated.file).toBe('t.json');
    expect(errorOf(() => readSmartctlJsonText('{"a": tru}', 'm.json')).code).toBe('SYNTAX');
  });

  it('wrong types and absurd numbers drop the field with a warning', () => {
    const doc = makeAtaHdd();
    doc['model_name'] = 42;
    (doc['temperature'] as JsonObject)['current'] = 900;
    (doc['power_on_time'] as JsonObject)['hours'] = -3;
    doc['rotation_rate'] = 'fast';
    const table = (doc['ata_smart_attributes'] as JsonObject)['table'] as JsonValue[];
    (table[1] as JsonObject)['value'] = 256;
    ((table[2] as JsonObject)['raw'] as JsonObject)['value'] = 1.5;
    (table[3] as JsonObject)['flags'] = { value: 'x' };
    (table[4] as JsonObject)['when_failed'] = 'sometimes';
    table.push('junk');
    const s = readSmartctlJson(doc);
    expect(s.device.model).toBeUndefined();
    expect(s.device.rotationRate).toBeUndefined();
    expect(s.device.vendor).toBe('seagate'); // from model_family, a brand word
    expect(s.temperatureC).toBe(37); // falls back to attribute 194, decoded
    expect(s.powerOnHours).toBe(41234); // falls back to attribute 9, decoded
    expect(s.ata!.get(5)!.value).toBeUndefined();
    expect(s.ata!.get(7)!.raw).toBeUndefined();
    expect(s.warnings!.map((w) => w.pointer).sort()).toEqual(
      [
        '/ata_smart_attributes/table/1/value',
        '/ata_smart_attributes/table/10',
        '/ata_smart_attributes/table/2/raw/value',
        '/ata_smart_attributes/table/3/flags/value',
        '/ata_smart_attributes/table/4/when_failed',
        '/model_name',
        '/power_on_time/hours',
        '/rotation_rate',
        '/temperature/current',
      ].sort(),
    );
  });

  it('attributes with the same flag mask share one frozen flags object, decoded from the mask', () => {
    const doc = makeAtaHdd();
    const table = (doc['ata_smart_attributes'] as JsonObject)['table'] as JsonObject[];
    table[0]!['flags'] = { value: 0x33, prefailure: false }; // smartctl's booleans are derived from the mask
    table[1]!['flags'] = { value: 0x33 };
    table[2]!['flags'] = { value: 0x1_0012 }; // above 16 bits: dropped with a warning
    table[3]!['flags'] = { value: 0x8012 };
    const ata = readSmartctlJson(doc).ata!;
    const [a, b, c, d] = table.slice(0, 4).map((e) => ata.get(e['id'] as number)!.flags);
    expect(a).toEqual({ value: 0x33, prefailure: true, updatedOnline: true, performance: false, errorRate: false, eventCount: true, autoKeep: true });
    expect(b).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    expect(c).toBeUndefined();
    expect(d).toEqual({ value: 0x8012, prefailure: false, updatedOnline: true, performance: false, errorRate: false, eventCount: true, autoKeep: false });
  });

  it('keeps the attributes in id order whatever the order of the table, and names a duplicate id', () => {
    const doc = makeAtaHdd();
    const table = (doc['ata_smart_attributes'] as JsonObject)['table'] as JsonObject[];
    const ids = table.map((e) => e['id'] as number);
    table.reverse();
    table.push({ ...table[0]!, value: 1 });
    const s = readSmartctlJson(doc);
    expect([...s.ata!.keys()]).toEqual([...ids].sort((a, b) => a - b));
    expect(s.ata!.get(table[0]!['id'] as number)!.value).toBe(table[0]!['value']); // the first one is kept
    expect(s.warnings).toContainEqual({ pointer: `/ata_smart_attributes/table/${table.length - 1}`, message: expect.stringContaining('duplicate attribute') });
  });

  it('a disabled SMART is reported as a warning', () => {
    const doc = makeAtaHdd();
    doc['smart_support'] = { available: true, enabled: false };
    expect(readSmartctlJson(doc).warnings).toEqual([{ pointer: '/smart_support', message: expect.stringContaining('disabled') }]);
  });
});
