/**
 * What a hostile or careless client must not be able to do to the daemon: stall other clients, grow its memory
 * without bound, poison stored history, or race a second daemon onto its socket. Real processes, real sockets.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { connect, type Socket } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DiskPredictClient } from '../../lib/client/index.js';
import type { JsonObject } from '../../lib/util/json.js';
import { stringifyJsonExact } from '../../lib/util/json.js';
import { encodeFrame } from '../../lib/client/wire/msgpack.js';
import { cleanup, daemonForSuite, ndjson, rawExchange, startDaemon, tempDir, type DaemonProcess } from './helpers/daemonProcess.js';
import { cephKey, smartctlDoc } from './helpers/smartctlDocs.js';

const NOW_S = Math.floor(Date.now() / 1000);

function configFile(dir: string, settings: JsonObject): string {
  const file = join(dir, 'config.json');
  writeFileSync(file, JSON.stringify(settings));
  return file;
}

/** A devicehealth map of `n` daily samples whose documents are padded to about `padBytes` each. */
function paddedHistory(n: number, padBytes: number, first = 0, count = n): JsonObject {
  const map: JsonObject = {};
  for (let i = first; i < first + count; i++) {
    const t = NOW_S - (n - i) * 3600;
    map[cephKey(t)] = { ...smartctlDoc({ timeS: t }), vendor_specific_padding: 'x'.repeat(padBytes) };
  }
  return map;
}

function metric(text: string, name: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  if (!line) throw new Error(`no metric ${name}`);
  return Number(line.split(' ')[1]);
}

function openSocket(path: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(path);
    s.once('connect', () => resolve(s));
    s.once('error', reject);
  });
}

/** Collects the NDJSON replies' codes ('ok' or the error code) into `codes` as they arrive. */
function collectReplyCodes(s: Socket, codes: string[], onReply: () => void = () => {}): void {
  let buf = '';
  s.on('data', (c: Buffer) => {
    buf += c.toString('latin1');
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const reply = JSON.parse(buf.slice(0, nl)) as JsonObject;
      codes.push(reply['ok'] === true ? 'ok' : String((reply['error'] as JsonObject)['code']));
      buf = buf.slice(nl + 1);
      onReply();
    }
  });
}

