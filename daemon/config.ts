/**
 * Daemon settings: embedded defaults, overridden by the config file (JSON), overridden by command-line
 * options. The file is re-read on reload; the socket and database paths only take effect on restart.
 */
import { readRegularFileSync } from '../lib/util/readRegularFile.js';
import { describeJsonSyntaxError } from '../lib/util/json.js';
import { resolve } from 'node:path';
import { DEFAULT_FLEET_ALARM_MIN_DEVICES, DEFAULT_FLEET_ALARM_SHARE } from '../lib/predict/fleetAlarm.js';

export interface DaemonConfig {
  socketPath: string;
  dbPath: string;
  /** our trained model files (registry `modelDir`) */
  modelDir?: string;
  /** Ceph's pre-trained models (registry `cephModelDir`) */
  cephModelDir?: string;
  /** predictor spec used when a request names none */
  model: string;
  /** the overrides file (docs/overrides.md); absent = overrides.json beside the config file, else beside the database */
  overrides?: string;
  metricsFile?: string;
  metricsIntervalMs: number;
  /** read every device's SMART data with smartctl this often (seconds); absent = no collection */
  collectIntervalS?: number;
  /** HOST:PORT to serve /metrics and /healthz on; absent = no HTTP */
  http?: string;
  /** allow `http` on an address other than loopback */
  httpAllowRemote: boolean;
  /** command line run (by /bin/sh -c) for each alert event, the event JSON on stdin (docs/alerts.md) */
  onChange?: string;
  /** http(s) URL each alert event is POSTed to as JSON */
  webhook?: string;
  /** hours between reminders while a device stays Bad; 0 = none */
  remindAfterHours: number;
  /** one alert delivery (the command, or the webhook request) may take this long */
  alertTimeoutMs: number;
  /** first retry of a failed delivery after this long; each next retry waits twice as long (up to 15 min) */
  alertRetryMs: number;
  /** undelivered alert events kept per channel; past it the oldest are dropped (and counted) */
  maxAlertQueue: number;
  maxFrameBytes: number;
  idleTimeoutMs: number;
  requestTimeoutMs: number;
  shutdownDeadlineMs: number;
  retentionDays: number;
  allowUids: number[];
  allowGids: number[];
  /** client connections served at once; more are refused with BUSY */
  maxConnections: number;
  /** daemon-wide bytes of requests still arriving; a connection that would pass it is refused with BUSY */
  maxBufferedRequestBytes: number;
  /** daemon-wide reply bytes not yet taken by clients; past it, connections wait before their next request */
  maxQueuedReplyBytes: number;
  /** devices in one predict_batch */
  maxBatchDevices: number;
  /** stored samples one request may read (history, predictions from stored history) */
  maxSamplesPerRequest: number;
  /** largest `history` reply; a larger one is cut and says so (`truncated`) */
  maxReplyBytes: number;
  /** fleet alarm budget (lib/predict/fleetAlarm.ts): more than this share of a pass Bad raises the alarm… */
  fleetAlarmShare: number;
  /** …when at least this many devices are Bad */
  fleetAlarmMinDevices: number;
}

/** What can be given on the command line or in the file; absent = keep the lower layer's value. */
export type DaemonConfigLayer = Partial<DaemonConfig>;

const MIB = 1024 * 1024;
/** A config is a few hundred bytes. */
const MAX_CONFIG_FILE_BYTES = MIB;

