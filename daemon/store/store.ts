/**
 * The daemon's SQLite history (better-sqlite3, WAL, synchronous=FULL): an ingest is committed and synced
 * before it is acknowledged, so it survives `kill -9`. Predictions are derived data and are written in
 * batches without a sync of their own, to keep them off the request path.
 */
import type Database from 'better-sqlite3';
import { mkdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { AlertStore } from './alertStore.js';
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

export interface StoreCheck {
  ok: boolean;
  /** why not, naming the file */
  error?: string;
}

/**
 * Predictions waiting for a write that keeps failing (disk full) are kept up to this many, then the oldest are
 * dropped and counted: derived data, not worth the daemon's memory.
 */
const MAX_PENDING_PREDICTIONS = 100_000;
const CORRUPTION_CODES = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB']);

export class Store {
  private readonly db: Db;
  /** alert state and outbox (docs/alerts.md) */
  readonly alerts: AlertStore;
  private pendingPredictions: StoredPrediction[] = [];
  /** predictions dropped because they could not be written (see MAX_PENDING_PREDICTIONS) */
  droppedPredictions = 0;
  /** set by the open-time check or the first corruption error seen while serving */
  private damage: string | undefined;
  private readonly stmts: {
    insertDevice: Statement;
    insertSample: Statement;
    insertPrediction: Statement;
    deviceExists: Statement;
    devices: Statement;
    lastPrediction: Statement;
    deviceCount: Statement;
    historyPage: Statement;
    historySizes: Statement;
    windowTimes: Statement;
    samplesAfter: Statement;
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
      // Checkpoints run inside a commit, on the event loop: at SQLite's 1,000 pages each copies ~4 MB and stalls
      // one ingest in 150 by 5-15 ms; at 200 one in 1,500, the ingest p99 2.2-2.5 ms instead of 4.0, total time
      // the same (bench/ingestCheckpoint.bench.ts).
      this.db.pragma('wal_autocheckpoint = 200');
      this.db.pragma('foreign_keys = ON');
      this.db.pragma('busy_timeout = 5000');
      migrate(this.db);
      // Once, before serving: a damaged file is reported by `health` from the start, not at the first unlucky read.
      const problems = this.db.pragma('quick_check(5)', { simple: false }) as { quick_check: string }[];
      if (problems.length !== 1 || problems[0]!.quick_check !== 'ok') this.damage = `database ${path} is damaged: ${problems.map((p) => p.quick_check).join('; ')}`;
    } catch (err) {
      if (err instanceof StoreSchemaError) throw err;
      // better-sqlite3 says "file is not a database" or "directory does not exist" without the path.
      throw new StoreOpenError(`database ${path}: ${err instanceof Error ? err.message : String(err)}`);
    }
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
      historyPage: this.db.prepare('SELECT time, raw FROM samples WHERE devid = ? AND time >= ? AND time < ? ORDER BY time DESC LIMIT ?'),
      // octet_length, not length: SQLite takes it from the record header (length counts characters, so it decoded
      // every row's text): 3.2-3.5 instead of 8.4-9.6 ms for 1,000 real 10 kB samples.
      historySizes: this.db.prepare('SELECT octet_length(raw) AS n FROM samples WHERE devid = ? AND time >= ? ORDER BY time DESC LIMIT ?'),
      windowTimes: this.db.prepare('SELECT min(time) AS first, count(*) AS n FROM (SELECT time FROM samples WHERE devid = ? ORDER BY time DESC LIMIT ?)'),
      samplesAfter: this.db.prepare('SELECT time, raw FROM samples WHERE devid = ? AND time > ? ORDER BY time ASC LIMIT ?'),
      predictions: this.db.prepare(
        `SELECT ${PREDICTION_COLUMNS} FROM predictions WHERE devid = ? AND time >= ? ORDER BY id DESC LIMIT ?`,
      ),
      deleteSamples: this.db.prepare('DELETE FROM samples WHERE time < ?'),
      deletePredictions: this.db.prepare('DELETE FROM predictions WHERE time < ?'),
    };
    this.alerts = new AlertStore(this.db);
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
    return this.historyPage(devid, sinceS, Number.MAX_SAFE_INTEGER, limit).reverse();
  }

  /** Where the newest `n` samples of a device begin, and how many there are (first is null when none). */
  newestWindow(devid: string, n: number): { first: number | null; count: number } {
    const r = this.stmts.windowTimes.get(devid, n) as { first: number | null; n: number };
    return { first: r.first, count: r.n };
  }

  /**
   * Up to `pageSize` samples after `afterS`, oldest first: a long history read a page at a time, so the rows
   * held at once stay few (better-sqlite3's iterators keep the connection busy, so no cursor stays open between
   * pages).
   */
  samplesAfter(devid: string, afterS: number, pageSize: number): StoredSample[] {
    return this.stmts.samplesAfter.all(devid, afterS, pageSize) as StoredSample[];
  }

  /**
   * Up to `n` samples older than `beforeS` (and from `sinceS` on), newest first: a history reply read a page at a
   * time, so the work can yield between pages.
   */
  historyPage(devid: string, sinceS: number | undefined, beforeS: number, n: number): StoredSample[] {
    return this.stmts.historyPage.all(devid, sinceS ?? Number.MIN_SAFE_INTEGER, beforeS, n) as StoredSample[];
  }

  /**
   * What reading the newest samples within `maxBytes` (UTF-8 bytes of each stored text plus `overheadBytes`) counts,
   * without bringing the rows' text into JavaScript: a reply's size can be
   * reserved before its rows are read (8 clients each holding 4 MB of read rows while waiting for room was most
   * of the daemon's peak under the amplification attack).
   */
  historyBytesWithin(devid: string, sinceS: number | undefined, limit: number, maxBytes: number, overheadBytes: number): number {
    let bytes = 0;
    for (const { n } of this.stmts.historySizes.iterate(devid, sinceS ?? Number.MIN_SAFE_INTEGER, limit) as IterableIterator<{ n: number }>) {
      if (bytes + n + overheadBytes > maxBytes) break;
      bytes += n + overheadBytes;
    }
    return bytes;
  }

  /** Stored and still-queued predictions: a read never waits for (or fails with) the queued writes. */
  predictions(devid: string, sinceS: number | undefined, limit: number): StoredPrediction[] {
    const since = sinceS ?? Number.MIN_SAFE_INTEGER;
    const queued = this.pendingPredictions.filter((p) => p.devid === devid && p.time >= since).reverse();
    const rows = queued.length >= limit ? [] : (this.stmts.predictions.all(devid, since, limit - queued.length) as StoredPrediction[]);
    return [...queued, ...rows].slice(0, limit).reverse();
  }

  /** The device has a row: it was ingested into, or a prediction of it was written (a primary-key lookup). */
  hasDeviceRow(devid: string): boolean {
    return this.stmts.deviceExists.get(devid) !== undefined;
  }

  /** A prediction of the device waits to be written. */
  hasQueuedPrediction(devid: string): boolean {
    return this.pendingPredictions.some((p) => p.devid === devid);
  }

  hasDevice(devid: string): boolean {
    return this.hasDeviceRow(devid) || this.hasQueuedPrediction(devid);
  }

  devices(): DeviceSummary[] {
    const rows = this.stmts.devices.all() as { devid: string; n: number; first: number | null; last: number | null }[];
    const latestQueued = new Map<string, StoredPrediction>();
    for (const p of this.pendingPredictions) latestQueued.set(p.devid, p);
    const out = rows.map((r) => ({
      devid: r.devid,
      samples: r.n,
      firstSample: r.first,
      lastSample: r.last,
      lastPrediction: latestQueued.get(r.devid) ?? (this.stmts.lastPrediction.get(r.devid) as StoredPrediction | undefined) ?? null,
    }));
    const known = new Set(rows.map((r) => r.devid));
    for (const [devid, p] of latestQueued) {
      if (!known.has(devid)) out.push({ devid, samples: 0, firstSample: null, lastSample: null, lastPrediction: p });
    }
    return out.sort((a, b) => (a.devid < b.devid ? -1 : a.devid > b.devid ? 1 : 0));
  }

  deviceCount(): number {
    return (this.stmts.deviceCount.get() as { n: number }).n;
  }

  /** Queued; written by flushPredictions (the daemon calls it on a timer and at close). */
  recordPrediction(p: StoredPrediction): void {
    this.pendingPredictions.push(p);
    if (this.pendingPredictions.length > MAX_PENDING_PREDICTIONS) {
      const excess = this.pendingPredictions.length - MAX_PENDING_PREDICTIONS;
      this.pendingPredictions.splice(0, excess);
      this.droppedPredictions += excess;
    }
  }

  get queuedPredictions(): number {
    return this.pendingPredictions.length;
  }

  /** Writes the queued predictions; when that fails (disk full) they stay queued and the error is thrown. */
  flushPredictions(): void {
    if (!this.pendingPredictions.length) return;
    const batch = this.pendingPredictions;
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
      this.pendingPredictions = [];
    } catch (err) {
      this.noteError(err);
      throw err;
    } finally {
      this.db.pragma('synchronous = FULL');
    }
  }

  /** Remembers corruption seen while serving, for `health`. */
  noteError(err: unknown): void {
    const code = (err as { code?: unknown } | null)?.code;
    if (typeof code === 'string' && CORRUPTION_CODES.has(code) && this.damage === undefined) {
      this.damage = `database ${this.path} is damaged: ${err instanceof Error ? err.message : String(err)}`;
    }
  }

  /** Deletes samples and predictions older than the retention period; returns how many rows went. */
  applyRetention(nowS: number, retentionDays: number): number {
    const cutoff = retentionCutoff(nowS, retentionDays);
    return this.db.transaction(() => {
      return this.stmts.deleteSamples.run(cutoff).changes + this.stmts.deletePredictions.run(cutoff).changes;
    })();
  }

  /** Whether the database answers and no damage was found (at open, or in any error since). */
  check(): StoreCheck {
    if (this.damage !== undefined) return { ok: false, error: this.damage };
    try {
      this.stmts.deviceCount.get();
      return { ok: true };
    } catch (err) {
      this.noteError(err);
      return { ok: false, error: `database ${this.path}: ${err instanceof Error ? err.message : String(err)}` };
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

  /** Closes the database; returns how many queued predictions could not be written (with the error), if any. */
  close(): { unsaved: number; error: string } | undefined {
    if (!this.db.open) return undefined;
    let lost: { unsaved: number; error: string } | undefined;
    try {
      this.flushPredictions();
    } catch (err) {
      lost = { unsaved: this.pendingPredictions.length, error: err instanceof Error ? err.message : String(err) };
    }
    this.db.close();
    return lost;
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
