/** `diskpredict collect --db`: a CollectSink writing straight into a store, through storeSamples like `ingest`. */
import type { CollectSink } from '../lib/collect/collectPass.js';
import { storeSamples } from './storeSamples.js';
import type { Store } from './store/store.js';

export function storeSink(store: Store, retentionDays: number): CollectSink {
  return {
    async ingest(devid, doc) {
      const counts = storeSamples(store, devid, [doc], Date.now(), retentionDays);
      return { stored: counts.stored, duplicates: counts.duplicates };
    },
  };
}
