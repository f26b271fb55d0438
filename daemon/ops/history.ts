/** `history` and `devices`: what the store holds. */
import { RequestError } from '../protocol/errors.js';
import { isoTime } from '../../lib/util/utcTime.js';
import type { Reply, Request } from '../protocol/types.js';
import { storedRowsToCephMap } from '../samples.js';
import type { StoredPrediction } from '../store/store.js';
import { devidArg, optionalInteger, optionalTime } from './args.js';
import type { DaemonContext } from './context.js';

const DEFAULT_LIMIT = 1000;
const MAX_LIMIT = 100_000;

export function historyOp(req: Request, ctx: DaemonContext): Reply {
  const devid = devidArg(req, true);
  const since = optionalTime(req, 'since');
  const limit = optionalInteger(req, 'limit', 1, MAX_LIMIT) ?? DEFAULT_LIMIT;
  if (!ctx.store.hasDevice(devid)) throw new RequestError('UNKNOWN_DEVICE', `no device "${devid}" in the store`);
  return {
    devid,
    samples: storedRowsToCephMap(ctx.store.history(devid, since, limit)),
    predictions: ctx.store.predictions(devid, since, limit).map(predictionRow),
  };
}

export function devicesOp(_req: Request, ctx: DaemonContext): Reply {
  return {
    devices: ctx.store.devices().map((d) => ({
      devid: d.devid,
      samples: d.samples,
      first_sample: unixSecondsToIso(d.firstSample),
      last_sample: unixSecondsToIso(d.lastSample),
      last_prediction: d.lastPrediction ? predictionRow(d.lastPrediction) : null,
    })),
  };
}

function predictionRow(p: StoredPrediction): { [k: string]: string | number | null } {
  return { time: unixSecondsToIso(p.time), status: p.status, p14: p.p14, p42: p.p42, model: p.model, version: p.modelVersion };
}

function unixSecondsToIso(s: number | null): string | null {
  return s === null ? null : isoTime(s * 1000);
}
