/** `diskpredict daemon` options → a config layer (shared by the CLI and the test launcher). */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { LogLevel } from './log.js';
import { ConfigError, validateLayer, type DaemonConfigLayer } from './config.js';

export interface DaemonCliOptions {
  socket?: string;
  db?: string;
  models?: string;
  cephModels?: string;
  model?: string;
  config?: string;
  overrides?: string;
  metricsFile?: string;
  collectInterval?: string;
  http?: string;
  httpAllowRemote?: boolean;
  onChange?: string;
  webhook?: string;
  remindAfter?: string;
  maxFrameBytes?: string;
  retentionDays?: string;
  idleTimeoutMs?: string;
  requestTimeoutMs?: string;
  shutdownDeadlineMs?: string;
  allowUid?: string[];
  allowGid?: string[];
  fleetAlarmShare?: string;
  fleetAlarmMinDevices?: string;
  logLevel?: string;
}

export function cliLayer(o: DaemonCliOptions): DaemonConfigLayer {
  const raw: Record<string, unknown> = {
    socketPath: o.socket,
    dbPath: o.db,
    modelDir: o.models,
    cephModelDir: o.cephModels,
    model: o.model,
    overrides: o.overrides,
    metricsFile: o.metricsFile,
    collectIntervalS: integer(o.collectInterval, '--collect-interval'),
    http: o.http,
    httpAllowRemote: o.httpAllowRemote,
    onChange: o.onChange,
    webhook: o.webhook,
    remindAfterHours: integer(o.remindAfter, '--remind-after'),
    maxFrameBytes: integer(o.maxFrameBytes, '--max-frame-bytes'),
    retentionDays: integer(o.retentionDays, '--retention-days'),
    idleTimeoutMs: integer(o.idleTimeoutMs, '--idle-timeout-ms'),
    requestTimeoutMs: integer(o.requestTimeoutMs, '--request-timeout-ms'),
    shutdownDeadlineMs: integer(o.shutdownDeadlineMs, '--shutdown-deadline-ms'),
    allowUids: o.allowUid?.map((v) => integer(v, '--allow-uid')),
    allowGids: o.allowGid?.map((v) => integer(v, '--allow-gid')),
    fleetAlarmShare: share(o.fleetAlarmShare, '--fleet-alarm-share'),
    fleetAlarmMinDevices: integer(o.fleetAlarmMinDevices, '--fleet-alarm-min-devices'),
  };
  return validateLayer(raw, '', resolve('.'), (key) => FLAGS[key] ?? key);
}

/** Settings as the command line spells them, so its errors name the flag the user typed. */
const FLAGS: Record<string, string> = {
  socketPath: '--socket',
  dbPath: '--db',
  modelDir: '--models',
  cephModelDir: '--ceph-models',
  model: '--model',
  overrides: '--overrides',
  metricsFile: '--metrics-file',
  collectIntervalS: '--collect-interval',
  http: '--http',
  httpAllowRemote: '--http-allow-remote',
  onChange: '--on-change',
  webhook: '--webhook',
  remindAfterHours: '--remind-after',
  maxFrameBytes: '--max-frame-bytes',
  retentionDays: '--retention-days',
  idleTimeoutMs: '--idle-timeout-ms',
  requestTimeoutMs: '--request-timeout-ms',
  shutdownDeadlineMs: '--shutdown-deadline-ms',
  allowUids: '--allow-uid',
  allowGids: '--allow-gid',
  fleetAlarmShare: '--fleet-alarm-share',
  fleetAlarmMinDevices: '--fleet-alarm-min-devices',
};

function integer(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new ConfigError(`${flag} must be a non-negative integer, got "${v}"`);
  return Number(v);
}

function share(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  if (!/^(?:0|1)?(?:\.\d+)?$/.test(v) || v === '' || v === '.') throw new ConfigError(`${flag} must be a number in (0, 1], e.g. 0.05, got "${v}"`);
  return Number(v);
}

export function addDaemonOptions(command: Command): Command {
  return command
    .option('--socket <path>', 'Unix socket to listen on (default: ./var/diskpredict.sock)')
    .option('--db <path>', 'SQLite history (default: ./var/diskpredict.db)')
    .option('--models <dir>', 'folder of our trained model files')
    .option('--ceph-models <dir>', "folder of Ceph's pre-trained models")
    .option('--model <spec>', 'default predictor: default, rules, prophetstor, redhat or a model file')
    .option('--config <file>', 'JSON config file (re-read on SIGHUP / reload)')
    .option('--overrides <file>', 'overrides file: ignored attributes, accepted baselines, forced statuses (see docs/overrides.md; re-read on SIGHUP / reload; default: overrides.json beside --config, else beside --db, if it exists)')
    .option('--metrics-file <path>', 'also write Prometheus metrics here (node_exporter textfile collector)')
    .option('--collect-interval <seconds>', 'read every device with smartctl this often, skipping disks in standby (see docs/collect.md; default: off)')
    .option('--http <host:port>', 'serve /metrics (Prometheus) and /healthz over HTTP, loopback only (see docs/prometheus.md; default: off)')
    .option('--http-allow-remote', 'allow --http on a non-loopback address (no authentication: firewall it)')
    .option('--on-change <command>', 'run this (/bin/sh -c) when a device\'s status changes, the event JSON on stdin (see docs/alerts.md; default: none)')
    .option('--webhook <url>', 'POST each status-change event as JSON to this http(s) URL, retrying with backoff (see docs/alerts.md; default: none)')
    .option('--remind-after <hours>', 'remind this often while a device stays Bad; 0 = never (default: 24)')
    .option('--max-frame-bytes <n>', 'largest request accepted (default: 16 MiB)')
    .option('--retention-days <n>', 'days of samples and predictions kept (default: 180)')
    .option('--idle-timeout-ms <n>', 'close connections idle this long (default: 60000)')
    .option('--request-timeout-ms <n>', 'a started request must be complete within this (default: 10000)')
    .option('--shutdown-deadline-ms <n>', 'on SIGTERM, wait this long for in-flight requests (default: 5000)')
    .option('--allow-uid <uid...>', 'uids allowed to connect (SO_PEERCRED; needs the native addon)')
    .option('--allow-gid <gid...>', 'gids allowed to connect')
    .option('--fleet-alarm-share <share>', 'fleet alarm: more than this share of the devices of one predict_batch or collection pass Bad (default: 0.05)')
    .option('--fleet-alarm-min-devices <n>', 'fleet alarm: and at least this many Bad devices (default: 3)')
    .option('--log-level <level>', 'error, warning, notice, info or debug', 'info');
}

export function logLevelOption(v: string | undefined): LogLevel {
  const levels: LogLevel[] = ['error', 'warning', 'notice', 'info', 'debug'];
  if (v === undefined) return 'info';
  if (!levels.includes(v as LogLevel)) throw new ConfigError(`--log-level must be one of ${levels.join(', ')}`);
  return v as LogLevel;
}
