/** A CollectSink that sends each reading to a running daemon's `ingest` op (with `predict`, so it keeps a verdict). */
import type { DiskPredictClient } from '../client/DiskPredictClient.js';
import type { CollectSink } from './collectPass.js';

export function clientSink(client: DiskPredictClient): CollectSink {
  return {
    async ingest(devid, doc) {
      const reply = await client.request('ingest', { devid, samples: [doc], predict: true });
      const prediction = reply['prediction'];
      const status = typeof prediction === 'object' && prediction !== null && !Array.isArray(prediction) ? prediction['status'] : undefined;
      return {
        stored: typeof reply['stored'] === 'number' ? reply['stored'] : 0,
        duplicates: typeof reply['duplicates'] === 'number' ? reply['duplicates'] : 0,
        ...(typeof status === 'string' && { status }),
      };
    },
  };
}
