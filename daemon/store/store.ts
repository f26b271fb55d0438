/**
 * The daemon's SQLite history (better-sqlite3, WAL, synchronous=FULL): an ingest is committed and synced
 * before it is acknowledged, so it survives `kill -9`. Predictions are derived data and are written in
 * batches without a sync of their own, to keep them off the request path.
 */
import Database from 'better-sqlite3';
import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { MIGRATIONS, SCHEMA_VERSION } from './schema.js';

type Db = Database.Database;
type Statement = Database.Statement;

/** A predictions row as a StoredPrediction. */
const PREDICTION_COLUMNS = 'devid, time, status, p14, p42, model, model_version AS modelVersion';

export interface StoredSample {
  /** Unix seconds */
  time: number;
  raw: string;
}

export interface StoredPrediction {
  devid: string;
  /** Unix seconds */
  time: number;
  status: string;
  p14: number | null;
  p42: number | null;
  model: string;
  modelVersion: string;
}

export interface DeviceSummary {
  devid: string;
  samples: number;
  firstSample: number | null;
  lastSample: number | null;
  lastPrediction: StoredPrediction | null;
}

export interface IngestCounts {
  stored: number;
  duplicates: number;
  /** older than the retention period: not stored, since the next retention pass would delete them */
  expired: number;
}

/** Unix seconds before which samples and predictions are deleted (and new samples refused). */
export function retentionCutoff(nowS: number, retentionDays: number): number {
  return nowS - retentionDays * 86_400;
}

export class StoreSchemaError extends Error {
  override readonly name = 'StoreSchemaError';
}

export class Store {
  private readonly db: Db;
  private readonly pendingPredictions: StoredPrediction[] = [];
  private readonly stmts: {
    insertDevice: Statement;
    insertSample: Statement;
    insertPrediction: Statement;
    deviceExists: Statement;
    devices: Statement;
    lastPrediction: Statement;
    deviceCount: Statement;
    history: Statement;
    predictions: Statement;
    deleteSamples: Statement;
    deletePredictions: Statement;
  };

  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    migrate(this.db);
    this.stmts = {
      insertDevice: this.db.prepare('INSERT OR IGNORE INTO devices (devid, first_seen) VALUES (?, ?)'),
      insertSample: this.db.prepare('INSERT OR IGNORE INTO samples (devid, time, raw, received) VALUES (?, ?, ?, ?)'),
      insertPrediction: this.db.prepare(
        'INSERT INTO predictions (devid, time, status, p14, p42, model, model_version) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      deviceExists: this.db.prepare('SELECT 1 FROM devices WHERE devid = ?'),
      devices: this.db.prepare(
        'SELECT d.devid, count(s.time) AS n, min(s.time) AS first, max(s.time) AS last FROM devices d LEFT JOIN samples s ON s.devid = d.devid GROUP BY d.devid ORDER BY d.devid',
      ),
      lastPrediction: this.db.prepare(`SELECT ${PREDICTION_COLUMNS} FROM predictions WHERE devid = ? ORDER BY id DESC LIMIT 1`),
      deviceCount: this.db.prepare('SELECT count(*) AS n FROM devices'),
      history: this.db.prepare('SELECT time, raw FROM samples WHERE devid = ? AND time >= ? ORDER BY time DESC LIMIT ?'),
      predictions: this.db.prepare(
        `SELECT ${PREDICTION_COLUMNS} FROM predictions WHERE devid = ? AND time >= ? ORDER BY id DESC LIMIT ?`,
      ),
      deleteSamples: this.db.prepare('DELETE FROM samples WHERE time < ?'),
      deletePredictions: this.db.prepare('DELETE FROM predictions WHERE time < ?'),
    };
  }

