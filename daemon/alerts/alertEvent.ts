/**
 * An alert event as delivered (docs/alerts.md): JSON for the webhook body and the command's stdin (the protocol's
 * snake_case, with the verdict as the protocol's prediction object), and the environment variables for the command.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { StatusEvent } from '../../lib/predict/statusTransition.js';
import { stringifyJsonExact, type JsonObject } from '../../lib/util/json.js';
import { isoTime } from '../../lib/util/utcTime.js';
import type { Reply } from '../protocol/types.js';

export const ALERT_EVENT_SCHEMA = 'diskpredict-alert/1';

/** The event JSON: one per transition or reminder, the same text for every channel (its `id` lets a receiver drop repeats). */
export function alertEventJson(devid: string, event: StatusEvent, prediction: Reply, nowMs: number): string {
  const doc: JsonObject = {
    schema: ALERT_EVENT_SCHEMA,
    id: randomUUID(),
    event: event.kind,
    devid,
    status: event.status,
    previous_status: event.previous,
    since: isoTime(event.sinceMs),
    time: isoTime(nowMs),
    host: hostname(),
    prediction,
  };
  return stringifyJsonExact(doc);
}

/** The key fields as DISKPREDICT_* variables for `--on-change` (absent values are empty strings). */
export function alertEventEnv(eventJson: string): Record<string, string> {
  const doc = JSON.parse(eventJson) as Record<string, unknown>;
  const prediction = (doc['prediction'] ?? {}) as Record<string, unknown>;
  const model = (prediction['model'] ?? {}) as Record<string, unknown>;
  const text = (v: unknown) => (v === null || v === undefined ? '' : String(v));
  const env: Record<string, string> = {
    DISKPREDICT_EVENT: text(doc['event']),
    DISKPREDICT_EVENT_ID: text(doc['id']),
    DISKPREDICT_DEVID: text(doc['devid']),
    DISKPREDICT_STATUS: text(doc['status']),
    DISKPREDICT_PREVIOUS_STATUS: text(doc['previous_status']),
    DISKPREDICT_SINCE: text(doc['since']),
    DISKPREDICT_TIME: text(doc['time']),
    DISKPREDICT_P14: text(prediction['p14']),
    DISKPREDICT_P42: text(prediction['p42']),
    DISKPREDICT_LIFE_EXPECTANCY_MAX: text(prediction['life_expectancy_max']),
    DISKPREDICT_MODEL: model['name'] === undefined ? '' : `${text(model['name'])} ${text(model['version'])}`,
  };
  // An environment value cannot hold NUL (a devid can): shown as U+FFFD there; stdin has the exact text.
  for (const [k, v] of Object.entries(env)) env[k] = v.replace(/\0/g, '\uFFFD');
  return env;
}
