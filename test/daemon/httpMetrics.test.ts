/**
 * A real daemon with --collect-interval (the fake smartctl on its PATH replaying shared samples) and --http:
 * /metrics scraped over HTTP and parsed by a real exposition-format parser; /healthz; address checks.
 */
import { closeSync, openSync, statSync, writeSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DiskPredictClient } from '../../lib/client/index.js';
import { describeShared, sharedPath } from '../helpers/shared.js';
import { parseExposition, sampleValue } from '../helpers/prometheusText.js';
import { fakeSmartctl } from '../collect/fakeSmartctl.js';
import { Store } from '../../daemon/store/store.js';
import { cleanup, startDaemon, tempDir, type DaemonProcess } from './helpers/daemonProcess.js';

const HDD = 'smartctl/ata_hdd__HGST_HUS724020ALA640__smartctl_exporter-ee0794.json';

function get(url: string, method = 'GET'): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function httpBase(d: DaemonProcess): string {
  const m = /serving http:\/\/(\S+)\/metrics/.exec(d.stderr());
  if (!m) throw new Error(`no http address logged:\n${d.stderr()}`);
  return `http://${m[1]}`;
}

async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describeShared('daemon --collect-interval and --http', () => {
  it('collects on its own, predicts, and serves the verdicts on /metrics and the store state on /healthz', async () => {
    const fake = fakeSmartctl({
      scan: [{ name: '/dev/sda', type: 'sat' }, { name: '/dev/sdb', type: 'sat' }, { name: '/dev/sdc', type: 'sat' }],
      devices: { '/dev/sda': { replay: sharedPath(HDD), serial: 'HTTP0001' }, '/dev/sdb': { standby: true }, '/dev/sdc': { garbage: true } },
    });
    const d = await startDaemon({ args: ['--http', '127.0.0.1:0', '--collect-interval', '3600'], env: fake.env });
    const client = new DiskPredictClient({ socketPath: d.socketPath });
    try {
      const base = httpBase(d);
      // the first pass runs right after start; its end is logged
      expect(await until('the collect log line', async () => (/collect: 3 device\(s\): 1 read, 1 in standby \(skipped\), 0 without data, 1 failed/.test(d.stderr()) ? true : undefined)));
      const families = await until('a device on /metrics', async () => {
        const f = parseExposition((await get(`${base}/metrics`)).body);
        return f.get('diskpredict_device_status')?.metrics.length ? f : undefined;
      });
      const devid = 'HGST_HUS724020ALA640_HTTP0001';
      // the test predictor: no reallocated sectors → Good, p14 0.01
      expect(sampleValue(families, 'diskpredict_device_status', { devid })).toBe(0);
      expect(sampleValue(families, 'diskpredict_device_failure_probability', { devid, within_days: '14' })).toBe(0.01);
      expect(sampleValue(families, 'diskpredict_device_life_expectancy_min_days', { devid })).toBe(43);
      // the standby disk and the broken one are not devices: only what was read is
      expect(families.get('diskpredict_device_status')!.metrics).toHaveLength(1);
      // the metrics op's families are there too
      expect(sampleValue(families, 'diskpredict_devices_tracked')).toBe(1);
      expect(families.get('diskpredict_request_duration_seconds')?.type).toBe('HISTOGRAM');
      expect(sampleValue(families, 'diskpredict_collect_devices', { outcome: 'stored' })).toBe(1);
      expect(sampleValue(families, 'diskpredict_collect_devices', { outcome: 'standby' })).toBe(1);
      expect(sampleValue(families, 'diskpredict_collect_devices', { outcome: 'error' })).toBe(1);
      // the collected device is in the store the socket serves
      expect(JSON.stringify(await client.request('devices'))).toContain(devid);
      const metrics = await get(`${base}/metrics`);
      expect(metrics.status).toBe(200);
      expect(metrics.type).toBe('text/plain; version=0.0.4; charset=utf-8');

      const health = await get(`${base}/healthz`);
      expect(health.status).toBe(200);
      expect(JSON.parse(health.body)).toMatchObject({ db: { ok: true } });
      expect((await get(`${base}/nope`)).status).toBe(404);
      expect((await get(`${base}/metrics`, 'POST')).status).toBe(405);
      expect((await get(`${base}/metrics`, 'HEAD')).body).toBe('');
      // never woken: every read carried -n standby
      for (const argv of fake.calls().filter((a) => a[0] === '-x')) expect(argv).toContain('standby');
    } finally {
      client.close();
      expect(await d.stop()).toBe(0);
      cleanup(d);
    }
  }, 60_000);
});

describe('/healthz on a damaged store', () => {
  it('answers 503 with the health JSON naming the file', async () => {
    const dir = tempDir();
    const path = join(dir, 'd.db');
    const store = new Store(path);
    for (let d = 0; d < 200; d++) store.ingest(`dev-${d}`, [{ time: 10, raw: 'y'.repeat(2000) }], 100);
    store.close();
    // a page in the middle overwritten (as in storeFaults.test.ts): SQLite opens it, quick_check finds the damage
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.alloc(4096, 0xa5), 0, 4096, Math.floor(statSync(path).size / 2 / 4096) * 4096);
    closeSync(fd);
    const d = await startDaemon({ dir, args: ['--http', '127.0.0.1:0'] });
    try {
      const health = await get(`${httpBase(d)}/healthz`);
      expect(health.status).toBe(503);
      expect(JSON.parse(health.body)).toMatchObject({ db: { ok: false, error: expect.stringContaining(path) } });
    } finally {
      expect(await d.stop()).toBe(0);
      cleanup(d);
    }
  }, 30_000);
});

describe('--http address', () => {
  it('refuses a non-loopback address without --http-allow-remote', async () => {
    await expect(startDaemon({ args: ['--http', '0.0.0.0:0'] })).rejects.toThrow(/not a loopback address.*--http-allow-remote/s);
  }, 30_000);

  it('serves a non-loopback address with --http-allow-remote', async () => {
    const d = await startDaemon({ args: ['--http', '0.0.0.0:0', '--http-allow-remote'] });
    try {
      expect(httpBase(d)).toMatch(/^http:\/\/0\.0\.0\.0:\d+$/);
    } finally {
      expect(await d.stop()).toBe(0);
      cleanup(d);
    }
  }, 30_000);
});
