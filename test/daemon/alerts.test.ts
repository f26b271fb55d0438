/**
 * Alerts on status changes against a real daemon on a real Unix socket: an --on-change script, a loopback
 * webhook that is down for a while, a restart in the middle of a retry, reminders on the daemon's (injected)
 * clock, and the collection pass. The test predictor says Good / Warning (> 0) / Bad (> 100) from the
 * newest sample's reallocated-sector count.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DiskPredictClient } from '../../lib/client/index.js';
import { stringifyJsonExact, type JsonObject } from '../../lib/util/json.js';
import { fakeSmartctl } from '../collect/fakeSmartctl.js';
import { parseExposition, sampleValue } from '../helpers/prometheusText.js';
import { onChangeRecorder, until, webhookReceiver } from './helpers/alertReceivers.js';
import { cleanup, startDaemon, tempDir } from './helpers/daemonProcess.js';
import { cephHealthMap, smartctlDoc } from './helpers/smartctlDocs.js';

const NOW_S = Math.floor(Date.now() / 1000);

function samples(reallocated: number): JsonObject {
  return cephHealthMap(NOW_S, 3, reallocated);
}

async function alertMetrics(client: DiskPredictClient): Promise<Record<string, number | undefined>> {
  const families = parseExposition(String((await client.request('metrics'))['text']));
  return {
    sent: sampleValue(families, 'diskpredict_alerts_total', { outcome: 'sent' }),
    failed: sampleValue(families, 'diskpredict_alerts_total', { outcome: 'failed' }),
    dropped: sampleValue(families, 'diskpredict_alerts_total', { outcome: 'dropped' }),
    pending: sampleValue(families, 'diskpredict_alerts_pending'),
  };
}

const settle = () => new Promise((r) => setTimeout(r, 400));

describe('alerts on status change', () => {
  it('runs --on-change once per transition, from predict and predict_batch, with the event on stdin and in the environment', async () => {
    const dir = tempDir();
    const recorder = onChangeRecorder(dir);
    const d = await startDaemon({ dir, args: ['--on-change', recorder.command] });
    const client = new DiskPredictClient({ socketPath: d.socketPath });
    try {
      await client.request('predict', { devid: 'DEV_A', samples: samples(0) }); // Good: the baseline, no alert
      await client.request('predict', { devid: 'DEV_A', samples: samples(5) }); // Good -> Warning
      await client.request('predict', { devid: 'DEV_A', samples: samples(6) }); // still Warning: nothing
      // the mgr's daily pass is one predict_batch
      const batch = await client.request('predict_batch', {
        devices: [
          { devid: 'DEV_A', samples: samples(500) }, // Warning -> Bad
          { devid: 'DEV_B', samples: samples(0) }, // first verdict Good: nothing
          { devid: 'DEV_C', samples: samples(200) }, // first verdict Bad (Unknown -> Bad)
        ],
      });
      expect((batch['results'] as JsonObject[]).map((r) => r['status'])).toEqual(['Bad', 'Good', 'Bad']);
      // another model's verdict does not move the alert state (it follows the daemon's default model)
      await client.request('predict', { devid: 'DEV_A', model: 'rules', samples: samples(0) });
      await client.request('predict', { devid: 'DEV_A', samples: samples(0) }); // Bad -> Good: recovered

      const calls = await until('four alerts', () => (recorder.calls().length >= 4 ? recorder.calls() : undefined));
      await settle();
      expect(recorder.calls()).toHaveLength(4);
      expect(calls.map((c) => [c.env['DISKPREDICT_EVENT'], c.env['DISKPREDICT_DEVID'], c.env['DISKPREDICT_PREVIOUS_STATUS'], c.env['DISKPREDICT_STATUS']])).toEqual([
        ['degraded', 'DEV_A', 'Good', 'Warning'],
        ['degraded', 'DEV_A', 'Warning', 'Bad'],
        ['degraded', 'DEV_C', '', 'Bad'],
        ['recovered', 'DEV_A', 'Bad', 'Good'],
      ]);
      const bad = calls[1]!;
      expect(bad.event).toMatchObject({ schema: 'diskpredict-alert/1', event: 'degraded', devid: 'DEV_A', status: 'Bad', previous_status: 'Warning' });
      expect(bad.event['id']).toBe(bad.env['DISKPREDICT_EVENT_ID']);
      expect(bad.env['DISKPREDICT_P14']).toBe('0.9');
      expect(bad.env['DISKPREDICT_MODEL']).toBe('test 1');
      const prediction = bad.event['prediction'] as JsonObject;
      expect(prediction).toMatchObject({ devid: 'DEV_A', status: 'Bad', p14: 0.9, model: { name: 'test', version: '1' } });
      expect((prediction['reasons'] as JsonObject[])[0]!['text']).toBe('500 reallocated sectors');
      expect(calls.every((c) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(c.env['DISKPREDICT_TIME']!))).toBe(true);

      expect(await alertMetrics(client)).toEqual({ sent: 4, failed: 0, dropped: 0, pending: 0 });
      expect(d.stderr()).toMatch(/alert: DEV_A Warning -> Bad \(degraded\)/);
      expect(await d.stop()).toBe(0);
    } finally {
      client.close();
      await d.stop();
      cleanup(d);
    }
  });

  it('a failing --on-change command is retried, counted, and never fails the prediction', async () => {
    const dir = tempDir();
    const flag = join(dir, 'works');
    const recorder = onChangeRecorder(dir);
    // fails (exit 3, with output) until the flag file exists
    const command = `test -e ${flag} || { echo "mail server down"; exit 3; }; ${recorder.command}`;
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ onChange: command, alertRetryMs: 100 }));
    const d = await startDaemon({ dir, args: ['--config', join(dir, 'config.json')] });
    const client = new DiskPredictClient({ socketPath: d.socketPath });
    try {
      const reply = await client.request('predict', { devid: 'DEV_F', samples: samples(500) });
      expect(reply['status']).toBe('Bad');
      await until('two failed attempts', async () => ((await alertMetrics(client)).failed! >= 2 ? true : undefined));
      expect(d.stderr()).toMatch(/alerts \(command\): delivery for DEV_F failed \(attempt 1\), retrying in 100 ms: command exited with 3: mail server down/);
      expect((await alertMetrics(client)).pending).toBe(1);
      writeFileSync(flag, '');
      await until('the delivery', () => (recorder.calls().length ? true : undefined));
      const m = await until('sent counted', async () => {
        const now = await alertMetrics(client);
        return now.sent === 1 ? now : undefined;
      });
      expect(m.pending).toBe(0);
      expect(m.failed).toBeGreaterThanOrEqual(2);
    } finally {
      client.close();
      await d.stop();
      cleanup(d);
    }
  });

  it('POSTs to a webhook that refuses, cuts and answers 500 for a while, backing off until it is up', async () => {
    const dir = tempDir();
    // a port that nothing listens on yet: the receiver comes up on it later
    const probe = await webhookReceiver('ok');
    const port = probe.port;
    await probe.close();
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ webhook: `http://127.0.0.1:${port}/hook`, alertRetryMs: 100 }));
    const d = await startDaemon({ dir, args: ['--config', join(dir, 'config.json')] });
    const client = new DiskPredictClient({ socketPath: d.socketPath });
    let receiver: Awaited<ReturnType<typeof webhookReceiver>> | undefined;
    try {
      await client.request('predict', { devid: 'DEV_W', samples: samples(0) });
      await client.request('predict', { devid: 'DEV_W', samples: samples(500) });
      await until('a refused attempt', () => (/delivery for DEV_W failed \(attempt 1\).*ECONNREFUSED/.test(d.stderr()) ? true : undefined));
      receiver = await webhookReceiver('reset', port);
      await until('a cut attempt', () => (receiver!.posts.length >= 1 ? true : undefined));
      receiver.setMode('error500');
      await until('a 500', () => (receiver!.posts.some((p) => p.answered === 'error500') ? true : undefined));
      receiver.setMode('ok');
      await until('the delivery', () => (receiver!.posts.some((p) => p.answered === 'ok') ? true : undefined));
      await settle();
      const ok = receiver.posts.filter((p) => p.answered === 'ok');
      expect(ok).toHaveLength(1);
      expect(ok[0]!.contentType).toBe('application/json');
      expect(ok[0]!.body).toMatchObject({ event: 'degraded', devid: 'DEV_W', status: 'Bad', previous_status: 'Good' });
      // every attempt carried the same event
      expect(new Set(receiver.posts.map((p) => p.body['id'])).size).toBe(1);
      // backoff: each wait twice the one before (100, 200, 400 ms …), so a few attempts, not hundreds
      expect(receiver.posts.length).toBeLessThan(10);
      expect(d.stderr()).toMatch(/retrying in \d+ ms: http:\/\/127\.0\.0\.1:\d+\/hook: HTTP 500/);
      const m = await alertMetrics(client);
      expect(m).toMatchObject({ sent: 1, dropped: 0, pending: 0 });
      // every attempt but the last failed, and so did the refused one(s) before the receiver was up
      expect(m.failed).toBeGreaterThanOrEqual(receiver.posts.length);
    } finally {
      client.close();
      await receiver?.close();
      await d.stop();
      cleanup(d);
    }
  });
});

describe('alerts across restarts, reminders and collection', () => {
  it.each(['SIGTERM', 'SIGKILL'] as const)('a restart (%s) in the middle of a webhook retry delivers the alert once, and does not raise it again', async (signal) => {
    const dir = tempDir();
    const receiver = await webhookReceiver('error500');
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ webhook: receiver.url, alertRetryMs: 200 }));
    const args = ['--config', join(dir, 'config.json')];
    let d = await startDaemon({ dir, args });
    let client = new DiskPredictClient({ socketPath: d.socketPath });
    try {
      await client.request('predict', { devid: 'DEV_R', samples: samples(500) });
      await until('two refused attempts', () => (receiver.posts.length >= 2 ? true : undefined));
      client.close();
      const code = await d.stop(signal);
      expect(code).toBe(signal === 'SIGTERM' ? 0 : null);
      // the event waits in the store's outbox, with its attempts
      const db = new Database(d.dbPath, { readonly: true });
      const rows = db.prepare('SELECT channel, devid, attempts FROM alert_outbox').all() as { channel: string; devid: string; attempts: number }[];
      const state = db.prepare('SELECT status FROM alert_state WHERE devid = ?').get('DEV_R') as { status: string };
      db.close();
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ channel: 'webhook', devid: 'DEV_R' });
      expect(rows[0]!.attempts).toBeGreaterThanOrEqual(1);
      expect(state.status).toBe('Bad');

      const eventId = receiver.posts[0]!.body['id'];
      receiver.setMode('ok');
      d = await startDaemon({ dir, args });
      client = new DiskPredictClient({ socketPath: d.socketPath });
      await until('the delivery after the restart', () => (receiver.posts.some((p) => p.answered === 'ok') ? true : undefined));
      // the same verdict again after the restart is no new transition
      await client.request('predict', { devid: 'DEV_R', samples: samples(600) });
      await settle();
      const ok = receiver.posts.filter((p) => p.answered === 'ok');
      expect(ok).toHaveLength(1);
      expect(ok[0]!.body['id']).toBe(eventId);
      expect(await alertMetrics(client)).toMatchObject({ sent: 1, pending: 0, dropped: 0 });
      expect(await d.stop()).toBe(0);
    } finally {
      client.close();
      await d.stop();
      await receiver.close();
      cleanup(d);
    }
  });

  it('reminds while a device stays Bad, at most every --remind-after hours of the daemon clock', async () => {
    const dir = tempDir();
    const recorder = onChangeRecorder(dir);
    const clock = join(dir, 'clock-offset-ms');
    // Atomically (a rename): the daemon reads the file at any moment, and a plain write truncates it first, so a read
    // in between saw an empty file, a clock back at 0, and an outbox entry due hours later (the test timed out).
    const setClockHours = (h: number) => {
      writeFileSync(`${clock}.tmp`, String(Math.round(h * 3_600_000)));
      renameSync(`${clock}.tmp`, clock);
    };
    setClockHours(0);
    const d = await startDaemon({ dir, args: ['--on-change', recorder.command, '--remind-after', '2'], env: { DISKPREDICT_TEST_CLOCK_FILE: clock } });
    const client = new DiskPredictClient({ socketPath: d.socketPath });
    const bad = () => client.request('predict', { devid: 'DEV_M', samples: samples(500) });
    try {
      await bad(); // degraded
      await bad(); // nothing: just alerted
      setClockHours(1.9);
      await bad(); // nothing: under 2 h
      setClockHours(2.01);
      await bad(); // reminder
      setClockHours(3);
      await bad(); // nothing: 1 h since the reminder
      setClockHours(4.1);
      await bad(); // reminder
      await until('three alerts', () => (recorder.calls().length >= 3 ? true : undefined));
      await settle();
      const calls = recorder.calls();
      expect(calls.map((c) => c.env['DISKPREDICT_EVENT'])).toEqual(['degraded', 'reminder', 'reminder']);
      // a reminder says since when the device has been Bad
      expect(calls.map((c) => c.env['DISKPREDICT_SINCE'])).toEqual([calls[0]!.env['DISKPREDICT_SINCE'], calls[0]!.env['DISKPREDICT_SINCE'], calls[0]!.env['DISKPREDICT_SINCE']]);
      expect(calls[2]!.event).toMatchObject({ event: 'reminder', status: 'Bad', previous_status: 'Bad' });
    } finally {
      client.close();
      await d.stop();
      cleanup(d);
    }
  });

  it('the daemon collection pass raises the alert for a disk it reads as Bad', async () => {
    const dir = tempDir();
    const recorder = onChangeRecorder(dir);
    const failing = join(dir, 'failing-disk.json');
    writeFileSync(failing, stringifyJsonExact(smartctlDoc({ timeS: NOW_S, reallocated: 900, serial: 'COLL0001' })));
    const fake = fakeSmartctl({ scan: [{ name: '/dev/sda', type: 'sat' }], devices: { '/dev/sda': { replay: failing } } });
    const d = await startDaemon({ dir, args: ['--on-change', recorder.command, '--collect-interval', '3600'], env: fake.env });
    try {
      const [call] = await until('the alert from the collection pass', () => (recorder.calls().length ? recorder.calls() : undefined));
      expect(call!.env).toMatchObject({ DISKPREDICT_EVENT: 'degraded', DISKPREDICT_DEVID: 'ST4000DM000-1F2168_COLL0001', DISKPREDICT_STATUS: 'Bad' });
    } finally {
      await d.stop();
      cleanup(d);
    }
  });
});
