/**
 * The one way samples enter the store: read (validated, keyed by second) and written durably. The `ingest` op,
 * the daemon's own collection timer and `diskpredict collect --db` all go through here.
 */
import type { JsonValue } from '../lib/util/json.js';
import { readIncomingSamples } from './samples.js';
import type { Store } from './store/store.js';

export interface StoredCounts {
  received: number;
  stored: number;
  duplicates: number;
  expired: number;
  skipped: number;
}

export function storeSamples(store: Store, devid: string, samples: JsonValue, nowMs: number, retentionDays: number): StoredCounts {
  const incoming = readIncomingSamples(samples, devid, true, false);
  const counts = store.ingest(devid, incoming.rows, Math.floor(nowMs / 1000), retentionDays);
  return { received: incoming.rows.length + incoming.skipped, ...counts, skipped: incoming.skipped };
}