  /**
   * Stores samples not already present for (devid, time); commits (and syncs) before returning. Samples
   * older than the retention period are counted as expired and not stored: the next retention pass
   * would delete them, and an acknowledged "stored" must stay stored.
   */
  ingest(devid: string, samples: readonly StoredSample[], nowS: number, retentionDays = Infinity): IngestCounts {
    const cutoff = retentionCutoff(nowS, retentionDays);
    const run = this.db.transaction(() => {
      this.stmts.insertDevice.run(devid, nowS);
      let stored = 0;
      let expired = 0;
      for (const s of samples) {
        if (s.time < cutoff) expired++;
        else stored += this.stmts.insertSample.run(devid, s.time, s.raw, nowS).changes;
      }
      return { stored, expired };
    });
    const { stored, expired } = run();
    return { stored, duplicates: samples.length - stored - expired, expired };
  }

  /** The newest `limit` samples at or after `sinceS`, oldest first. */
  history(devid: string, sinceS: number | undefined, limit: number): StoredSample[] {
    const rows = this.stmts.history.all(devid, sinceS ?? Number.MIN_SAFE_INTEGER, limit) as StoredSample[];
    return rows.reverse();
  }

  predictions(devid: string, sinceS: number | undefined, limit: number): StoredPrediction[] {
    this.flushPredictions();
    const rows = this.stmts.predictions.all(devid, sinceS ?? Number.MIN_SAFE_INTEGER, limit) as StoredPrediction[];
    return rows.reverse();
  }

  hasDevice(devid: string): boolean {
    return this.stmts.deviceExists.get(devid) !== undefined;
  }

  devices(): DeviceSummary[] {
    this.flushPredictions();
    const rows = this.stmts.devices.all() as { devid: string; n: number; first: number | null; last: number | null }[];
    return rows.map((r) => ({
      devid: r.devid,
      samples: r.n,
      firstSample: r.first,
      lastSample: r.last,
      lastPrediction: (this.stmts.lastPrediction.get(r.devid) as StoredPrediction | undefined) ?? null,
    }));
  }

  deviceCount(): number {
    return (this.stmts.deviceCount.get() as { n: number }).n;
  }

  /** Queued; written by flushPredictions (the daemon calls it on a timer and at close). */
  recordPrediction(p: StoredPrediction): void {
    this.pendingPredictions.push(p);
  }

  flushPredictions(): void {
    if (!this.pendingPredictions.length) return;
    const batch = this.pendingPredictions.splice(0);
    // Derived data, committed without waiting for the disk (the WAL keeps the database consistent; the next
    // ingest's sync or checkpoint makes it durable): a synced batch stalled every request behind it by 6–15 ms.
    this.db.pragma('synchronous = NORMAL');
    try {
      this.db.transaction(() => {
        for (const p of batch) {
          this.stmts.insertDevice.run(p.devid, p.time);
          this.stmts.insertPrediction.run(p.devid, p.time, p.status, p.p14, p.p42, p.model, p.modelVersion);
        }
      })();
    } finally {
      this.db.pragma('synchronous = FULL');
    }
  }

  /** Deletes samples and predictions older than the retention period; returns how many rows went. */
  applyRetention(nowS: number, retentionDays: number): number {
    const cutoff = retentionCutoff(nowS, retentionDays);
    return this.db.transaction(() => {
      return this.stmts.deleteSamples.run(cutoff).changes + this.stmts.deletePredictions.run(cutoff).changes;
    })();
  }

  /** True when the database answers a query. */
  check(): boolean {
    try {
      return (this.db.prepare('SELECT 1 AS one').get() as { one: number }).one === 1;
    } catch {
      return false;
    }
  }

  /** Main file plus WAL, in bytes. */
  sizeBytes(): number {
    let total = 0;
    for (const file of [this.path, `${this.path}-wal`]) {
      try {
        total += statSync(file).size;
      } catch {
        // no WAL file right after a checkpoint
      }
    }
    return total;
  }

  close(): void {
    if (!this.db.open) return;
    this.flushPredictions();
    this.db.close();
  }
}

function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new StoreSchemaError(`database schema version ${current} is newer than this daemon's (${SCHEMA_VERSION}); upgrade diskpredict`);
  }
  for (let v = current; v < SCHEMA_VERSION; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
