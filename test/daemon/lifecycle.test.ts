/** Daemon lifecycle against real processes: start/stop, socket ownership, reload, access, durability under kill -9. */
import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DiskPredictClient } from '../../lib/client/index.js';
import { nativeEnabled } from '../../lib/native/index.js';
import type { JsonObject } from '../../lib/util/json.js';
import { cleanup, ndjson, ndjsonOnceListening, projectRoot, startDaemon, tempDir } from './helpers/daemonProcess.js';
import { cephKey, cephHealthMap, smartctlDoc } from './helpers/smartctlDocs.js';

const NOW_S = Math.floor(Date.now() / 1000);

describe('daemon lifecycle', () => {
  it('stops on SIGTERM with exit 0, closing idle clients and removing its socket', async () => {
    const d = await startDaemon();
    const client = new DiskPredictClient({ socketPath: d.socketPath });
    try {
      await client.request('health');
      expect(await d.stop('SIGTERM')).toBe(0);
      expect(existsSync(d.socketPath)).toBe(false);
      expect(d.stderr()).toMatch(/^<5>stopped$/m);
    } finally {
      client.close();
      cleanup(d);
    }
  });

  it('stops with exit 0 on a SIGTERM that arrives while it is starting', async () => {
    // The database file appears inside Daemon.start, before the socket listens: a supervisor's SIGTERM from then on
    // (or just after "listening on", which is logged before start returns) must not meet the default action.
    const dir = tempDir();
    const dbPath = join(dir, 'd.db');
    const proc = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'test/daemon/helpers/testDaemonMain.ts'), '--socket', join(dir, 'd.sock'), '--db', dbPath], {
      cwd: projectRoot,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    proc.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    const exited = new Promise<[number | null, NodeJS.Signals | null]>((res) => proc.once('exit', (code, signal) => res([code, signal])));
    try {
      const deadline = Date.now() + 30_000;
      while (!existsSync(dbPath) && proc.exitCode === null && Date.now() < deadline) await new Promise((r) => setImmediate(r));
      expect(existsSync(dbPath)).toBe(true);
      proc.kill('SIGTERM');
      expect(await exited).toEqual([0, null]);
      expect(err).toMatch(/SIGTERM received/);
      expect(err).toMatch(/^<5>stopped$/m);
    } finally {
      proc.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);

  it('on SIGTERM finishes a request that is still arriving, then closes and exits 0', async () => {
    const d = await startDaemon({ args: ['--shutdown-deadline-ms', '5000'] });
    try {
      const socket = connect(d.socketPath);
      let received = '';
      socket.on('data', (c: Buffer) => (received += c.toString()));
      const closed = new Promise((r) => socket.once('close', r));
      await new Promise((r) => socket.once('connect', r));
      socket.write('{"id":1,"op":"health"}\n{"id":2,"op":"hea');
      while (!received.includes('\n')) await new Promise((r) => setTimeout(r, 10));
      d.proc.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 300));
      socket.write('lth"}\n');
      await closed;
      const replies = received.trim().split('\n').map((l) => JSON.parse(l) as JsonObject);
      expect(replies.map((r) => [r['id'], r['ok']])).toEqual([
        [1, true],
        [2, true],
      ]);
      expect(await d.exited).toBe(0);
    } finally {
      await d.stop();
      cleanup(d);
    }
  });

  it('closes idle connections after the idle timeout', async () => {
    const d = await startDaemon({ args: ['--idle-timeout-ms', '300'] });
    try {
      const socket = connect(d.socketPath);
      const started = Date.now();
      await new Promise((r) => socket.once('close', r));
      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    } finally {
      await d.stop();
      cleanup(d);
    }
  });

  it('refuses to start on a socket a live instance is serving', async () => {
    const d = await startDaemon();
    try {
      await expect(startDaemon({ dir: d.dir })).rejects.toThrow(/another instance is serving/);
      const [health] = await ndjson(d.socketPath, [{ op: 'health' }]);
      expect(health!['ok']).toBe(true);
    } finally {
      await d.stop();
      cleanup(d);
    }
  });

  it('keeps every acknowledged ingest through kill -9, then restarts on the stale socket with an intact database', async () => {
    const dir = tempDir();
    const d = await startDaemon({ dir });
    const client = new DiskPredictClient({ socketPath: d.socketPath, timeoutMs: 5000 });
    const acked: string[] = [];
    let t = NOW_S - 100_000;
    const stream = (async () => {
      for (;;) {
        const timeS = t++;
        try {
          const reply = await client.request('ingest', { devid: 'KILLME', samples: { [cephKey(timeS)]: smartctlDoc({ timeS }) } });
          if (reply['stored'] === 1) acked.push(cephKey(timeS));
        } catch {
          return; // the daemon died under us
        }
      }
    })();
    while (acked.length < 150) await new Promise((r) => setTimeout(r, 10));
    d.proc.kill('SIGKILL');
    await stream;
    await d.exited;
    expect(existsSync(d.socketPath)).toBe(true); // left behind by the kill

    const again = await startDaemon({ dir });
    try {
      // the same client object reconnects on its next request
      expect(await client.request('health')).toMatchObject({ db: { ok: true } });
      client.close();
      const [history] = await ndjson(again.socketPath, [{ op: 'history', devid: 'KILLME', limit: 100_000 }]);
      const stored = new Set(Object.keys(history!['samples'] as JsonObject));
      expect(acked.filter((k) => !stored.has(k))).toEqual([]);
    } finally {
      expect(await again.stop()).toBe(0);
    }
    const db = new Database(again.dbPath, { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
      cleanup(again);
    }
  });

  it('reloads on SIGHUP under load without failing a request', async () => {
    const dir = tempDir();
    const versionFile = join(dir, 'model-version');
    writeFileSync(versionFile, '1');
    const d = await startDaemon({ dir, env: { DISKPREDICT_TEST_MODEL_VERSION_FILE: versionFile } });
    const samples = cephHealthMap(NOW_S, 12);
    const seen = new Set<string>();
    let failures = 0;
    let running = true;
    const clients = Array.from({ length: 8 }, () => new DiskPredictClient({ socketPath: d.socketPath }));
    const load = clients.map(async (c) => {
      while (running) {
        try {
          const reply = await c.request('predict', { samples });
          seen.add((reply['model'] as JsonObject)['version'] as string);
        } catch {
          failures++;
        }
      }
    });
    try {
      await new Promise((r) => setTimeout(r, 400));
      writeFileSync(versionFile, '2');
      d.proc.kill('SIGHUP');
      await new Promise((r) => setTimeout(r, 600));
      running = false;
      await Promise.all(load);
      expect(failures).toBe(0);
      expect([...seen].sort()).toEqual(['1', '2']);
      const [health] = await ndjson(d.socketPath, [{ op: 'health' }]);
      expect(health!['model']).toEqual({ name: 'test', version: '2' });
    } finally {
      for (const c of clients) c.close();
      await d.stop();
      cleanup(d);
    }
  });

  it('re-reads its config file on the reload op and keeps the old models when the new config is broken', async () => {
    const dir = tempDir();
    const configFile = join(dir, 'config.json');
    writeFileSync(configFile, JSON.stringify({ model: 'default', retentionDays: 30 }));
    const d = await startDaemon({ dir, args: ['--config', configFile] });
    try {
      writeFileSync(configFile, JSON.stringify({ model: 'rules' }));
      const [ok] = await ndjson(d.socketPath, [{ op: 'reload' }]);
      expect(ok).toMatchObject({ ok: true, model: { name: 'test-rules' } });
      writeFileSync(configFile, '{"model": ');
      const [bad, health] = await ndjson(d.socketPath, [{ op: 'reload' }, { op: 'health' }]);
      expect(bad).toMatchObject({ ok: false, error: { code: 'BAD_MODEL' } });
      expect(health).toMatchObject({ ok: true, model: { name: 'test-rules' } });
    } finally {
      await d.stop();
      cleanup(d);
    }
  });

  it('writes the metrics file for the textfile collector', async () => {
    const dir = tempDir();
    const metricsFile = join(dir, 'diskpredict.prom');
    const d = await startDaemon({ dir, args: ['--metrics-file', metricsFile] });
    try {
      await ndjson(d.socketPath, [{ op: 'health' }]);
    } finally {
      await d.stop();
    }
    // written at start and again at shutdown, with the requests made in between
    expect(readFileSync(metricsFile, 'utf8')).toMatch(/^diskpredict_requests_total\{op="health",outcome="ok"\} 1$/m);
    cleanup(d);
  });

  const peerIt = nativeEnabled && process.getuid?.() === 0 ? it : it.skip;
  peerIt('refuses a peer whose uid/gid is not allowed (SO_PEERCRED; needs the addon and root to switch uid)', async () => {
    const d = await startDaemon({ args: ['--allow-uid', '4242'] });
    try {
      chmodSync(d.dir, 0o755);
      chmodSync(d.socketPath, 0o666); // let the socket file admit anyone: the peer check must refuse
      const script = `const s=require('net').connect(${JSON.stringify(d.socketPath)});s.on('connect',()=>s.write('{"op":"health"}\\n'));let b='';s.on('data',c=>b+=c);s.on('close',()=>{process.stdout.write(b)})`;
      const child = spawn(process.execPath, ['-e', script], { uid: 65534, gid: 65534, cwd: '/' });
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      await new Promise((r) => child.once('exit', r));
      expect(JSON.parse(out.trim())).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      const [health] = await ndjson(d.socketPath, [{ op: 'health' }]);
      expect(health).toMatchObject({ ok: true, peer_check: true });
    } finally {
      await d.stop();
      cleanup(d);
    }
  });

  const hasSocketActivate = spawnSync('systemd-socket-activate', ['--help']).error === undefined;
  const activationIt = hasSocketActivate ? it : it.skip;
  activationIt('serves a socket passed by systemd (LISTEN_FDS/LISTEN_PID) and leaves that socket alone on SIGTERM', async () => {
    const dir = tempDir();
    const socketPath = join(dir, 'activated.sock');
    // systemd-socket-activate listens, then execs the daemon with the listening fd as fd 3 on the first connection.
    const proc = spawn(
      'systemd-socket-activate',
      ['-l', socketPath, process.execPath, '--import', 'tsx', join(projectRoot, 'test/daemon/helpers/testDaemonMain.ts'), '--db', join(dir, 'd.db'), '--socket', join(dir, 'unused.sock')],
      { cwd: projectRoot, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    proc.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
    try {
      const [health] = await ndjsonOnceListening(socketPath, [{ op: 'health' }]);
      expect(health).toMatchObject({ ok: true });
      expect(stderr).toMatch(/listening on fd 3 \(socket activation\)/);
      expect(existsSync(join(dir, 'unused.sock'))).toBe(false);
      proc.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(existsSync(socketPath)).toBe(true); // systemd's socket, not ours to remove
    } finally {
      proc.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is started by the real CLI with a library predictor', async () => {
    const d = await startDaemon({ entry: [join(projectRoot, 'lib/cli/main.ts'), 'daemon'], args: ['--model', 'rules'] });
    try {
      const [health, prediction] = await ndjson(d.socketPath, [{ op: 'health' }, { op: 'predict', devid: 'R', samples: cephHealthMap(NOW_S, 12, 50) }]);
      expect(health).toMatchObject({ ok: true });
      expect(prediction).toMatchObject({ ok: true, devid: 'R', samples_used: 12 });
      expect(['Good', 'Warning', 'Bad', 'Unknown']).toContain(prediction!['status']);
    } finally {
      expect(await d.stop()).toBe(0);
      cleanup(d);
    }
  });
});
