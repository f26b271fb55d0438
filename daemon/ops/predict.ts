/** `predict` and `predict_batch`: samples passed in, or the device's stored history. */
import type { JsonValue } from '../../lib/util/json.js';
import type { DeviceHistory } from '../../lib/smart/types.js';
import type { Predictor } from '../../lib/predict/types.js';
import { driveIdentityOf } from '../../lib/predict/familiarity.js';
import type { FleetVerdict } from '../../lib/predict/fleetAlarm.js';
import { fleetPassReply } from '../fleetAlarmReply.js';
import { RequestError } from '../protocol/errors.js';
import type { Reply, Request } from '../protocol/types.js';
import { predictionReply } from '../predictionReply.js';
import { RequestWork } from '../requestWork.js';
import { historyFromStore, readIncomingSamples } from '../samples.js';
import { checkDevid, devidArg, optionalString } from './args.js';
import type { DaemonContext } from './context.js';
import { MAX_SAMPLES_FOR_PREDICTION } from '../../lib/predict/sampleWindow.js';

export function predictOp(req: Request, ctx: DaemonContext): Reply | Promise<Reply> {
  const predictor = ctx.models.get(optionalString(req, 'model'));
  const samples = req['samples'];
  const devid = devidArg(req, false);
  // Samples in the request: bounded by the frame and answered at once (no Promise: the common case stays cheap).
  if (samples !== undefined && samples !== null) return predictFromSamples(devid, samples, predictor, ctx);
  return predictOne(devid, samples, predictor, ctx, new RequestWork(ctx));
}

function predictFromSamples(devid: string | undefined, samples: JsonValue, predictor: Predictor, ctx: DaemonContext, verdicts?: FleetVerdict[]): Reply {
  return predictHistory(readIncomingSamples(samples, devid, false, predictor.needsCephDayDict === true).history, predictor, ctx, true, verdicts);
}

export async function predictBatchOp(req: Request, ctx: DaemonContext): Promise<Reply> {
  const predictor = ctx.models.get(optionalString(req, 'model'));
  const devices = req['devices'];
  const maxDevices = ctx.config.maxBatchDevices;
  if (!Array.isArray(devices)) throw new RequestError('BAD_ARGUMENT', 'devices must be an array of {devid, samples?} maps');
  if (devices.length > maxDevices) {
    throw new RequestError('LIMIT_EXCEEDED', `devices has ${devices.length} entries; at most ${maxDevices} per request (maxBatchDevices)`);
  }
  const work = new RequestWork(ctx);
  const verdicts: FleetVerdict[] = [];
  // A device named twice without samples is predicted once: the answer cannot differ within one request.
  const fromStore = new Map<string, Reply>();
  const results: Reply[] = [];
  for (const [i, entry] of devices.entries()) {
    const devid = typeof entry === 'object' && entry !== null && !Array.isArray(entry) ? entry['devid'] : undefined;
    try {
      if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
        throw new RequestError('BAD_ARGUMENT', `devices/${i} must be a map`);
      }
      const id = checkDevid(devid, `devices/${i}/devid`, true)!;
      const samples = entry['samples'];
      const stored = samples === undefined || samples === null;
      let reply = stored ? fromStore.get(id) : undefined;
      if (!reply) {
        reply = { ok: true, ...(await predictOne(id, samples, predictor, ctx, work, verdicts)) };
        if (stored) fromStore.set(id, reply);
      }
      results.push(reply);
    } catch (err) {
      if (!(err instanceof RequestError) || err.code === 'BUSY') throw err;
      results.push({ ok: false, devid: typeof devid === 'string' ? devid : null, error: { code: err.code, message: err.message } });
    }
    await work.slicer.yieldIfDue();
  }
  // One pass of a fleet (the mgr module's predict_all_devices): too many Bad at once points at the model.
  return { results, ...fleetPassReply(verdicts, ctx, 'predict_batch') };
}

export async function predictOne(
  devid: string | undefined,
  samples: JsonValue | undefined,
  predictor: Predictor,
  ctx: DaemonContext,
  work: RequestWork,
  /** every verdict is also added here (a pass's fleet alarm) */
  verdicts?: FleetVerdict[],
): Promise<Reply> {
  if (samples !== undefined && samples !== null) return predictFromSamples(devid, samples, predictor, ctx, verdicts);
  const cephDayDict = predictor.needsCephDayDict === true;
  if (devid === undefined) throw new RequestError('BAD_ARGUMENT', 'devid is required when samples are not given');
  // A device the store has never seen gets an answer but no row: unknown names must not grow the database. Asked
  // first: the primary-key lookup costs a fraction of the window query (a batch of 9,000 unknown names: 40 % of
  // its time was the window query).
  const stored = ctx.store.hasDeviceRow(devid);
  const window = stored ? ctx.store.newestWindow(devid, Math.min(MAX_SAMPLES_FOR_PREDICTION, work.sampleAllowance + 1)) : { first: null, count: 0 };
  work.takeSamples(window.count, ctx.config.maxSamplesPerRequest);
  const history = window.first === null ? { devid, samples: [], errors: [] } : await historyFromStore(ctx.store, devid, window.first, cephDayDict, work.slicer);
  const reply = predictHistory(history, predictor, ctx, stored || ctx.store.hasQueuedPrediction(devid), verdicts);
  if (window.count === 0) reply['reason'] = `no samples stored for device "${devid}" (send samples, or ingest them first)`;
  return reply;
}

function predictHistory(history: DeviceHistory, predictor: Predictor, ctx: DaemonContext, record: boolean, verdicts?: FleetVerdict[]): Reply {
  const prediction = predictor.predict(history);
  const nowMs = ctx.now();
  ctx.metrics.recordPrediction(prediction.status);
  if (verdicts && history.devid !== undefined) verdicts.push({ devid: history.devid, status: prediction.status, model: driveIdentityOf(history).model });
  if (history.devid !== undefined && record) {
    ctx.metrics.recordFamiliarity(history.devid, prediction.familiarity ?? null);
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
  const reply = predictionReply(prediction, history, nowMs);
  // Alerts follow the default model only: a client trying another model must not flip a device's alert state.
  if (history.devid !== undefined && record && predictor === ctx.models.defaultModel.predictor) ctx.alerts.observe(history.devid, prediction.status, reply);
  return reply;
}
