/**
 * The daemon's SQLite history (better-sqlite3, WAL, synchronous=FULL): an ingest is committed and synced
 * before it is acknowledged, so it survives `kill -9`. Predictions are derived data and are written in
 * batches without a sync of their own, to keep them off the request path.
 */
import type Database from 'better-sqlite3';
import { mkdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
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
}

/** The database file cannot be opened (not SQLite, its directory missing, no permission). */
export class StoreOpenError extends Error {
  override readonly name = 'StoreOpenError';
}

/** better-sqlite3 is missing: it is an optional dependency (a prebuilt binary or a C++ compiler), needed only here. */
export class SqliteMissingError extends Error {
  override readonly name = 'SqliteMissingError';
}

/**
 * better-sqlite3, loaded when a store is opened: it is an optionalDependency, so the library (read,
 * predict, evaluate, train) installs and runs where it could not be built; only the daemon needs it.
 */
export function loadSqlite(): typeof Database {
  try {
    return createRequire(import.meta.url)('better-sqlite3') as typeof Database;
  } catch (err) {
    throw new SqliteMissingError(
      `the daemon needs better-sqlite3, an optional dependency that is not installed or did not build ` +
        `(it needs a prebuilt binary for this platform or a C++ compiler): npm install better-sqlite3 (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`,
    );
  }
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

  /** `createDirectory`: make the file's missing parent directories (the daemon does so only for its default path). */
  constructor(
    readonly path: string,
    options: { createDirectory?: boolean } = {},
  ) {
    if (options.createDirectory ?? true) mkdirSync(dirname(path), { recursive: true });
    const Sqlite = loadSqlite();
    try {
      this.db = new Sqlite(path);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = FULL');
      this.db.pragma('foreign_keys = ON');
      this.db.pragma('busy_timeout = 5000');
    } catch (err) {
      // better-sqlite3 says "file is not a database" or "directory does not exist" without the path.
      throw new StoreOpenError(`database ${path}: ${err instanceof Error ? err.message : String(err)}`);
    }
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

  /** Stores samples not already present for (devid, time); commits (and syncs) before returning. */
  ingest(devid: string, samples: readonly StoredSample[], nowS: number): IngestCounts {
    const run = this.db.transaction(() => {
      this.stmts.insertDevice.run(devid, nowS);
      let stored = 0;
      for (const s of samples) stored += this.stmts.insertSample.run(devid, s.time, s.raw, nowS).changes;
      return stored;
    });
    const stored = run();
    return { stored, duplicates: samples.length - stored };
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
    const cutoff = nowS - retentionDays * 86_400;
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
