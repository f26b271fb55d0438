/** The daemon's SQLite store and config layering, in process. */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Store, StoreSchemaError } from '../../daemon/store/store.js';
import { SCHEMA_VERSION } from '../../daemon/store/schema.js';
import { ConfigError, defaultConfig, loadConfig } from '../../daemon/config.js';
import { readHistoryWithinBytes } from '../../daemon/ops/history.js';
import { WorkSlicer } from '../../daemon/workSlicer.js';

const dirs: string[] = [];
function temp(): string {
  const d = mkdtempSync(join(tmpdir(), 'dp-store-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('store', () => {
  it('is idempotent on (devid, time) and returns the newest samples oldest first', () => {
    const store = new Store(join(temp(), 'db', 'x.db'));
    expect(store.ingest('a', [{ time: 10, raw: '{"v":1}' }, { time: 20, raw: '{"v":2}' }], 100)).toEqual({ stored: 2, duplicates: 0, expired: 0 });
    expect(store.ingest('a', [{ time: 20, raw: '{"v":"other"}' }, { time: 30, raw: '{"v":3}' }], 101)).toEqual({ stored: 1, duplicates: 1, expired: 0 });
    expect(store.history('a', undefined, 2)).toEqual([{ time: 20, raw: '{"v":2}' }, { time: 30, raw: '{"v":3}' }]);
    expect(store.history('a', 15, 10).map((s) => s.time)).toEqual([20, 30]);
    store.close();
  });

  it('sizes a history reply before reading its rows, as reading them would count it', async () => {
    const store = new Store(join(temp(), 'x.db'));
    const rows = Array.from({ length: 40 }, (_, i) => ({ time: 1000 + i, raw: JSON.stringify({ i, pad: 'x'.repeat(100 + 37 * i), u: 'é✓' }) }));
    store.ingest('a', rows, 2000);
    for (const [since, limit, maxBytes] of [[undefined, 40, 1e9], [undefined, 40, 3000], [1010, 5, 1e9], [1010, 40, 2500], [undefined, 40, 10]] as const) {
      const read = await readHistoryWithinBytes(store, 'a', since, limit, maxBytes, 32, new WorkSlicer(() => false));
      expect(store.historyBytesWithin('a', since, limit, maxBytes, 32)).toBe(read.bytes);
      // the newest rows, oldest first, across pages of 16
      const all = store.history('a', since, limit);
      expect(read.rows).toEqual(all.slice(all.length - read.rows.length));
      expect(read.truncated).toBe(read.rows.length < all.length);
    }
    store.close();
  });

  it('records predictions in batches and lists devices with the last one', () => {
    const store = new Store(join(temp(), 'x.db'));
    store.ingest('a', [{ time: 10, raw: '{}' }], 100);
    store.recordPrediction({ devid: 'a', time: 200, status: 'Good', p14: 0.01, p42: 0.02, model: 'm', modelVersion: '1' });
    store.recordPrediction({ devid: 'b', time: 201, status: 'Bad', p14: 0.9, p42: null, model: 'm', modelVersion: '1' });
    expect(store.devices()).toEqual([
      { devid: 'a', samples: 1, firstSample: 10, lastSample: 10, lastPrediction: { devid: 'a', time: 200, status: 'Good', p14: 0.01, p42: 0.02, model: 'm', modelVersion: '1' } },
      { devid: 'b', samples: 0, firstSample: null, lastSample: null, lastPrediction: { devid: 'b', time: 201, status: 'Bad', p14: 0.9, p42: null, model: 'm', modelVersion: '1' } },
    ]);
    store.close();
  });

  it('drops samples and predictions past the retention period', () => {
    const store = new Store(join(temp(), 'x.db'));
    const now = 1_000 * 86_400;
    store.ingest('a', [{ time: now - 181 * 86_400, raw: '{}' }, { time: now - 179 * 86_400, raw: '{}' }], now);
    store.recordPrediction({ devid: 'a', time: now - 200 * 86_400, status: 'Good', p14: 0, p42: 0, model: 'm', modelVersion: '1' });
    store.flushPredictions();
    expect(store.applyRetention(now, 180)).toBe(2);
    expect(store.history('a', undefined, 10).map((s) => s.time)).toEqual([now - 179 * 86_400]);
    store.close();
  });

  it('does not store (and counts as expired) samples older than the retention period', () => {
    const store = new Store(join(temp(), 'x.db'));
    const now = 1_000 * 86_400;
    const days = [200, 181, 179, 3].map((d) => ({ time: now - d * 86_400, raw: '{}' }));
    expect(store.ingest('a', days, now, 180)).toEqual({ stored: 2, duplicates: 0, expired: 2 });
    expect(store.ingest('a', days, now, 180)).toEqual({ stored: 0, duplicates: 2, expired: 2 });
    // what was acknowledged as stored survives the next retention pass
    expect(store.applyRetention(now, 180)).toBe(0);
    expect(store.history('a', undefined, 10).map((s) => s.time)).toEqual([now - 179 * 86_400, now - 3 * 86_400]);
    store.close();
  });

  it('records its schema version and refuses a database from a newer daemon', () => {
    const path = join(temp(), 'x.db');
    new Store(path).close();
    const db = new Database(path);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => new Store(path)).toThrow(StoreSchemaError);
  });
});

describe('config', () => {
  it('layers defaults, file and command line, resolving file paths against the file', () => {
    const dir = temp();
    const file = join(dir, 'c.json');
    writeFileSync(file, JSON.stringify({ dbPath: 'state/x.db', retentionDays: 30, model: 'rules' }));
    const config = loadConfig(file, { model: 'default' });
    expect(config).toMatchObject({ dbPath: join(dir, 'state/x.db'), retentionDays: 30, model: 'default', maxFrameBytes: defaultConfig().maxFrameBytes });
  });

  it('rejects unknown settings and wrong types, naming them', () => {
    const file = join(temp(), 'c.json');
    writeFileSync(file, JSON.stringify({ retentionDays: -1 }));
    expect(() => loadConfig(file, {})).toThrow(/retentionDays must be a positive integer/);
    writeFileSync(file, JSON.stringify({ socket: '/x' }));
    expect(() => loadConfig(file, {})).toThrow(ConfigError);
  });
});
