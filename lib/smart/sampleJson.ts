/**
 * A sample as one line of JSON for people and other tools: 64-bit counters (bigint) are written as
 * decimal strings, so a consumer that parses numbers as doubles cannot round them silently.
 */
import { ataAttributesAsObject } from './ataAttributeMap.js';
import type { SmartSample } from './types.js';

/** `ata` is written as an object keyed by id. */
export function sampleToJsonLine(sample: SmartSample): string {
  return JSON.stringify(sample, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v instanceof Map ? ataAttributesAsObject(v) : v));
}
