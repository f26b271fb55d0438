/**
 * SCSI/SAS counters of smartctl JSON → `ScsiCounters`. Names as printed by smartctl 7.0–7.5
 * (`scsi_grown_defect_list`, `scsi_error_counter_log.{read,write,verify}`,
 * `scsi_start_stop_cycle_counter`, the last added in 7.3); identity renames are handled by the
 * identity reader.
 *
 * smartctl before 7.2 wrote the grown defect list LENGTH IN BYTES as `scsi_grown_defect_list`
 * (7.2 NEWS: "Fixed 'scsi_grown_defect_list' value"); the element size depends on the list format,
 * so a non-zero value from those versions is dropped with a warning rather than guessed. When the
 * version is unknown (no `smartctl` section) the value is kept and the doubt is noted.
 */
import type { JsonObject } from '../util/json.js';
import type { JsonFieldReader } from './jsonFields.js';
import type { ScsiCounters, ScsiErrorCounters } from './types.js';

const COUNT = { min: 0, max: Number.MAX_SAFE_INTEGER };

/** smartctl [major, minor], when the document says. */
export type SmartctlVersion = readonly [number, number];

export function readScsiCounters(r: JsonFieldReader, doc: JsonObject, version: SmartctlVersion | undefined): ScsiCounters | undefined {
  const c: ScsiCounters = {};
  const grown = r.int(doc, 'scsi_grown_defect_list', [], COUNT);
  if (grown !== undefined) {
    if (grown === 0) c.grownDefects = 0;
    else if (version === undefined) {
      c.grownDefects = grown;
      r.warn(['scsi_grown_defect_list'], 'smartctl version unknown: before 7.2 this value was a byte count, not elements');
    } else if (version[0] > 7 || (version[0] === 7 && version[1] >= 2)) c.grownDefects = grown;
    else r.warn(['scsi_grown_defect_list'], `smartctl ${version.join('.')} wrote the defect list length in bytes (fixed in 7.2); not used`);
  }
  const log = r.object(doc, 'scsi_error_counter_log', []);
  for (const dir of ['read', 'write', 'verify'] as const) {
    const counters = readErrorCounters(r, log, dir);
    if (counters) c[dir] = counters;
  }
  const cycles = r.object(doc, 'scsi_start_stop_cycle_counter', []);
  const cyclesPath = ['scsi_start_stop_cycle_counter'];
  const startStop = r.int(cycles, 'accumulated_start_stop_cycles', cyclesPath, COUNT);
  if (startStop !== undefined) c.startStopCycles = startStop;
  const loadUnload = r.int(cycles, 'accumulated_load_unload_cycles', cyclesPath, COUNT);
  if (loadUnload !== undefined) c.loadUnloadCycles = loadUnload;
  return Object.keys(c).length > 0 ? c : undefined;
}

function readErrorCounters(r: JsonFieldReader, log: JsonObject | undefined, dir: 'read' | 'write' | 'verify'): ScsiErrorCounters | undefined {
  const entry = r.object(log, dir, ['scsi_error_counter_log']);
  if (!entry) return undefined;
  const path = ['scsi_error_counter_log', dir];
  const out: ScsiErrorCounters = {};
  const corrected = r.exact(entry, 'total_errors_corrected', path);
  if (corrected !== undefined) out.corrected = corrected;
  const uncorrected = r.exact(entry, 'total_uncorrected_errors', path);
  if (uncorrected !== undefined) out.uncorrected = uncorrected;
  return Object.keys(out).length > 0 ? out : undefined;
}