describe('daemon under hostile load', () => {
  const configDir = tempDir();
  const suite = daemonForSuite({
    dir: configDir,
    args: [
      '--request-timeout-ms', '400',
      '--config', configFile(configDir, { maxBatchDevices: 50, maxConnections: 40, maxBufferedRequestBytes: 3 * 1024 * 1024, maxQueuedReplyBytes: 1024 * 1024 }),
    ],
  });
  let d: DaemonProcess;
  let client: DiskPredictClient;
  beforeAll(() => {
    d = suite.daemon();
    client = suite.client();
  });

  it('answers other clients while a predict_batch works through thousands of stored samples', async () => {
    for (let i = 0; i < 12; i++) {
      for (let part = 0; part < 250; part += 50) await client.request('ingest', { devid: `BIG-${i}`, samples: paddedHistory(250, 20_000, part, 50) });
    }
    const batch = client.request('predict_batch', { devices: Array.from({ length: 12 }, (_, i) => ({ devid: `BIG-${i}` })) });
    let batchDone = false;
    void batch.then(() => (batchDone = true));
    await new Promise((r) => setTimeout(r, 20)); // the batch is in the daemon now
    const other = new DiskPredictClient({ socketPath: d.socketPath });
    try {
      const health = await other.request('health', {});
      expect(health['version']).toEqual(expect.any(String));
      // Before the fix the batch held the event loop until it was done: health could only come after it.
      expect(batchDone).toBe(false);
    } finally {
      other.close();
    }
    const reply = await batch;
    const results = reply['results'] as JsonObject[];
    expect(results).toHaveLength(12);
    expect(results.every((r) => r['ok'] === true && r['samples_used'] === 250)).toBe(true);
  });

  it('refuses a batch over maxBatchDevices, and unknown devids create no device rows', async () => {
    await expect(client.request('predict_batch', { devices: Array.from({ length: 51 }, (_, i) => ({ devid: `N-${i}` })) })).rejects.toMatchObject({
      code: 'LIMIT_EXCEEDED',
      message: expect.stringContaining('maxBatchDevices'),
    });
    const before = (await client.request('devices', {}))['devices'] as JsonObject[];
    const reply = await client.request('predict_batch', { devices: Array.from({ length: 50 }, (_, i) => ({ devid: `NOBODY-${i}` })) });
    expect((reply['results'] as JsonObject[]).every((r) => r['status'] === 'Unknown')).toBe(true);
    await new Promise((r) => setTimeout(r, 400)); // past the prediction flush
    const after = (await client.request('devices', {}))['devices'] as JsonObject[];
    expect(after.length).toBe(before.length);
  });

  it('stops handling pipelined requests of a client that does not read its replies, and cuts it when over budget', async () => {
    for (let part = 0; part < 100; part += 50) await client.request('ingest', { devid: 'AMP', samples: paddedHistory(100, 20_000, part, 50) });
    const greedy = await openSocket(d.socketPath);
    greedy.pause();
    let greedyClosed = false;
    greedy.on('close', () => (greedyClosed = true));
    const line = stringifyJsonExact({ op: 'history', devid: 'AMP', limit: 100 }) + '\n'; // ~2 MB reply each
    greedy.write(line.repeat(300));
    await new Promise((r) => setTimeout(r, 300));
    let text = (await client.request('metrics', {}))['text'] as string;
    const handled = () => Number(/diskpredict_requests_total\{op="history",outcome="ok"\} (\d+)/.exec(text)?.[1] ?? 0);
    // Before the fix all 300 were handled at once (600 MB of replies queued in the daemon).
    expect(handled()).toBeLessThan(5);
    expect(metric(text, 'diskpredict_queued_reply_bytes')).toBeLessThan(8 * 1024 * 1024);
    // A client that reads is still served a large reply meanwhile; the one that does not is cut (it holds more
    // than maxQueuedReplyBytes and has not read for over a second).
    const other = new DiskPredictClient({ socketPath: d.socketPath });
    try {
      const reply = await other.request('history', { devid: 'AMP', limit: 100 });
      expect(Object.keys(reply['samples'] as JsonObject)).toHaveLength(100);
    } finally {
      other.close();
    }
    for (let i = 0; i < 50; i++) {
      text = (await client.request('metrics', {}))['text'] as string;
      if (metric(text, 'diskpredict_connections_evicted_total') >= 1) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(metric(text, 'diskpredict_connections_evicted_total')).toBeGreaterThanOrEqual(1);
    expect(metric(text, 'diskpredict_queued_reply_bytes')).toBe(0);
    // the greedy client finds its connection gone once it reads (it gets at most the replies already sent)
    greedy.on('data', () => undefined);
    greedy.resume();
    for (let i = 0; i < 50 && !greedyClosed; i++) await new Promise((r) => setTimeout(r, 100));
    expect(greedyClosed).toBe(true);
    greedy.destroy();
  }, 60_000);

  it('counts no reply bytes for a client that left before its reply was ready', async () => {
    for (let round = 0; round < 5; round++) {
      const s = await openSocket(d.socketPath);
      s.write(stringifyJsonExact({ op: 'history', devid: 'AMP', limit: 100 }) + '\n');
      await new Promise((r) => setTimeout(r, 2));
      s.destroy();
    }
    await new Promise((r) => setTimeout(r, 1000));
    const text = (await client.request('metrics', {}))['text'] as string;
    // Before the fix each abandoned reply stayed counted as queued, and the budget eventually refused everyone.
    expect(metric(text, 'diskpredict_queued_reply_bytes')).toBe(0);
    const reply = await client.request('history', { devid: 'AMP', limit: 100 });
    expect(Object.keys(reply['samples'] as JsonObject)).toHaveLength(100);
  });

  it('returns the reply budget of a msgpack history whose client left while its rows were being packed', async () => {
    for (let round = 0; round < 5; round++) {
      const s = await openSocket(d.socketPath);
      s.write(encodeFrame({ op: 'history', devid: 'AMP', limit: 100 }));
      await new Promise((r) => setTimeout(r, 5 * round));
      s.destroy();
    }
    await new Promise((r) => setTimeout(r, 1000));
    const text = (await client.request('metrics', {}))['text'] as string;
    expect(metric(text, 'diskpredict_queued_reply_bytes')).toBe(0);
    // Each ~2 MB reply reserves more than this suite's 1 MiB budget: one reservation left behind would make
    // every later history wait for ever.
    for (let i = 0; i < 3; i++) {
      const reply = await client.request('history', { devid: 'AMP', limit: 100 });
      expect(Object.keys(reply['samples'] as JsonObject)).toHaveLength(100);
    }
  });

  it('does not time out complete requests left unread while it waits for the client', async () => {
    const s = await openSocket(d.socketPath);
    s.pause();
    const line = stringifyJsonExact({ op: 'predict', samples: paddedHistory(20, 20_000) }) + '\n';
    s.write(line.repeat(60)); // more than the socket buffers hold: most of it waits unread in the kernel
    await new Promise((r) => setTimeout(r, 1200)); // three request timeouts
    const codes: string[] = [];
    await new Promise<void>((resolve) => {
      collectReplyCodes(s, codes, () => {
        if (codes.length === 60) resolve();
      });
      s.on('close', () => resolve());
      s.resume();
    });
    s.destroy();
    expect(codes.filter((c) => c !== 'ok')).toEqual([]);
    expect(codes).toHaveLength(60);
  }, 60_000);

  it('gives each request its own timeout, not one running since the first of a stream of them', async () => {
    // Every 250 ms the rest of one request and the start of the next: none takes 400 ms, though one is always partial.
    const s = await openSocket(d.socketPath);
    const codes: string[] = [];
    collectReplyCodes(s, codes);
    try {
      const line = '{"op":"health"}\n';
      const half = line.length >> 1;
      s.write(line.slice(0, half));
      for (let i = 0; i < 6; i++) {
        await new Promise((r) => setTimeout(r, 250));
        s.write(line.slice(half) + line.slice(0, half));
      }
      await new Promise((r) => setTimeout(r, 100));
      expect(codes).toEqual(Array(6).fill('ok'));
    } finally {
      s.destroy();
    }
  }, 30_000);

  it('caps the bytes of unfinished requests held over all connections', async () => {
    const header = Buffer.alloc(4);
    header.writeUInt32BE(1024 * 1024, 0); // 1 MiB frames, each sent up to 900 kB
    const sockets: Socket[] = [];
    const codes: string[] = [];
    try {
      for (let i = 0; i < 5; i++) {
        const s = await openSocket(d.socketPath);
        sockets.push(s);
        s.on('data', (c: Buffer) => codes.push(c.subarray(4).toString('latin1')));
        s.write(Buffer.concat([header, Buffer.alloc(900 * 1024, 0x80)]));
        await new Promise((r) => setTimeout(r, 30)); // well within the 400 ms request timeout of all five
      }
      // 3 MiB budget: the 4th and 5th connection cannot be held
      expect(codes.filter((c) => c.includes('BUSY'))).toHaveLength(2);
      const text = (await client.request('metrics', {}))['text'] as string;
      expect(metric(text, 'diskpredict_buffered_request_bytes')).toBeLessThanOrEqual(3 * 1024 * 1024);
    } finally {
      for (const s of sockets) s.destroy();
    }
  });

  it('refuses connections beyond maxConnections with BUSY, and serves again once they close', async () => {
    const held: Socket[] = [];
    try {
      for (let i = 0; i < 40; i++) held.push(await openSocket(d.socketPath));
      await new Promise((r) => setTimeout(r, 100));
      const { replies } = await rawExchange(d.socketPath, '{"op":"health"}\n', 1);
      expect(replies[0]).toMatchObject({ ok: false, error: { code: 'BUSY' } });
    } finally {
      for (const s of held) s.destroy();
    }
    await new Promise((r) => setTimeout(r, 100));
    const [health] = await ndjson(d.socketPath, [{ op: 'health' }]);
    expect(health!['ok']).toBe(true);
  });

  it('refuses samples nested deeper than any smartctl output, so history can always be encoded', async () => {
    let deep: JsonObject = { leaf: 1 };
    for (let i = 0; i < 1500; i++) deep = { d: deep };
    const samples = { [cephKey(NOW_S)]: { ...smartctlDoc({ timeS: NOW_S }), vendor: deep } };
    await expect(client.request('ingest', { devid: 'DEEP', samples })).rejects.toMatchObject({ code: 'BAD_SAMPLES' });
    await client.request('ingest', { devid: 'DEEP', samples: { [cephKey(NOW_S)]: smartctlDoc({ timeS: NOW_S }) } });
    const history = await client.request('history', { devid: 'DEEP' });
    expect(Object.keys(history['samples'] as JsonObject)).toHaveLength(1);
  });

  it('cuts a history reply at maxReplyBytes and says so', async () => {
    const dir = tempDir();
    const small = await startDaemon({ dir, args: ['--config', configFile(dir, { maxReplyBytes: 300_000 })] });
    const c = new DiskPredictClient({ socketPath: small.socketPath });
    try {
      await c.request('ingest', { devid: 'H', samples: paddedHistory(40, 20_000) });
      const reply = await c.request('history', { devid: 'H', limit: 40 });
      const keys = Object.keys(reply['samples'] as JsonObject);
      expect(keys.length).toBeGreaterThan(5);
      expect(keys.length).toBeLessThan(40);
      expect(reply['truncated']).toMatch(/maxReplyBytes/);
      // the newest are kept
      expect(keys.at(-1)).toBe(cephKey(NOW_S - 3600));
    } finally {
      c.close();
      await small.stop();
      cleanup(small);
    }
  });
});

describe('daemon start-up safety', () => {
  it('lets exactly one of two daemons started at once take a stale socket path', async () => {
    for (let round = 0; round < 5; round++) {
      const dir = tempDir();
      // a stale socket file, as a crash leaves it
      const stale = await startDaemon({ dir });
      await stale.stop('SIGKILL');
      const attempts = await Promise.allSettled([startDaemon({ dir }), startDaemon({ dir })]);
      const started = attempts.filter((a): a is PromiseFulfilledResult<DaemonProcess> => a.status === 'fulfilled').map((a) => a.value);
      try {
        expect(started).toHaveLength(1);
        const refused = attempts.find((a) => a.status === 'rejected') as PromiseRejectedResult;
        expect(String(refused.reason)).toMatch(/another instance is serving/);
        const [health] = await ndjson(started[0]!.socketPath, [{ op: 'health' }]);
        expect(health!['ok']).toBe(true);
      } finally {
        for (const s of started) await s.stop();
        cleanup(stale);
      }
    }
  }, 120_000);

  it('refuses to start with --allow-uid when the peer check cannot run (DISKPREDICT_NATIVE=0)', async () => {
    await expect(startDaemon({ args: ['--allow-uid', '4242'], env: { DISKPREDICT_NATIVE: '0' } })).rejects.toThrow(/need the native addon.*refusing to start/s);
  });

  it('refuses a frame limit at which a legal frame header could read as NDJSON', async () => {
    await expect(startDaemon({ args: ['--max-frame-bytes', String(160 * 1024 * 1024)] })).rejects.toThrow(/--max-frame-bytes must be at most/);
  });
});
