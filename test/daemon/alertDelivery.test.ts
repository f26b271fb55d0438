/** Alert delivery parts in process: the command runner, the webhook client, the outbox tables and their migration, the settings. */
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { AlertDeliveryError } from '../../daemon/alerts/deliveryError.js';
import { alertEventEnv, alertEventJson } from '../../daemon/alerts/alertEvent.js';
import { MAX_COMMAND_OUTPUT_BYTES, runAlertCommand } from '../../daemon/alerts/runAlertCommand.js';
import { postWebhook } from '../../daemon/alerts/postWebhook.js';
import { cliLayer } from '../../daemon/cliOptions.js';
import { ConfigError, loadConfig } from '../../daemon/config.js';
import { MIGRATIONS, SCHEMA_VERSION } from '../../daemon/store/schema.js';
import { Store } from '../../daemon/store/store.js';

const dirs: string[] = [];
function temp(): string {
  const d = mkdtempSync(join(tmpdir(), 'dp-alert-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('runAlertCommand', () => {
  it('runs the line with /bin/sh -c, the event on stdin and the fields in the environment', async () => {
    const out = await runAlertCommand({ command: 'read line; echo "$DISKPREDICT_DEVID got $line" | tr a-z A-Z', stdin: 'hello\n', env: { DISKPREDICT_DEVID: 'dev one' }, timeoutMs: 5000 });
    expect(out).toBe('DEV ONE GOT HELLO');
  });

  it('never puts the event into the command line: a hostile devid stays data', async () => {
    const dir = temp();
    const evil = `x"; touch ${join(dir, 'pwned')}; echo "`;
    const out = await runAlertCommand({ command: 'printf %s "$DISKPREDICT_DEVID"', stdin: '', env: { DISKPREDICT_DEVID: evil }, timeoutMs: 5000 });
    expect(out).toBe(evil);
    expect(existsSync(join(dir, 'pwned'))).toBe(false);
  });

  it('a non-zero exit fails with the exit code and the first of its output', async () => {
    await expect(runAlertCommand({ command: 'echo "smtp: connection refused" >&2; exit 7', stdin: '', env: {}, timeoutMs: 5000 })).rejects.toThrow(
      new AlertDeliveryError('command exited with 7: smtp: connection refused'),
    );
  });

  it('at the timeout kills the command and what it started', async () => {
    const dir = temp();
    const marker = join(dir, 'survived');
    const started = Date.now();
    // the grandchild would create the marker after 1.5 s unless the whole process group is killed
    const run = runAlertCommand({ command: `(sleep 1.5; touch ${marker}) & sleep 30`, stdin: '', env: {}, timeoutMs: 300 });
    await expect(run).rejects.toThrow(/command timed out after 300 ms/);
    expect(Date.now() - started).toBeLessThan(5000);
    await new Promise((r) => setTimeout(r, 2000));
    expect(existsSync(marker)).toBe(false);
  });

  it('keeps at most MAX_COMMAND_OUTPUT_BYTES of output and still waits for the command to end', async () => {
    const out = await runAlertCommand({ command: 'head -c 1000000 /dev/zero | tr "\\0" a', stdin: '', env: {}, timeoutMs: 5000 });
    expect(out).toHaveLength(MAX_COMMAND_OUTPUT_BYTES);
  });

  it('a command that ignores its stdin is not a failure', async () => {
    const big = 'x'.repeat(1 << 20);
    expect(await runAlertCommand({ command: 'exit 0', stdin: big, env: {}, timeoutMs: 5000 })).toBe('');
  });
});

describe('alert event', () => {
  it('carries the verdict as the protocol prediction object; the environment has the key fields, NUL-free', () => {
    const json = alertEventJson('DEV\0X', { kind: 'degraded', status: 'Bad', previous: 'Good', sinceMs: Date.UTC(2026, 0, 2) }, { status: 'Bad', p14: 0.5, p42: null, model: { name: 'm', version: '2' }, life_expectancy_max: '2026-01-16' }, Date.UTC(2026, 0, 2, 3));
    const doc = JSON.parse(json) as Record<string, unknown>;
    expect(doc).toMatchObject({ schema: 'diskpredict-alert/1', event: 'degraded', devid: 'DEV\0X', status: 'Bad', previous_status: 'Good', since: '2026-01-02T00:00:00Z', time: '2026-01-02T03:00:00Z' });
    expect(alertEventEnv(json)).toEqual({
      DISKPREDICT_EVENT: 'degraded',
      DISKPREDICT_EVENT_ID: doc['id'],
      DISKPREDICT_DEVID: 'DEV\uFFFDX',
      DISKPREDICT_STATUS: 'Bad',
      DISKPREDICT_PREVIOUS_STATUS: 'Good',
      DISKPREDICT_SINCE: '2026-01-02T00:00:00Z',
      DISKPREDICT_TIME: '2026-01-02T03:00:00Z',
      DISKPREDICT_P14: '0.5',
      DISKPREDICT_P42: '',
      DISKPREDICT_LIFE_EXPECTANCY_MAX: '2026-01-16',
      DISKPREDICT_MODEL: 'm 2',
    });
  });
});

describe('postWebhook', () => {
  async function server(handler: Parameters<typeof createServer>[1]): Promise<{ url: string; close(): Promise<void> }> {
    const s = createServer(handler);
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
    return {
      url: `http://user:secret@127.0.0.1:${(s.address() as AddressInfo).port}/hook?token=abc`,
      close: () => new Promise<void>((r) => (s.closeAllConnections(), s.close(() => r()))),
    };
  }

  it('a 2xx is delivered; a redirect is not followed and fails; errors never show credentials or the query', async () => {
    let status = 204;
    const s = await server((req, res) => {
      req.resume();
      res.writeHead(status, status === 302 ? { location: 'http://example.invalid/' } : {});
      res.end();
    });
    try {
      expect(await postWebhook({ url: s.url, body: '{}', timeoutMs: 2000, userAgent: 't' })).toBe(204);
      status = 302;
      const err = await postWebhook({ url: s.url, body: '{}', timeoutMs: 2000, userAgent: 't' }).then(() => new Error('delivered'), (e: unknown) => e as Error);
      expect(err).toBeInstanceOf(AlertDeliveryError);
      expect(err.message).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/hook: HTTP 302$/);
    } finally {
      await s.close();
    }
  });

  it('a receiver that never answers fails at the timeout', async () => {
    const s = await server(() => undefined);
    try {
      const started = Date.now();
      await expect(postWebhook({ url: s.url, body: '{}', timeoutMs: 300, userAgent: 't' })).rejects.toThrow(/no answer within 300 ms/);
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      await s.close();
    }
  });
});