export function defaultConfig(cwd = process.cwd()): DaemonConfig {
  return {
    socketPath: resolve(cwd, 'var/diskpredict.sock'),
    dbPath: resolve(cwd, 'var/diskpredict.db'),
    model: 'default',
    metricsIntervalMs: 60_000,
    httpAllowRemote: false,
    remindAfterHours: 24,
    alertTimeoutMs: 10_000,
    alertRetryMs: 10_000,
    maxAlertQueue: 1000,
    maxFrameBytes: 16 * MIB,
    idleTimeoutMs: 60_000,
    requestTimeoutMs: 10_000,
    shutdownDeadlineMs: 5_000,
    // Ceph's devicehealth keeps 180 days by default (mgr/devicehealth/retention_period).
    retentionDays: 180,
    allowUids: [],
    allowGids: [],
    maxConnections: 1024,
    // Two maximum-size frames in flight at once. At three (48 MiB) the soak's oversize attack peaked at 154-173 MB.
    maxBufferedRequestBytes: 32 * MIB,
    // Two maximum-size replies (maxReplyBytes). At 16 MiB the soak's amplification attack peaked at 168-202 MB, at 8
    // at 145-151 MB (three runs each, alternating); the well-behaved clients' p99 under it rose from 34-78 to 81-110 ms.
    maxQueuedReplyBytes: 8 * MIB,
    // A Ceph cluster's predict_batch names each OSD device once; 10,000 is a very large cluster.
    maxBatchDevices: 10_000,
    // 180 days of Ceph's daily scrapes for 500 devices.
    maxSamplesPerRequest: 100_000,
    // Building a reply costs several times its size in objects; 180 days of a Ceph device's samples fit.
    maxReplyBytes: 4 * MIB,
    fleetAlarmShare: DEFAULT_FLEET_ALARM_SHARE,
    fleetAlarmMinDevices: DEFAULT_FLEET_ALARM_MIN_DEVICES,
  };
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

type FieldKind = 'path' | 'string' | 'url' | 'positiveInt' | 'nonNegativeInt' | 'idList' | 'boolean' | 'share';

const FIELDS: Record<keyof DaemonConfig, FieldKind> = {
  socketPath: 'path',
  dbPath: 'path',
  modelDir: 'path',
  cephModelDir: 'path',
  model: 'string',
  overrides: 'path',
  metricsFile: 'path',
  metricsIntervalMs: 'positiveInt',
  collectIntervalS: 'positiveInt',
  http: 'string',
  httpAllowRemote: 'boolean',
  onChange: 'string',
  webhook: 'url',
  remindAfterHours: 'nonNegativeInt',
  alertTimeoutMs: 'positiveInt',
  alertRetryMs: 'positiveInt',
  maxAlertQueue: 'positiveInt',
  maxFrameBytes: 'positiveInt',
  idleTimeoutMs: 'positiveInt',
  requestTimeoutMs: 'positiveInt',
  shutdownDeadlineMs: 'positiveInt',
  retentionDays: 'positiveInt',
  allowUids: 'idList',
  allowGids: 'idList',
  maxConnections: 'positiveInt',
  maxBufferedRequestBytes: 'positiveInt',
  maxQueuedReplyBytes: 'positiveInt',
  maxBatchDevices: 'positiveInt',
  maxSamplesPerRequest: 'positiveInt',
  maxReplyBytes: 'positiveInt',
  fleetAlarmShare: 'share',
  fleetAlarmMinDevices: 'positiveInt',
};

// Frame lengths travel in 4 bytes. The framing is sniffed from the first byte, and `{` or JSON whitespace
// (0x09, 0x0a, 0x0d, 0x20, 0x7b) means NDJSON: a frame header starting with 0x09 announces at least 0x09000000
// bytes (144 MiB), so every legal frame must stay below that.
export const MAX_FRAME_LIMIT = 128 * MIB;

/** Reads a JSON config file; relative paths in it are relative to the file's folder. */
function readConfigFile(file: string): DaemonConfigLayer {
  let text: string;
  try {
    text = readRegularFileSync(file, MAX_CONFIG_FILE_BYTES).toString('utf8');
  } catch (err) {
    throw new ConfigError(`config ${err instanceof Error ? err.message : String(err)}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // never JSON.parse's message: it quotes the file, which may not be a config at all (a secret behind a symlink)
    throw new ConfigError(`config ${file}: ${describeJsonSyntaxError(text)}`);
  }
  return validateLayer(value, `config ${file}`, resolve(file, '..'));
}

/**
 * `where` prefixes every message (`config /etc/x.json`); `nameOf` says how the source spells a
 * setting (a file: its key; the command line: its flag, e.g. `--retention-days`).
 */
export function validateLayer(value: unknown, where: string, baseDir: string, nameOf: (key: string) => string = (key) => key): DaemonConfigLayer {
  const at = (key: string): string => (where ? `${where}: ${nameOf(key)}` : nameOf(key));
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ConfigError(`${where}: expected a JSON object`);
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (!(key in FIELDS)) throw new ConfigError(`${where}: unknown setting "${key}" (known: ${Object.keys(FIELDS).join(', ')})`);
    if (v === undefined || v === null) continue;
    out[key] = checkField(FIELDS[key as keyof DaemonConfig], v, at(key), baseDir);
  }
  if (typeof out['maxFrameBytes'] === 'number' && out['maxFrameBytes'] > MAX_FRAME_LIMIT) {
    throw new ConfigError(`${at('maxFrameBytes')} must be at most ${MAX_FRAME_LIMIT}`);
  }
  return out as DaemonConfigLayer;
}

function checkField(kind: FieldKind, v: unknown, where: string, baseDir: string): unknown {
  switch (kind) {
    case 'path':
      if (typeof v !== 'string' || v === '') throw new ConfigError(`${where} must be a non-empty path`);
      return resolve(baseDir, v);
    case 'string':
      if (typeof v !== 'string' || v === '') throw new ConfigError(`${where} must be a non-empty string`);
      return v;
    case 'url':
      if (typeof v !== 'string' || !isHttpUrl(v)) throw new ConfigError(`${where} must be an http:// or https:// URL`);
      return v;
    case 'nonNegativeInt':
      if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new ConfigError(`${where} must be a non-negative integer`);
      return v;
    case 'positiveInt':
      if (typeof v !== 'number' || !Number.isSafeInteger(v) || v <= 0) throw new ConfigError(`${where} must be a positive integer`);
      return v;
    case 'share':
      if (typeof v !== 'number' || !(v > 0 && v <= 1)) throw new ConfigError(`${where} must be a number in (0, 1], e.g. 0.05 for 5 %`);
      return v;
    case 'boolean':
      if (typeof v !== 'boolean') throw new ConfigError(`${where} must be true or false`);
      return v;
    case 'idList':
      if (!Array.isArray(v) || !v.every((id) => typeof id === 'number' && Number.isSafeInteger(id) && id >= 0)) {
        throw new ConfigError(`${where} must be a list of non-negative integers`);
      }
      return v;
  }
}

function isHttpUrl(v: string): boolean {
  try {
    const url = new URL(v);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

function mergeConfig(base: DaemonConfig, ...layers: DaemonConfigLayer[]): DaemonConfig {
  const out: DaemonConfig = { ...base };
  for (const layer of layers) {
    for (const [key, v] of Object.entries(layer)) if (v !== undefined) (out as unknown as Record<string, unknown>)[key] = v;
  }
  return out;
}

/** defaults ← file ← command line. */
export function loadConfig(configFile: string | undefined, cli: DaemonConfigLayer): DaemonConfig {
  const fileLayer = configFile ? readConfigFile(configFile) : {};
  return mergeConfig(defaultConfig(), fileLayer, cli);
}
