/** `ingest`: store new samples (durable before the reply), optionally predict from the whole stored history. */
import { RequestError } from '../protocol/errors.js';
import type { Reply, Request } from '../protocol/types.js';
import { readIncomingSamples } from '../samples.js';
import { devidArg, optionalBoolean, optionalString } from './args.js';
import type { DaemonContext } from './context.js';
import { predictOne } from './predict.js';
import { RequestWork } from '../requestWork.js';

export async function ingestOp(req: Request, ctx: DaemonContext): Promise<Reply> {
  const devid = devidArg(req, true);
  const samples = req['samples'];
  if (samples === undefined || samples === null) throw new RequestError('BAD_ARGUMENT', 'samples is required');
  const wantPrediction = optionalBoolean(req, 'predict');
  // Resolve the model first: a bad model name must not leave a half-done request behind.
  const predictor = wantPrediction ? ctx.models.get(optionalString(req, 'model')) : undefined;
  // Read to validate and to key the rows; a requested prediction re-reads the stored history.
  const incoming = readIncomingSamples(samples, devid, true, false);
  const counts = ctx.store.ingest(devid, incoming.rows, Math.floor(ctx.now() / 1000));
  const reply: Reply = {
    devid,
    received: incoming.rows.length + incoming.skipped,
    stored: counts.stored,
    duplicates: counts.duplicates,
    skipped: incoming.skipped,
  };
  if (predictor) reply['prediction'] = await predictOne(devid, undefined, predictor, ctx, new RequestWork(ctx));
  return reply;
}
