/**
 * One request → one reply: looks up the op, runs it, turns every failure into an error reply (nothing a
 * client sends may escape as an exception), echoes `id`, and counts it.
 */
import type { JsonValue } from '../lib/util/json.js';
import { RequestError, type ErrorCode } from './protocol/errors.js';
import type { Reply, Request } from './protocol/types.js';
import type { DaemonContext, OpHandler } from './ops/context.js';
import { predictBatchOp, predictOp } from './ops/predict.js';
import { ingestOp } from './ops/ingest.js';
import { devicesOp, historyOp } from './ops/history.js';
import { healthOp, infoOp, metricsOp, reloadOp } from './ops/status.js';
import type { Logger } from './log.js';
import type { OutgoingReply } from './storedJsonMap.js';

const OPS: Readonly<Record<string, OpHandler>> = {
  predict: predictOp,
  predict_batch: predictBatchOp,
  ingest: ingestOp,
  history: historyOp,
  devices: devicesOp,
  health: healthOp,
  info: infoOp,
  metrics: metricsOp,
  reload: reloadOp,
};

export function dispatch(req: Request, ctx: DaemonContext, log: Logger): OutgoingReply | Promise<OutgoingReply> {
  const started = process.hrtime.bigint();
  const id = replyId(req['id']);
  const opValue = req['op'];
  const handler = typeof opValue === 'string' && Object.hasOwn(OPS, opValue) ? OPS[opValue] : undefined;
  const op = handler ? (opValue as string) : 'unknown';
  const done = (outcome: string, reply: OutgoingReply): OutgoingReply => {
    ctx.metrics.recordRequest(op, outcome, Number(process.hrtime.bigint() - started) / 1e9);
    return reply;
  };
  const succeeded = (result: OutgoingReply): OutgoingReply => done('ok', { ...withId(id), ok: true, ...result });
  const failed = (err: unknown): OutgoingReply => {
    const { code, message } = classify(err, log, op, ctx);
    return done(code, errorReply(id, code, message));
  };
  try {
    if (typeof opValue !== 'string') throw new RequestError('BAD_REQUEST', 'request has no string "op"');
    if (!handler) throw new RequestError('UNKNOWN_OP', `unknown op "${opValue.slice(0, 64)}" (known: ${Object.keys(OPS).join(', ')})`);
    const result = handler(req, ctx);
    return result instanceof Promise ? result.then(succeeded, failed) : succeeded(result);
  } catch (err) {
    return failed(err);
  }
}

export function errorReply(id: JsonValue | undefined, code: ErrorCode, message: string): Reply {
  return { ...withId(id), ok: false, error: { code, message } };
}

function withId(id: JsonValue | undefined): Reply {
  return id === undefined ? {} : { id };
}

/** Only scalar ids are echoed: a huge object as id would be echoed at the daemon's cost. */
function replyId(id: JsonValue | undefined): JsonValue | undefined {
  return typeof id === 'string' || typeof id === 'number' || typeof id === 'bigint' ? id : undefined;
}

function classify(err: unknown, log: Logger, op: string, ctx: DaemonContext): { code: ErrorCode; message: string } {
  if (err instanceof RequestError) return { code: err.code, message: err.message };
  const message = err instanceof Error ? err.message : String(err);
  const sqliteCode = (err as { code?: unknown } | null)?.code;
  if (typeof sqliteCode === 'string' && sqliteCode.startsWith('SQLITE_')) {
    ctx.store.noteError(err);
    log.error(`${op}: database ${ctx.config.dbPath}: ${message}`);
    return { code: 'DB_ERROR', message: `database ${ctx.config.dbPath}: ${message}` };
  }
  if (err instanceof RangeError && /call stack/i.test(message)) return { code: 'BAD_ARGUMENT', message: 'request nested too deeply' };
  log.error(`${op}: internal error: ${err instanceof Error && err.stack ? err.stack : message}`);
  return { code: 'INTERNAL', message: `internal error: ${message}` };
}
