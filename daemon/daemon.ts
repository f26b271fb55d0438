/**
 * The daemon: wires the config, the models, the store and the metrics to the socket. Start with
 * `Daemon.start`; signals are the caller's business (lib/cli/daemonCommand.ts maps them to reload/stop).
 */
import { createServer, type Server, type Socket } from 'node:net';
import { unlinkSync } from 'node:fs';
import { nativeEnabled, peerCredentialsOfSocket } from '../lib/native/index.js';
import { packageVersion } from '../lib/util/packageInfo.js';
import { defaultConfig, loadConfig, type DaemonConfig, type DaemonConfigLayer } from './config.js';
import { Connection } from './connection.js';
import { dispatch, errorReply } from './dispatch.js';
import type { Logger } from './log.js';
import { Metrics, writeMetricsFile } from './metrics.js';
import { ModelSet, type PredictorFactory } from './models.js';
import type { DaemonContext } from './ops/context.js';
import { renderMetrics } from './ops/status.js';
import { listenOnFd, listenOnPath } from './listen.js';
import { Store } from './store/store.js';
import { notifyReady, takeListenFd } from './systemd.js';

export interface DaemonOptions {
  configFile?: string;
  /** command-line settings; they win over the file, also on reload */
  cli: DaemonConfigLayer;
  createPredictor: PredictorFactory;
  /** drops the factory's cache of loaded model files, so reload re-reads them */
  forgetLoadedModels?: () => void;
  log: Logger;
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
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly startedAtMs = Date.now();
  private readonly version = packageVersion();
  private readonly context: DaemonContext;
  private ownsSocketPath = false;
  private listeningOn = '';
  private stopping: Promise<void> | undefined;

  private constructor(private readonly options: DaemonOptions) {
    this.config = loadConfig(options.configFile, options.cli);
    this.models = modelsFor(this.config, options.createPredictor);
    // ./var is the daemon's own default and made on demand; a directory an operator named must exist.
    const defaults = defaultConfig();
    this.store = new Store(this.config.dbPath, { createDirectory: this.config.dbPath === defaults.dbPath });
    this.server = createServer({ allowHalfOpen: false }, (socket) => this.accept(socket));
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
      now: () => Date.now(),
    };
  }

  static async start(options: DaemonOptions): Promise<Daemon> {
    const daemon = new Daemon(options);
    try {
      await daemon.listen();
    } catch (err) {
      daemon.store.close();
      throw err;
    }
    daemon.startTimers();
    const { log } = options;
    const model = daemon.models.defaultModel.predictor.model;
    log.notice(
      `diskpredict ${daemon.version} listening on ${daemon.listeningOn}; db ${daemon.config.dbPath}; model ${model.name} ${model.version}; native ${nativeEnabled ? 'on' : 'off'}; peer check ${daemon.peerCheckActive() ? 'on' : 'off'}`,
    );
    if ((daemon.config.allowUids.length || daemon.config.allowGids.length) && !nativeEnabled) {
      log.warning('--allow-uid/--allow-gid need the native addon (SO_PEERCRED); relying on the socket file permissions only');
    }
    notifyReady((m) => log.warning(m));
    return daemon;
  }

  /** Re-reads config and models; on failure the old ones stay and the error is thrown. */
  reload(): void {
    const config = loadConfig(this.options.configFile, this.options.cli);
    this.options.forgetLoadedModels?.();
    const models = modelsFor(config, this.options.createPredictor);
    if (config.socketPath !== this.config.socketPath || config.dbPath !== this.config.dbPath) {
      this.options.log.warning('reload: socket and database paths change only on restart');
      config.socketPath = this.config.socketPath;
      config.dbPath = this.config.dbPath;
    }
    this.config = config;
    this.models = models;
    this.restartTimers();
    const m = models.defaultModel.predictor.model;
    this.options.log.notice(`reloaded: model ${m.name} ${m.version}`);
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
    this.stopTimers();
    this.writeMetricsFile();
    this.store.close();
    if (this.ownsSocketPath) {
      try {
        unlinkSync(this.config.socketPath);
      } catch {
        // already gone
      }
    }
    log.notice('stopped');
  }

  private async listen(): Promise<void> {
    const fd = takeListenFd();
    if (fd !== null) {
      await listenOnFd(this.server, fd);
      this.listeningOn = `fd ${fd} (socket activation)`;
      return;
    }
    await listenOnPath(this.server, this.config.socketPath, { createDirectory: this.config.socketPath === defaultConfig().socketPath });
    this.ownsSocketPath = true;
    this.listeningOn = this.config.socketPath;
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
      handle: (req) => dispatch(req, this.context, this.options.log),
      errorReply: (code, message) => errorReply(undefined, code, message),
      refusal: this.refusalFor(socket),
      onBug: (err) => this.options.log.error(`connection dropped after an internal error: ${err instanceof Error && err.stack ? err.stack : String(err)}`),
    });
    this.connections.add(connection);
    void connection.closed.then(() => this.connections.delete(connection));
  }

  private peerCheckActive(): boolean {
    return nativeEnabled && (this.config.allowUids.length > 0 || this.config.allowGids.length > 0);
  }

  /** Root and our own uid may always connect (they can read the database anyway). */
  private refusalFor(socket: Socket): string | null {
    if (!this.peerCheckActive()) return null;
    let creds;
    try {
      creds = peerCredentialsOfSocket(socket);
    } catch (err) {
      return `cannot read peer credentials: ${err instanceof Error ? err.message : String(err)}`;
    }
    if (!creds) return null;
    const { uid, gid } = creds;
    const allowed = uid === 0 || uid === process.getuid?.() || this.config.allowUids.includes(uid) || this.config.allowGids.includes(gid);
    if (allowed) return null;
    this.options.log.warning(`refused connection from uid ${uid} gid ${gid} (pid ${creds.pid})`);
    return `uid ${uid} / gid ${gid} is not allowed`;
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
    every(PREDICTION_FLUSH_MS, () => this.store.flushPredictions());
    every(RETENTION_INTERVAL_MS, () => this.applyRetention());
    if (this.config.metricsFile) every(this.config.metricsIntervalMs, () => this.writeMetricsFile());
    this.applyRetention();
    this.writeMetricsFile();
  }

  private stopTimers(): void {
    for (const t of this.timers.splice(0)) clearInterval(t);
  }

  private restartTimers(): void {
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

function modelsFor(config: DaemonConfig, factory: PredictorFactory): ModelSet {
  return new ModelSet(factory, config.model, {
    ...(config.modelDir !== undefined && { modelDir: config.modelDir }),
    ...(config.cephModelDir !== undefined && { cephModelDir: config.cephModelDir }),
  });
}
