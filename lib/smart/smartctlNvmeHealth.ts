/** `nvme_smart_health_information_log` of smartctl JSON → `NvmeHealth` (NVMe 1.4 §5.14.1.2). */
import type { JsonObject } from '../util/json.js';
import type { JsonFieldReader } from './jsonFields.js';
import type { NvmeCriticalWarning, NvmeHealth, RawInteger } from './types.js';

const LOG = 'nvme_smart_health_information_log';
// NVMe counters are 128-bit; smartctl prints them with a `_s` twin when above 2^53.
const MAX_U128 = (1n << 128n) - 1n;

function decodeCriticalWarning(raw: number): NvmeCriticalWarning {
  return {
    raw,
    availableSpareLow: (raw & 0x01) !== 0,
    temperature: (raw & 0x02) !== 0,
    reliabilityDegraded: (raw & 0x04) !== 0,
    readOnly: (raw & 0x08) !== 0,
    volatileBackupFailed: (raw & 0x10) !== 0,
    persistentMemoryUnreliable: (raw & 0x20) !== 0,
  };
}

const COUNTERS: ReadonlyArray<readonly [keyof NvmeHealth, string]> = [
  ['dataUnitsRead', 'data_units_read'],
  ['dataUnitsWritten', 'data_units_written'],
  ['powerCycles', 'power_cycles'],
  ['powerOnHours', 'power_on_hours'],
  ['unsafeShutdowns', 'unsafe_shutdowns'],
  ['mediaErrors', 'media_errors'],
  ['errorLogEntries', 'num_err_log_entries'],
];

export function readNvmeHealth(r: JsonFieldReader, doc: JsonObject): NvmeHealth | undefined {
  const log = r.object(doc, LOG, []);
  if (!log) return undefined;
  const path = [LOG];
  const h: NvmeHealth = {};
  const warning = r.int(log, 'critical_warning', path, { min: 0, max: 255 });
  if (warning !== undefined) h.criticalWarning = decodeCriticalWarning(warning);
  const temperature = r.int(log, 'temperature', path, { min: -60, max: 200 });
  if (temperature !== undefined) h.temperatureC = temperature;
  const spare = r.int(log, 'available_spare', path, { min: 0, max: 100 });
  if (spare !== undefined) h.availableSpare = spare;
  const spareThreshold = r.int(log, 'available_spare_threshold', path, { min: 0, max: 100 });
  if (spareThreshold !== undefined) h.availableSpareThreshold = spareThreshold;
  // Percentage used may exceed 100 (the spec allows up to 255) once rated endurance is passed.
  const used = r.int(log, 'percentage_used', path, { min: 0, max: 255 });
  if (used !== undefined) h.percentageUsed = used;
  for (const [field, key] of COUNTERS) {
    const v: RawInteger | undefined = r.exact(log, key, path, MAX_U128);
    if (v !== undefined) (h as Record<string, unknown>)[field] = v;
  }
  return Object.keys(h).length > 0 ? h : undefined;
}
