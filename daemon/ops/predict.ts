/** `predict` and `predict_batch`: samples passed in, or the device's stored history. */
import type { JsonValue } from '../../lib/util/json.js';
import type { DeviceHistory } from '../../lib/smart/types.js';
import type { Predictor } from '../../lib/predict/types.js';
import { RequestError } from '../protocol/errors.js';
import type { Reply, Request } from '../protocol/types.js';
import { predictionReply } from '../predictionReply.js';
import { historyFromStoredRows, readIncomingSamples } from '../samples.js';
import { checkDevid, devidArg, optionalString } from './args.js';
import type { DaemonContext } from './context.js';

/** Stored samples read for a prediction: Ceph keeps 180 days, a few per day at most. */
const MAX_STORED_SAMPLES_FOR_PREDICTION = 5000;
const MAX_BATCH_DEVICES = 100_000;

export function predictOp(req: Request, ctx: DaemonContext): Reply {
  const predictor = ctx.models.get(optionalString(req, 'model'));
  return predictOne(devidArg(req, false), req['samples'], predictor, ctx);
}

export function predictBatchOp(req: Request, ctx: DaemonContext): Reply {
  const predictor = ctx.models.get(optionalString(req, 'model'));
  const devices = req['devices'];
  if (!Array.isArray(devices) || devices.length > MAX_BATCH_DEVICES) {
    throw new RequestError('BAD_ARGUMENT', `devices must be an array of at most ${MAX_BATCH_DEVICES} {devid, samples?} maps`);
  }
  const results = devices.map((entry, i): Reply => {
    const devid = typeof entry === 'object' && entry !== null && !Array.isArray(entry) ? entry['devid'] : undefined;
    try {
      if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
        throw new RequestError('BAD_ARGUMENT', `devices/${i} must be a map`);
      }
      const id = checkDevid(devid, `devices/${i}/devid`, true)!;
      return { ok: true, ...predictOne(id, entry['samples'], predictor, ctx) };
    } catch (err) {
      if (!(err instanceof RequestError)) throw err;
      return { ok: false, devid: typeof devid === 'string' ? devid : null, error: { code: err.code, message: err.message } };
    }
  });
  return { results };
}

export function predictOne(devid: string | undefined, samples: JsonValue | undefined, predictor: Predictor, ctx: DaemonContext): Reply {
  if (samples === undefined || samples === null) {
    if (devid === undefined) throw new RequestError('BAD_ARGUMENT', 'devid is required when samples are not given');
    const rows = ctx.store.history(devid, undefined, MAX_STORED_SAMPLES_FOR_PREDICTION);
    const reply = predictHistory(historyFromStoredRows(rows, devid, predictor.needsCephDayDict === true), predictor, ctx);
    if (rows.length === 0) reply['reason'] = `no samples stored for device "${devid}" (send samples, or ingest them first)`;
    return reply;
  }
  return predictHistory(readIncomingSamples(samples, devid, false, predictor.needsCephDayDict === true).history, predictor, ctx);
}

function predictHistory(history: DeviceHistory, predictor: Predictor, ctx: DaemonContext): Reply {
  const prediction = predictor.predict(history);
  const nowMs = ctx.now();
  ctx.metrics.recordPrediction(prediction.status);
  if (history.devid !== undefined) {
    ctx.store.recordPrediction({
      devid: history.devid,
      time: Math.floor(nowMs / 1000),
      status: prediction.status,
      p14: prediction.p14,
      p42: prediction.p42,
      model: prediction.model.name,
      modelVersion: prediction.model.version,
    });
  }
  return predictionReply(prediction, history, nowMs);
}
