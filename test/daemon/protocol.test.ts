/** The daemon over its socket: both framings, every op, bad input. Real processes on temporary sockets. */
import { beforeAll, describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import { statSync } from 'node:fs';
import { DiskPredictClient, DiskPredictError } from '../../lib/client/index.js';
import type { JsonObject } from '../../lib/util/json.js';
import { encodeFrame, unpackr } from '../../lib/client/wire/msgpack.js';
import { daemonForSuite, ndjson, rawExchange, type DaemonProcess } from './helpers/daemonProcess.js';
import { cephHealthMap, cephKey, smartctlDoc } from './helpers/smartctlDocs.js';

const NOW_S = Math.floor(Date.now() / 1000);

describe('daemon protocol', () => {
  const suite = daemonForSuite({ args: ['--max-frame-bytes', '1048576', '--request-timeout-ms', '1500'] });
  let d: DaemonProcess;
  let client: DiskPredictClient;
  beforeAll(() => {
    d = suite.daemon();
    client = suite.client();
  });

  it('creates the socket with mode 0660', () => {
    expect(statSync(d.socketPath).mode & 0o777).toBe(0o660);
  });

  it('answers health over NDJSON with the documented fields, echoing id', async () => {
    const [reply] = await ndjson(d.socketPath, [{ id: 'h1', op: 'health' }]);
    expect(reply).toMatchObject({ id: 'h1', ok: true, model: { name: 'test', version: '1' }, db: { ok: true }, peer_check: false });
    expect(typeof reply!['uptime_s']).toBe('number');
    expect(typeof (reply!['native'] as JsonObject)['enabled']).toBe('boolean');
  });

  it('predicts from a Ceph devicehealth map over NDJSON', async () => {
    const [reply] = await ndjson(d.socketPath, [{ id: 2, op: 'predict', devid: 'DEV-A', samples: cephHealthMap(NOW_S, 12, 8) }]);
    expect(reply).toMatchObject({ id: 2, ok: true, devid: 'DEV-A', status: 'Warning', cli: '>=2w and <=6w', p14: 0.2, samples_used: 12 });
    const le = reply!['life_expectancy'] as JsonObject;
    expect(le['from_s']).toBe(14 * 86_400);
    expect(le['to_s']).toBe(42 * 86_400);
    expect(reply!['life_expectancy_min']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(reply!['reasons']).toEqual([{ feature: 'smart_5_raw', text: '8 reallocated sectors', contribution: 1, value: 8 }]);
  });

  it('predicts from an array of smartctl documents over msgpack frames', async () => {
    const samples = [smartctlDoc({ timeS: NOW_S - 86_400 }), smartctlDoc({ timeS: NOW_S, reallocated: 500 })];
    const reply = await client.request('predict', { samples });
    expect(reply).toMatchObject({ status: 'Bad', cli: '<2w', samples_used: 2, life_expectancy: { from_s: 0 }, life_expectancy_max: expect.any(String) });
    expect(reply['devid']).toBeUndefined();
  });

  it('gives Unknown with a reason when no sample carries SMART data', async () => {
    const reply = await client.request('predict', { samples: { [cephKey(NOW_S)]: { error: 'smartctl failed' } } });
    expect(reply).toMatchObject({ status: 'Unknown', cli: 'unknown', life_expectancy: null, life_expectancy_min: null, samples_skipped: 1 });
    expect(reply['reason']).toEqual(expect.any(String));
  });

  it('ingests idempotently, keeps 64-bit counters exact and predicts from stored history like from the samples', async () => {
    const samples = cephHealthMap(NOW_S, 5, 3);
    const first = await client.request('ingest', { devid: 'DEV-B', samples });
    expect(first).toMatchObject({ devid: 'DEV-B', received: 5, stored: 5, duplicates: 0, expired: 0 });
    const again = await client.request('ingest', { devid: 'DEV-B', samples, predict: true });
    expect(again).toMatchObject({ stored: 0, duplicates: 5, prediction: { status: 'Warning', samples_used: 5 } });
    const history = await client.request('history', { devid: 'DEV-B' });
    expect(Object.keys(history['samples'] as JsonObject)).toEqual(Object.keys(samples));
    const stored = (history['samples'] as JsonObject)[cephKey(NOW_S)] as JsonObject;
    const table = (stored['ata_smart_attributes'] as JsonObject)['table'] as JsonObject[];
    expect((table[2]!['raw'] as JsonObject)['value']).toBe(18446744073709551000n);
    const fromStore = await client.request('predict', { devid: 'DEV-B' });
    const fromSamples = await client.request('predict', { devid: 'DEV-B', samples });
    expect(fromStore).toEqual(fromSamples);
    // NDJSON sees the same exact integer
    const [line] = await ndjson(d.socketPath, [{ op: 'history', devid: 'DEV-B', limit: 1 }]);
    const entry = Object.values(line!['samples'] as JsonObject)[0] as JsonObject;
    expect(((entry['ata_smart_attributes'] as JsonObject)['table'] as JsonObject[])[2]!['raw']).toEqual({ value: 18446744073709551000n, string: '18446744073709551000' });
  });

  it('says which backfilled samples are past the retention period instead of storing them to be deleted', async () => {
    // six daily samples ending 200 days ago (retention 180 days) plus two recent ones
    const samples = { ...cephHealthMap(NOW_S - 200 * 86_400, 6), ...cephHealthMap(NOW_S, 2) };
    const reply = await client.request('ingest', { devid: 'BACKFILL', samples });
    expect(reply).toMatchObject({ devid: 'BACKFILL', received: 8, stored: 2, duplicates: 0, expired: 6, skipped: 0, retention_days: 180 });
    const history = await client.request('history', { devid: 'BACKFILL' });
    expect(Object.keys(history['samples'] as JsonObject)).toEqual(Object.keys(cephHealthMap(NOW_S, 2)));
  });

  it('sends integers beyond 64 bits that a client stored as decimal strings over msgpack', async () => {
    const doc = { ...smartctlDoc({ timeS: NOW_S }), vendor_counter: 340282366920938463463374607431768211456n };
    const [ingest] = await ndjson(d.socketPath, [{ op: 'ingest', devid: 'HUGE', samples: { [cephKey(NOW_S)]: doc } }]);
    expect(ingest).toMatchObject({ ok: true, stored: 1 });
    const history = await client.request('history', { devid: 'HUGE' });
    expect(((history['samples'] as JsonObject)[cephKey(NOW_S)] as JsonObject)['vendor_counter']).toBe('340282366920938463463374607431768211456');
  });

  it('gives Unknown saying why for a device with no stored samples', async () => {
    const reply = await client.request('predict', { devid: 'NEVER-INGESTED' });
    expect(reply).toMatchObject({ devid: 'NEVER-INGESTED', status: 'Unknown', samples_used: 0, reason: expect.stringMatching(/no samples stored/) });
  });

  it('answers predict_batch in order, one bad device not failing the batch', async () => {
    const reply = await client.request('predict_batch', {
      devices: [
        { devid: 'X1', samples: cephHealthMap(NOW_S, 3, 0) },
        { devid: 'X2', samples: 'nonsense' },
        { devid: 'X3', samples: cephHealthMap(NOW_S, 3, 200) },
      ],
    });
    const results = reply['results'] as JsonObject[];
    expect(results.map((r) => [r['devid'], r['ok'], r['status'] ?? (r['error'] as JsonObject)['code']])).toEqual([
      ['X1', true, 'Good'],
      ['X2', false, 'BAD_SAMPLES'],
      ['X3', true, 'Bad'],
    ]);
  });

  it('lists devices with their last prediction', async () => {
    const reply = await client.request('devices');
    const devB = (reply['devices'] as JsonObject[]).find((x) => x['devid'] === 'DEV-B');
    expect(devB).toMatchObject({ samples: 5, last_prediction: { status: 'Warning', model: 'test', version: '1' } });
  });

  it('reports info and Prometheus metrics', async () => {
    const info = await client.request('info');
    expect(info).toMatchObject({ default_model: 'default', models: [{ spec: 'default', name: 'test', version: '1' }] });
    const metrics = await client.request('metrics');
    expect(metrics['content_type']).toBe('text/plain; version=0.0.4');
    const text = metrics['text'] as string;
    expect(text).toMatch(/^diskpredict_requests_total\{op="predict",outcome="ok"\} \d+$/m);
    expect(text).toMatch(/^diskpredict_request_duration_seconds_bucket\{op="predict",le="\+Inf"\} \d+$/m);
    expect(text).toMatch(/^diskpredict_predictions_total\{status="Warning"\} \d+$/m);
    expect(text).toMatch(/^diskpredict_devices_tracked \d+$/m);
    expect(text).toMatch(/^diskpredict_model_info\{name="test",version="1"\} 1$/m);
    expect(text).toMatch(/^diskpredict_db_size_bytes \d+$/m);
  });

  it('returns documented error codes for bad requests and keeps the connection', async () => {
    const replies = await ndjson(d.socketPath, [
      { id: 1, op: 'fly' },
      { id: 2, op: 'predict' },
      { id: 3, op: 'history', devid: 42 },
      { id: 4, op: 'history', devid: 'never-seen' },
      { id: 5, op: 'predict', samples: 7 },
      { id: 6, op: 'predict', samples: { 'not-a-date': {} } },
      { id: 7, op: 'predict', model: 'no-such-model', samples: [] },
      { id: 8, op: 'history', devid: 'DEV-B', limit: -1 },
      { id: 9, noop: true },
      { id: 10, op: 'health' },
    ]);
    expect(replies.map((r) => [r['id'], r['ok'] ? 'ok' : (r['error'] as JsonObject)['code']])).toEqual([
      [1, 'UNKNOWN_OP'],
      [2, 'BAD_ARGUMENT'],
      [3, 'BAD_ARGUMENT'],
      [4, 'UNKNOWN_DEVICE'],
      [5, 'BAD_SAMPLES'],
      [6, 'BAD_SAMPLES'],
      [7, 'BAD_MODEL'],
      [8, 'BAD_ARGUMENT'],
      [9, 'BAD_REQUEST'],
      [10, 'ok'],
    ]);
    await expect(client.request('fly')).rejects.toBeInstanceOf(DiskPredictError);
  });

  it('answers a malformed NDJSON line with BAD_REQUEST and goes on with the next line', async () => {
    const { replies, closed } = await rawExchange(d.socketPath, '{"op": "health"\n[1,2]\n\n{"id":3,"op":"health"}\n', 3);
    expect(replies.map((r) => (r['ok'] ? 'ok' : (r['error'] as JsonObject)['code']))).toEqual(['BAD_REQUEST', 'BAD_REQUEST', 'ok']);
    expect(closed).toBe(false);
  });

  it('answers a malformed msgpack frame with BAD_REQUEST and keeps the framing', async () => {
    const bad = Buffer.from([0, 0, 0, 2, 0xc1, 0xc1]); // 0xc1 is never used in msgpack
    const replies = await frameExchange(d.socketPath, Buffer.concat([bad, encodeFrame({ id: 9, op: 'health' })]), 2);
    expect(replies[0]).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(replies[1]).toMatchObject({ id: 9, ok: true });
  });

  it('refuses an oversize frame from its header alone and closes the connection', async () => {
    const header = Buffer.alloc(4);
    header.writeUInt32BE(0x0fffffff, 0); // 256 MiB announced, nothing sent
    const replies = await frameExchange(d.socketPath, header, 1);
    expect(replies[0]).toMatchObject({ ok: false, error: { code: 'FRAME_TOO_LARGE' } });
  });

  it('refuses an NDJSON line longer than the limit and closes the connection', async () => {
    const { replies, closed } = await rawExchange(d.socketPath, '{"op":"health","pad":"' + 'x'.repeat(1_100_000), 1);
    expect(replies[0]).toMatchObject({ ok: false, error: { code: 'FRAME_TOO_LARGE' } });
    expect(closed || replies.length === 1).toBe(true);
  });

  it('times out a client that stops in the middle of a request', async () => {
    const { replies, closed } = await rawExchange(d.socketPath, '{"op":"hea', 1);
    expect(replies[0]).toMatchObject({ ok: false, error: { code: 'TIMEOUT' } });
    expect(closed || replies.length === 1).toBe(true);
  });

  it('still times out a client that trickles a request byte by byte, within twice the request timeout', async () => {
    // The timeout looks once more for bytes already sent before it fires (a busy daemon reads late); a client that
    // keeps sending a byte every 50 ms must not turn that second look into an endless request.
    const s = connect(d.socketPath);
    await new Promise<void>((r) => s.once('connect', () => r()));
    const started = Date.now();
    const body = '{"op":"health","pad":"' + 'x'.repeat(10_000);
    let i = 0;
    const trickle = setInterval(() => s.write(body[i++ % body.length]!), 50);
    const reply = await new Promise<string>((resolve) => {
      let buf = '';
      s.on('data', (c: Buffer) => {
        buf += c.toString('utf8');
        if (buf.includes('\n')) resolve(buf);
      });
      s.on('close', () => resolve(buf));
    });
    clearInterval(trickle);
    s.destroy();
    expect(JSON.parse(reply.split('\n')[0]!)).toMatchObject({ ok: false, error: { code: 'TIMEOUT' } });
    expect(Date.now() - started).toBeLessThan(2 * 1500 + 1000);
  }, 15_000);

  it('survives random bytes, deep nesting and hostile values on both framings', async () => {
    let seed = 12345;
    const random = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const garbage: Buffer[] = [
      Buffer.from('{' + '['.repeat(200_000) + '\n'),
      Buffer.from('{"op":"predict","samples":' + '['.repeat(100_000) + ']'.repeat(100_000) + '}\n'),
      encodeFrame({ op: 'ingest', devid: 'H', samples: { '20240101-000000': { model_name: 'x', local_time: { time_t: 'soon' } } } }),
      encodeFrame({ op: 'predict', samples: [new Date(), new Uint8Array(4)] }),
      Buffer.concat([Buffer.from([0, 0, 0, 5]), Buffer.from([0xd4, 0x01, 0x02, 0x03, 0x04])]),
      Buffer.from('{"op":"predict","devid":"' + '\\u0000'.repeat(10) + '","samples":{"20240230-000000":{}}}\n'),
    ];
    for (let i = 0; i < 40; i++) {
      const b = Buffer.alloc(1 + Math.floor(random() * 300));
      for (let k = 0; k < b.length; k++) b[k] = Math.floor(random() * 256);
      if (i % 2 === 0) b[0] = 0x7b; // half of them as NDJSON
      else b.writeUInt32BE(Math.min(b.length - 4 < 0 ? 0 : b.length - 4, 0xffff), 0);
      garbage.push(b);
    }
    for (const g of garbage) {
      const { replies } = await rawOrFrames(d.socketPath, g);
      for (const r of replies) expect(r['ok'] === true || typeof (r['error'] as JsonObject | undefined)?.['code'] === 'string').toBe(true);
    }
    const [health] = await ndjson(d.socketPath, [{ op: 'health' }]);
    expect(health!['ok']).toBe(true);
  });

  it('keeps pipelined replies in request order across framings of 64 concurrent clients', async () => {
    const clients = Array.from({ length: 64 }, () => new DiskPredictClient({ socketPath: d.socketPath }));
    const samples = cephHealthMap(NOW_S, 12, 0);
    try {
      const results = await Promise.all(
        clients.map(async (c, i) => {
          if (i % 2 === 0) {
            const replies = await Promise.all(Array.from({ length: 10 }, () => c.request('predict', { samples })));
            return replies.every((r) => r['status'] === 'Good');
          }
          const replies = await ndjson(d.socketPath, Array.from({ length: 10 }, (_, k) => ({ id: k, op: 'predict', samples })));
          return replies.every((r, k) => r['id'] === k && r['status'] === 'Good');
        }),
      );
      expect(results.every(Boolean)).toBe(true);
    } finally {
      for (const c of clients) c.close();
    }
    const [health] = await ndjson(d.socketPath, [{ op: 'health' }]);
    expect(health!['ok']).toBe(true);
  });
});

/** Sends bytes, waits briefly for whatever comes back (NDJSON or frames), then closes. */
function rawOrFrames(socketPath: string, data: Buffer): Promise<{ replies: JsonObject[] }> {
  return new Promise((resolve) => {
    const socket = connect(socketPath);
    let buf = Buffer.alloc(0);
    let settled = false;
    const done = () => {
      if (settled) return;
      settled = true;
      socket.destroy();
      const replies: JsonObject[] = [];
      if (buf[0] === 0x7b) for (const line of buf.toString().split('\n').filter(Boolean)) replies.push(JSON.parse(line) as JsonObject);
      else
        while (buf.length >= 4 && buf.length >= 4 + buf.readUInt32BE(0)) {
          replies.push(unpackr.unpack(buf.subarray(4, 4 + buf.readUInt32BE(0))) as JsonObject);
          buf = buf.subarray(4 + buf.readUInt32BE(0));
        }
      resolve({ replies });
    };
    socket.on('connect', () => socket.write(data));
    socket.on('data', (c: Buffer) => (buf = Buffer.concat([buf, c])));
    const timer = setTimeout(done, 150);
    const finish = () => {
      clearTimeout(timer);
      done();
    };
    socket.on('close', finish);
    socket.on('error', finish); // the daemon may close on us mid-write (framing lost): that is an answer too
  });
}

function frameExchange(socketPath: string, data: Buffer, expected: number): Promise<JsonObject[]> {
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath);
    const replies: JsonObject[] = [];
    let buf = Buffer.alloc(0);
    socket.on('connect', () => socket.write(data));
    socket.on('data', (c: Buffer) => {
      buf = Buffer.concat([buf, c]);
      while (buf.length >= 4 && buf.length >= 4 + buf.readUInt32BE(0)) {
        const n = buf.readUInt32BE(0);
        replies.push(unpackr.unpack(buf.subarray(4, 4 + n)) as JsonObject);
        buf = buf.subarray(4 + n);
      }
      if (replies.length >= expected) {
        socket.destroy();
        resolve(replies);
      }
    });
    socket.on('close', () => resolve(replies));
    socket.on('error', reject);
  });
}
