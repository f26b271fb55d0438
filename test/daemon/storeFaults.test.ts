/** The store when the disk or the file fails: reads keep working, nothing is dropped silently, errors name the file. */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { Store, StoreOpenError, type StoredPrediction } from '../../daemon/store/store.js';

const dirs: string[] = [];
function temp(): string {
  const d = mkdtempSync(join(tmpdir(), 'dp-faults-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** The store's own connection: only to simulate a full disk (SQLite's page limit gives the same SQLITE_FULL). */
function connectionOf(store: Store): Database.Database {
  return (store as unknown as { db: Database.Database }).db;
}

const prediction = (devid: string, time: number): StoredPrediction => ({ devid, time, status: 'Good', p14: 0.01, p42: 0.02, model: 'm', modelVersion: '1' });

describe('store faults', () => {
  it('keeps reads working and predictions queued while the disk is full, and writes them once it is not', () => {
    const store = new Store(join(temp(), 'x.db'));
    store.ingest('a', [{ time: 10, raw: '{"v":1}' }], 100);
    store.recordPrediction(prediction('a', 200));
    store.flushPredictions();
    const db = connectionOf(store);
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages}`);
    for (let t = 300; t < 5300; t++) store.recordPrediction(prediction('a', t));
    expect(() => store.flushPredictions()).toThrow(/full/);
    expect(store.queuedPredictions).toBe(5000);
    // a sample write fails the same way (and says so: DB_ERROR in the daemon)
    expect(() => store.ingest('a', Array.from({ length: 50 }, (_, i) => ({ time: 1000 + i, raw: 'x'.repeat(4000) })), 100)).toThrow(/full/);
    // Before the fix, reading flushed first: the read failed and the 100 rows were gone.
    expect(store.history('a', undefined, 10).map((s) => s.time)).toEqual([10]);
    const preds = store.predictions('a', undefined, 10_000);
    expect(preds).toHaveLength(5001);
    expect(preds.at(-1)!.time).toBe(5299);
    expect(store.predictions('a', undefined, 3).map((p) => p.time)).toEqual([5297, 5298, 5299]);
    expect(store.devices()[0]!.lastPrediction!.time).toBe(5299);
    db.pragma('max_page_count = 1073741823');
    store.flushPredictions();
    expect(store.queuedPredictions).toBe(0);
    expect(store.predictions('a', undefined, 10_000)).toHaveLength(5001);
    expect(store.close()).toBeUndefined();
  });

  it('says how many predictions were lost when it closes on a full disk', () => {
    const store = new Store(join(temp(), 'x.db'));
    store.ingest('a', [{ time: 10, raw: '{}' }], 100);
    const db = connectionOf(store);
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
    for (let t = 0; t < 5000; t++) store.recordPrediction(prediction(`dev-${t}`, t));
    expect(store.close()).toMatchObject({ unsaved: 5000, error: expect.stringMatching(/full/) });
  });

  it('reports a damaged database as not ok, naming the file', () => {
    const path = join(temp(), 'x.db');
    const store = new Store(path);
    for (let d = 0; d < 200; d++) store.ingest(`dev-${d}`, [{ time: 10, raw: 'y'.repeat(2000) }], 100);
    expect(store.check()).toEqual({ ok: true });
    store.close();
    // overwrite a page in the middle of the file (not the header: SQLite would not open it at all)
    const size = statSync(path).size;
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.alloc(4096, 0xa5), 0, 4096, Math.floor(size / 2 / 4096) * 4096);
    closeSync(fd);
    const damaged = new Store(path);
    // Before the fix `SELECT 1` answered and health said ok.
    expect(damaged.check()).toMatchObject({ ok: false, error: expect.stringContaining(path) });
    damaged.close();
  });

  it('names the file when it is not a database', () => {
    const path = join(temp(), 'not.db');
    writeFileSync(path, 'this is a text file, long enough to have a header that SQLite reads and rejects. '.repeat(20));
    expect(() => new Store(path)).toThrow(StoreOpenError);
    expect(() => new Store(path)).toThrow(new RegExp(`database ${path}: file is not a database`));
  });
});
