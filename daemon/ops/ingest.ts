/**
 * `ingest`: store new samples (durable before the reply), optionally predict from the whole stored history.
 * Samples older than the retention period are not stored and are counted as `expired`.
 */
import { RequestError } from '../protocol/errors.js';
import type { Reply, Request } from '../protocol/types.js';
import { storeSamples } from '../storeSamples.js';
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
  // A requested prediction re-reads the stored history.
  const retentionDays = ctx.config.retentionDays;
  const counts = storeSamples(ctx.store, devid, samples, ctx.now(), retentionDays);
  const reply: Reply = {
    devid,
    received: counts.received,
    stored: counts.stored,
    duplicates: counts.duplicates,
    expired: counts.expired,
    skipped: counts.skipped,
    retention_days: retentionDays,
  };
  if (predictor) reply['prediction'] = await predictOne(devid, undefined, predictor, ctx, new RequestWork(ctx));
  return reply;
}
