/**
 * The daemon: wires the config, the models, the store and the metrics to the socket. Start with
 * `Daemon.start`; signals are the caller's business (lib/cli/daemonCommand.ts maps them to reload/stop).
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { Server as HttpServer } from 'node:http';
import { unlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { isExpired } from '../lib/predict/overrides/matchOverrides.js';
import { readOverridesFile } from '../lib/predict/overrides/overridesFile.js';
import type { Override } from '../lib/predict/overrides/types.js';
import { nativeEnabled, peerCredentialsOfSocket } from '../lib/native/index.js';
import { packageVersion } from '../lib/util/packageInfo.js';
import { ConfigError, defaultConfig, loadConfig, type DaemonConfig, type DaemonConfigLayer } from './config.js';
import { AlertService } from './alerts/alertService.js';
import { Collector } from './collector.js';
import { Connection, type ConnectionRefusal } from './connection.js';
import { parseHttpAddress, type HttpAddress } from './httpAddress.js';
import { createHttpServer, listenHttp } from './httpServer.js';
import { fixAllocatorThresholds, MemoryRelease } from './memoryRelease.js';
import { limitHeapGrowth } from './heapGrowth.js';
import { noteRequestArrival } from './workSlicer.js';
import { MemoryBudget, type MemoryBudgetLimits } from './memoryBudget.js';
import { supplementaryGroupsOf } from './peerGroups.js';
import { dispatch, errorReply } from './dispatch.js';
import type { Logger } from './log.js';
import { Metrics, writeMetricsFile } from './metrics.js';
import { ModelSet, type PredictorFactory } from './models.js';
import type { DaemonContext } from './ops/context.js';
import { renderMetrics } from './ops/status.js';
import { listenOnFd, listenOnPath, lockSocketPath } from './listen.js';
import { Store } from './store/store.js';
import { notifyReady, takeListenFd } from './systemd.js';

export interface DaemonOptions {
  configFile?: string;
  /** command-line settings; they win over the file, also on reload */
  cli: DaemonConfigLayer;
  createPredictor: PredictorFactory;
  log: Logger;
  /** the daemon's clock (Unix ms); tests inject one to see reminders come due */
  now?: () => number;
}

// Four batches a second. A commit rewrites about one predictions_devid index page per device in its batch, and
// every few seconds a commit also checkpoints the WAL (4-10 ms). bench/store.bench.ts, 620 predictions/s over 64
// devices: 100 ms batches spend 331 ms a minute flushing, with 39 flushes over 1 ms. 250 ms batches spend
// 220 ms, with 20 over 1 ms. Both have about 16 over 4 ms (checkpoints). Whole seconds hold the loop 2 ms every
// flush.
const PREDICTION_FLUSH_MS = 250;
const RETENTION_INTERVAL_MS = 3_600_000;

export class Daemon {
  private config: DaemonConfig;
  private models: ModelSet;
  private readonly store: Store;
  private readonly metrics = new Metrics();
  private readonly server: Server;
  private readonly connections = new Set<Connection>();
  private readonly budget: MemoryBudget;
  private readonly memoryRelease: MemoryRelease;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly startedAtMs = Date.now();
  private readonly version = packageVersion();
  private readonly context: DaemonContext;
  private ownsSocketPath = false;
  private socketPathLock: Server | undefined;
  private listeningOn = '';
  private stopping: Promise<void> | undefined;
  private readonly httpAddress: HttpAddress | undefined;
  private httpServer: HttpServer | undefined;
  private collector: Collector | undefined;
  private readonly alerts: AlertService;

