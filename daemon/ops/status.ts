/** `health`, `info`, `metrics`, `reload`: the daemon about itself. */
import type { JsonValue } from '../../lib/util/json.js';
import type { Predictor } from '../../lib/predict/types.js';
import { ModelPredictor } from '../../lib/predict/modelPredictor.js';
import { RequestError } from '../protocol/errors.js';
import type { Reply, Request } from '../protocol/types.js';
import type { DaemonContext } from './context.js';

export function healthOp(_req: Request, ctx: DaemonContext): Reply {
  const model = ctx.models.defaultModel.predictor.model;
  return {
    version: ctx.version,
    uptime_s: Math.round((ctx.now() - ctx.startedAtMs) / 1000),
    model: { name: model.name, version: model.version },
    db: dbHealth(ctx),
    native: { enabled: ctx.nativeEnabled },
    peer_check: ctx.peerCheck,
  };
}

function dbHealth(ctx: DaemonContext): Reply {
  const check = ctx.store.check();
  const db: Reply = { ok: check.ok };
  if (check.error !== undefined) db['error'] = check.error;
  // Predictions not yet written (a failing disk shows here before anything is lost).
  db['predictions_queued'] = ctx.store.queuedPredictions;
  db['predictions_dropped'] = ctx.store.droppedPredictions;
  return db;
}

export function infoOp(_req: Request, ctx: DaemonContext): Reply {
  return {
    version: ctx.version,
    pid: process.pid,
    socket: ctx.config.socketPath,
    db: ctx.store.path,
    default_model: ctx.models.defaultSpec,
    models: ctx.models.all().map(({ spec, loaded }) => {
      const entry: { [k: string]: JsonValue } = { spec, name: loaded.model.name, version: loaded.model.version };
      const metadata = modelMetadata(loaded);
      if (metadata !== undefined) entry['metadata'] = metadata;
      return entry;
    }),
  };
}

/** What our model files say about themselves: training set and validation metrics (not the trees). */
function modelMetadata(predictor: Predictor): JsonValue | undefined {
  if (!(predictor instanceof ModelPredictor)) return undefined;
  const doc = predictor.document;
  const { drives, failures, dateRange, files, driveModels } = doc.training;
  // Round-trip through JSON: only plain data goes on the wire.
  return JSON.parse(
    JSON.stringify({ created: doc.created, features: doc.features.length, thresholds: doc.thresholds, training: { drives, failures, dateRange, files, ...(driveModels && { driveModels }) }, validation: doc.validation, checksum: doc.checksum }),
  ) as JsonValue;
}

export function metricsOp(_req: Request, ctx: DaemonContext): Reply {
  return { content_type: 'text/plain; version=0.0.4', text: renderMetrics(ctx) };
}

export function renderMetrics(ctx: DaemonContext): string {
  return ctx.metrics.render({
    predictionsQueued: ctx.store.queuedPredictions,
    predictionsDropped: ctx.store.droppedPredictions,
    connectionsEvicted: ctx.budget.evictions,
    devicesTracked: ctx.store.deviceCount(),
    dbSizeBytes: ctx.store.sizeBytes(),
    connectionsOpen: ctx.connectionsOpen,
    limits: {
      connections: ctx.config.maxConnections,
      bufferedRequestBytes: ctx.config.maxBufferedRequestBytes,
      queuedReplyBytes: ctx.config.maxQueuedReplyBytes,
      batchDevices: ctx.config.maxBatchDevices,
      samplesPerRequest: ctx.config.maxSamplesPerRequest,
      replyBytes: ctx.config.maxReplyBytes,
      frameBytes: ctx.config.maxFrameBytes,
      alertQueue: ctx.config.maxAlertQueue,
    },
    bufferedRequestBytes: ctx.budget.bufferedRequestBytes,
    queuedReplyBytes: ctx.budget.queuedReplyBytes,
    uptimeSeconds: Math.round((ctx.now() - ctx.startedAtMs) / 1000),
    model: ctx.models.defaultModel.predictor.model,
    alerts: ctx.alerts.counts(),
  });
}

export function reloadOp(_req: Request, ctx: DaemonContext): Reply {
  try {
    ctx.reload();
  } catch (err) {
    throw new RequestError('BAD_MODEL', `reload failed, still serving the previous models and overrides: ${err instanceof Error ? err.message : String(err)}`);
  }
  const model = ctx.models.defaultModel.predictor.model;
  return { model: { name: model.name, version: model.version } };
}