describe('alert tables', () => {
  it('migrates a schema-1 database (the unused alert_state of migration 1 replaced) and keeps its data', () => {
    const path = join(temp(), 'old.db');
    const old = new Database(path);
    old.exec(MIGRATIONS[0]!);
    old.pragma('user_version = 1');
    old.prepare('INSERT INTO devices (devid, first_seen) VALUES (?, ?)').run('OLD', 1);
    old.close();
    const store = new Store(path);
    expect(store.deviceCount()).toBe(1);
    expect(store.alerts.states().size).toBe(0);
    store.close();
    const db = new Database(path);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(() => db.prepare("INSERT INTO alert_state (devid, status, since_ms) VALUES ('x', 'Unknown', 0)").run()).toThrow(/CHECK constraint/);
    db.close();
  });

  it('saves states with their events in order, and drops the oldest past the queue bound', () => {
    const store = new Store(join(temp(), 'a.db'));
    const write = (devid: string, n: number) => ({ devid, state: { status: 'Bad' as const, sinceMs: n, lastAlertMs: n }, outbox: [{ channel: 'webhook' as const, devid, event: `{"n":${n}}` }] });
    expect(store.alerts.save([write('a', 1), write('b', 2)], 10, 3)).toBe(0);
    expect(store.alerts.save([write('c', 3), write('d', 4)], 11, 3)).toBe(1);
    expect(store.alerts.pending()).toBe(3);
    expect(store.alerts.head('webhook')!.event).toBe('{"n":2}');
    expect(store.alerts.head('command')).toBeUndefined();
    expect([...store.alerts.states().keys()].sort()).toEqual(['a', 'b', 'c', 'd']);
    const head = store.alerts.head('webhook')!;
    store.alerts.retryAt(head.id, 99, 'HTTP 500');
    expect(store.alerts.head('webhook')).toMatchObject({ id: head.id, attempts: 1, nextAttemptMs: 99 });
    store.alerts.remove(head.id);
    expect(store.alerts.head('webhook')!.event).toBe('{"n":3}');
    store.close();
  });
});

describe('alert settings', () => {
  it('are read from the command line and the config file, and checked', () => {
    expect(cliLayer({ onChange: 'logger -t disk', webhook: 'https://hooks.example/x', remindAfter: '0' })).toEqual({ onChange: 'logger -t disk', webhook: 'https://hooks.example/x', remindAfterHours: 0 });
    expect(() => cliLayer({ webhook: 'ftp://x/' })).toThrow(new ConfigError('--webhook must be an http:// or https:// URL'));
    expect(() => cliLayer({ webhook: 'not a url' })).toThrow(ConfigError);
    expect(() => cliLayer({ remindAfter: '1.5' })).toThrow(/--remind-after must be a non-negative integer/);
    expect(() => cliLayer({ onChange: '' })).toThrow(/--on-change must be a non-empty string/);
    const defaults = loadConfig(undefined, {});
    expect(defaults).toMatchObject({ remindAfterHours: 24, alertTimeoutMs: 10_000, alertRetryMs: 10_000, maxAlertQueue: 1000 });
    expect(defaults.onChange).toBeUndefined();
    expect(defaults.webhook).toBeUndefined();
  });
});