  private constructor(private readonly options: DaemonOptions) {
    this.config = loadConfig(options.configFile, options.cli);
    if ((this.config.allowUids.length || this.config.allowGids.length) && !nativeEnabled) {
      // Running with the check silently off would be worse than not running: the operator asked for it.
      throw new ConfigError('--allow-uid/--allow-gid need the native addon (SO_PEERCRED), which is not loaded' + (process.env['DISKPREDICT_NATIVE'] === '0' ? ' (DISKPREDICT_NATIVE=0)' : '') + '; refusing to start without the peer check (rely on the socket file mode instead by leaving both out)');
    }
    // Checked before anything is opened: a refused address is a start-up error, not a log line.
    this.httpAddress = this.config.http !== undefined ? parseHttpAddress(this.config.http, this.config.httpAllowRemote) : undefined;
    this.budget = new MemoryBudget(budgetLimits(this.config));
    this.memoryRelease = new MemoryRelease();
    this.models = modelsFor(this.config, options.createPredictor, overridesFor(this.config, options.configFile));
    // ./var is the daemon's own default and made on demand; a directory an operator named must exist.
    const defaults = defaultConfig();
    this.store = new Store(this.config.dbPath, { createDirectory: this.config.dbPath === defaults.dbPath });
    this.server = createServer({ allowHalfOpen: false }, (socket) => this.accept(socket));
    const now = options.now ?? (() => Date.now());
    this.alerts = new AlertService({ store: this.store.alerts, config: () => this.config, now, log: options.log, userAgent: `diskpredict/${this.version}` });
    const self = this;
    this.context = {
      get config() {
        return self.config;
      },
      get models() {
        return self.models;
      },
      store: this.store,
      metrics: this.metrics,
      alerts: this.alerts,
      log: options.log,
      startedAtMs: this.startedAtMs,
      version: this.version,
      nativeEnabled,
      get peerCheck() {
        return self.peerCheckActive();
      },
      get connectionsOpen() {
        return self.connections.size;
      },
      reload: () => this.reload(),
      now,
      get stopping() {
        return self.stopping !== undefined;
      },
      budget: this.budget,
    };
  }

  static async start(options: DaemonOptions): Promise<Daemon> {
    const daemon = new Daemon(options);
    try {
      await daemon.listen();
      await daemon.listenHttp();
    } catch (err) {
      daemon.httpServer?.close();
      daemon.server.close();
      daemon.socketPathLock?.close();
      daemon.store.close();
      throw err;
    }
    const { log } = options;
    if (!fixAllocatorThresholds()) log.info('malloc thresholds left as they are (no native addon, not glibc, or set by MALLOC_*_THRESHOLD_)');
    if (limitHeapGrowth() === undefined) log.info('heap growth left to the --heap-growing-percent given to node');
    daemon.startTimers();
    daemon.alerts.start();
    const model = daemon.models.defaultModel.predictor.model;
    log.notice(
      `diskpredict ${daemon.version} listening on ${daemon.listeningOn}; db ${daemon.config.dbPath}; model ${model.name} ${model.version}; ${overridesSummary(daemon.models.overrides)}; native ${nativeEnabled ? 'on' : 'off'}; peer check ${daemon.peerCheckActive() ? 'on' : 'off'}`,
    );
    notifyReady((m) => log.warning(m));
    return daemon;
  }

  /** Re-reads config, overrides and models; on failure the old ones stay and the error is thrown. */
  reload(): void {
    const startedMs = performance.now();
    const config = loadConfig(this.options.configFile, this.options.cli);
    const overrides = overridesFor(config, this.options.configFile);
    const models = modelsFor(config, this.options.createPredictor, overrides);
    if (config.socketPath !== this.config.socketPath || config.dbPath !== this.config.dbPath || config.http !== this.config.http || config.httpAllowRemote !== this.config.httpAllowRemote) {
      this.options.log.warning('reload: socket, database and --http settings change only on restart');
      config.socketPath = this.config.socketPath;
      config.dbPath = this.config.dbPath;
      config.httpAllowRemote = this.config.httpAllowRemote;
      if (this.config.http !== undefined) config.http = this.config.http;
      else delete config.http;
    }
    if ((config.allowUids.length || config.allowGids.length) && !nativeEnabled) {
      throw new ConfigError('--allow-uid/--allow-gid need the native addon (SO_PEERCRED), which is not loaded; keeping the old settings');
    }
    this.config = config;
    this.models = models;
    this.budget.setLimits(budgetLimits(config));
    this.restartTimers();
    const m = models.defaultModel.predictor.model;
    this.options.log.notice(`reloaded: model ${m.name} ${m.version}; ${overridesSummary(overrides)}; took ${(performance.now() - startedMs).toFixed(1)} ms`);
  }

