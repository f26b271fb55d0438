/** Promises every returned SmartSample keeps, whatever the input: finite time, values in range, serialisable. */
import { sampleToJsonLine } from '../../lib/smart/sampleJson.js';
import type { SmartSample } from '../../lib/smart/types.js';
import { oracle } from './target.js';

/**
 * `ranges`: also the smartctl readers' range promises (normalized 0–255, raw ≥ 0, |temperature| ≤ 200). Backblaze
 * cells are passed through as written, so there only finiteness is promised.
 */
export function checkSample(s: SmartSample, ranges = true): void {
  oracle(Number.isFinite(s.time), `time ${s.time} is not finite`);
  sampleToJsonLine(s); // throws (a failure) if the sample cannot be written out
  if (!ranges) {
    for (const a of (s.ata?.values() ?? [])) {
      if (a.value !== undefined) oracle(Number.isFinite(a.value), `attribute ${a.id}: normalized ${a.value} is not finite`);
      if (typeof a.raw === 'number') oracle(Number.isFinite(a.raw), `attribute ${a.id}: raw ${a.raw} is not finite`);
    }
    return;
  }
  if (s.temperatureC !== undefined) oracle(Number.isFinite(s.temperatureC) && Math.abs(s.temperatureC) <= 200, `temperature ${s.temperatureC}`);
  if (s.powerOnHours !== undefined) oracle(s.powerOnHours >= 0, `powerOnHours ${s.powerOnHours}`);
  for (const a of (s.ata?.values() ?? [])) {
    for (const v of [a.value, a.worst, a.thresh]) if (v !== undefined) oracle(v >= 0 && v <= 255, `attribute ${a.id}: normalized ${v}`);
    if (a.raw !== undefined) oracle(a.raw >= 0, `attribute ${a.id}: raw ${a.raw}`);
    if (typeof a.raw === 'number') oracle(Number.isSafeInteger(a.raw), `attribute ${a.id}: raw ${a.raw} is not a safe integer`);
  }
}
