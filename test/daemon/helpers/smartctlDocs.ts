/** smartctl --json documents made by the tests (the project's own fixtures, not copies of real data). */
import type { JsonObject } from '../../../lib/util/json.js';
import { formatCephTimestampKey } from '../../../lib/smart/readCephDeviceHealth.js';

export interface DocOptions {
  timeS: number;
  reallocated?: number | bigint;
  serial?: string;
}

export function smartctlDoc({ timeS, reallocated = 0, serial = 'TEST0001' }: DocOptions): JsonObject {
  return {
    json_format_version: [1, 0],
    smartctl: { version: [7, 3], exit_status: 0 },
    device: { name: '/dev/sda', type: 'sat', protocol: 'ATA' },
    model_name: 'ST4000DM000-1F2168',
    serial_number: serial,
    firmware_version: 'CC54',
    user_capacity: { blocks: 7814037168, bytes: 4000787030016 },
    rotation_rate: 5900,
    local_time: { time_t: timeS, asctime: new Date(timeS * 1000).toUTCString() },
    smart_status: { passed: true },
    ata_smart_attributes: {
      revision: 10,
      table: [
        { id: 5, name: 'Reallocated_Sector_Ct', value: 100, worst: 100, thresh: 10, when_failed: '', flags: { value: 51, prefailure: true }, raw: { value: reallocated, string: String(reallocated) } },
        { id: 9, name: 'Power_On_Hours', value: 90, worst: 90, thresh: 0, when_failed: '', flags: { value: 50, prefailure: false }, raw: { value: 9000, string: '9000' } },
        // 64-bit counter beyond 2^53: must survive the wire and the store exactly
        { id: 241, name: 'Total_LBAs_Written', value: 100, worst: 253, thresh: 0, when_failed: '', flags: { value: 0, prefailure: false }, raw: { value: 18446744073709551000n, string: '18446744073709551000' } },
      ],
    },
    power_on_time: { hours: 9000 },
    temperature: { current: 31 },
  };
}

/** `YYYYmmdd-HHMMSS` for Unix seconds (UTC). */
export function cephKey(timeS: number): string {
  return formatCephTimestampKey(timeS * 1000);
}

/** A Ceph devicehealth map of `days` daily samples ending at `endS`. */
export function cephHealthMap(endS: number, days: number, reallocated = 0): JsonObject {
  return dailyCephHealthMap(endS, days, (timeS) => smartctlDoc({ timeS, reallocated }));
}

/** A Ceph devicehealth map of `days` daily samples ending at `endS`, each the document `docAt` gives for its time. */
export function dailyCephHealthMap(endS: number, days: number, docAt: (timeS: number) => JsonObject): JsonObject {
  const map: JsonObject = {};
  for (let i = days - 1; i >= 0; i--) {
    const t = endS - i * 86_400;
    map[cephKey(t)] = docAt(t);
  }
  return map;
}