  /** Stops accepting, lets connections finish what they started (up to the deadline), closes the store. */
  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private async shutdown(): Promise<void> {
    const { log } = this.options;
    log.notice('stopping');
    const serverClosed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const c of this.connections) c.drain();
    let deadline: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      deadline = setTimeout(() => resolve('timeout'), this.config.shutdownDeadlineMs);
    });
    const result = await Promise.race([Promise.all([...this.connections].map((c) => c.closed)), timedOut]);
    clearTimeout(deadline);
    if (result === 'timeout') {
      log.warning(`shutdown deadline reached; closing ${this.connections.size} connection(s)`);
      for (const c of this.connections) c.destroy();
    }
    await serverClosed;
    if (this.httpServer) {
      const httpClosed = new Promise<void>((resolve) => this.httpServer!.close(() => resolve()));
      this.httpServer.closeAllConnections();
      await httpClosed;
    }
    this.stopTimers();
    // A pass under way finishes before the store closes; no new one starts.
    await this.collector?.stop();
    // After the last verdicts: their alert changes are saved; a delivery under way gets the shutdown deadline.
    await this.alerts.stop(this.config.shutdownDeadlineMs);
    this.writeMetricsFile();
    const lost = this.store.close();
    if (lost) log.error(`${lost.unsaved} predictions were not stored (${this.config.dbPath}: ${lost.error})`);
    if (this.ownsSocketPath) {
      try {
        unlinkSync(this.config.socketPath);
      } catch {
        // already gone
      }
    }
    this.socketPathLock?.close();
    log.notice('stopped');
  }

  private async listen(): Promise<void> {
    const fd = takeListenFd();
    if (fd !== null) {
      await listenOnFd(this.server, fd);
      this.listeningOn = `fd ${fd} (socket activation)`;
      return;
    }
    this.socketPathLock = await lockSocketPath(this.config.socketPath);
    await listenOnPath(this.server, this.config.socketPath, { createDirectory: this.config.socketPath === defaultConfig().socketPath });
    this.ownsSocketPath = true;
    this.listeningOn = this.config.socketPath;
  }

  private async listenHttp(): Promise<void> {
    if (!this.httpAddress) return;
    this.httpServer = createHttpServer(this.context, (err) => this.options.log.error(`http: ${err instanceof Error && err.stack ? err.stack : String(err)}`));
    const where = await listenHttp(this.httpServer, this.httpAddress);
    this.options.log.notice(`serving http://${where}/metrics and /healthz`);
  }

  private accept(socket: Socket): void {
    if (this.stopping) {
      socket.destroy();
      return;
    }
    const connection = new Connection(socket, {
      maxFrameBytes: this.config.maxFrameBytes,
      idleTimeoutMs: this.config.idleTimeoutMs,
      requestTimeoutMs: this.config.requestTimeoutMs,
      handle: (req) => {
        this.memoryRelease.noteRequest();
        noteRequestArrival();
        return dispatch(req, this.context, this.options.log);
      },
      errorReply: (code, message) => errorReply(undefined, code, message),
      refusal: this.refusalFor(socket),
      budget: this.budget,
      onBug: (err) => this.options.log.error(`connection dropped after an internal error: ${err instanceof Error && err.stack ? err.stack : String(err)}`),
    });
    this.connections.add(connection);
    void connection.closed.then(() => this.connections.delete(connection));
  }

  private peerCheckActive(): boolean {
    return nativeEnabled && (this.config.allowUids.length > 0 || this.config.allowGids.length > 0);
  }

  /** Root and our own uid may always connect (they can read the database anyway). */
  private refusalFor(socket: Socket): ConnectionRefusal | null {
    if (this.connections.size >= this.config.maxConnections) {
      return { code: 'BUSY', message: `${this.connections.size} connections open, the limit (maxConnections); retry later` };
    }
    if (!this.peerCheckActive()) return null;
    let creds;
    try {
      creds = peerCredentialsOfSocket(socket);
    } catch (err) {
      return { code: 'FORBIDDEN', message: `cannot read peer credentials: ${err instanceof Error ? err.message : String(err)}` };
    }
    if (!creds) return null;
    const { uid, gid } = creds;
    if (uid === 0 || uid === process.getuid?.() || this.config.allowUids.includes(uid)) return null;
    const groups = [gid, ...supplementaryGroupsOf(creds.pid)];
    if (groups.some((g) => this.config.allowGids.includes(g))) return null;
    this.options.log.warning(`refused connection from uid ${uid} gid ${gid} (pid ${creds.pid})`);
    return { code: 'FORBIDDEN', message: `uid ${uid} / gid ${gid} is not allowed` };
  }

  private startTimers(): void {
    const every = (ms: number, fn: () => void) => {
      const t = setInterval(() => {
        try {
          fn();
        } catch (err) {
          this.options.log.error(`background task failed: ${err instanceof Error ? err.message : String(err)}`);
        }
      }, ms);
      t.unref();
      this.timers.push(t);
    };
    every(PREDICTION_FLUSH_MS, () => this.flushPredictions());
    every(RETENTION_INTERVAL_MS, () => this.applyRetention());
    if (this.config.metricsFile) every(this.config.metricsIntervalMs, () => this.writeMetricsFile());
    if (this.config.collectIntervalS !== undefined && !this.collector) {
      this.collector = new Collector(this.context, this.config.collectIntervalS * 1000, this.options.log);
      this.collector.start();
    }
    this.memoryRelease.start();
    this.applyRetention();
    this.writeMetricsFile();
  }

  private lastFlushError: string | undefined;

  /** Logs a failing prediction write once per distinct error, and once when writes work again. */
  private flushPredictions(): void {
    try {
      this.store.flushPredictions();
      if (this.lastFlushError !== undefined) this.options.log.notice('prediction writes work again');
      this.lastFlushError = undefined;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (message !== this.lastFlushError) {
        this.options.log.error(`cannot write predictions to ${this.config.dbPath} (kept queued, ${this.store.queuedPredictions} now): ${message}`);
      }
      this.lastFlushError = message;
    }
  }

  private stopTimers(): void {
    for (const t of this.timers.splice(0)) clearInterval(t);
    this.memoryRelease.stop();
  }

  private restartTimers(): void {
    // The collection schedule survives a reload unless its interval changed (no extra pass on every SIGHUP).
    if (this.collector && this.collector.intervalMs !== (this.config.collectIntervalS ?? 0) * 1000) {
      void this.collector.stop(); // a pass under way finishes; shutdown awaits the current collector only
      this.collector = undefined;
    }
    this.stopTimers();
    this.startTimers();
  }

  private applyRetention(): void {
    const removed = this.store.applyRetention(Math.floor(Date.now() / 1000), this.config.retentionDays);
    if (removed) this.options.log.info(`retention: removed ${removed} rows older than ${this.config.retentionDays} days`);
  }

  private writeMetricsFile(): void {
    if (!this.config.metricsFile) return;
    try {
      writeMetricsFile(this.config.metricsFile, renderMetrics(this.context));
    } catch (err) {
      this.options.log.warning(`metrics file ${this.config.metricsFile}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}

function budgetLimits(config: DaemonConfig): MemoryBudgetLimits {
  return { maxBufferedRequestBytes: config.maxBufferedRequestBytes, maxQueuedReplyBytes: config.maxQueuedReplyBytes };
}

function modelsFor(config: DaemonConfig, factory: PredictorFactory, overrides: readonly Override[]): ModelSet {
  return new ModelSet(
    factory,
    config.model,
    {
      ...(config.modelDir !== undefined && { modelDir: config.modelDir }),
      ...(config.cephModelDir !== undefined && { cephModelDir: config.cephModelDir }),
    },
    overrides,
  );
}

/** The overrides file named by `overrides`, else overrides.json beside the config file (else the database), if there. */
export function overridesFileFor(config: DaemonConfig, configFile: string | undefined): string {
  return config.overrides ?? join(dirname(resolve(configFile ?? config.dbPath)), 'overrides.json');
}

function overridesFor(config: DaemonConfig, configFile: string | undefined): Override[] {
  // A file the operator named must exist (a typo is an error); the default location may be empty.
  return readOverridesFile(overridesFileFor(config, configFile), { missingOk: config.overrides === undefined });
}

function overridesSummary(overrides: readonly Override[]): string {
  const expired = overrides.filter((o) => isExpired(o, Date.now())).length;
  return `${overrides.length} override${overrides.length === 1 ? '' : 's'}${expired ? ` (${expired} expired)` : ''}`;
}
