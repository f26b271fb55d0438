/** Starts real daemon processes on temporary sockets and talks to them over NDJSON. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect } from 'vitest';
import { DiskPredictClient } from '../../../lib/client/index.js';
import { parseJsonExact, stringifyJsonExact, type JsonObject } from '../../../lib/util/json.js';

export const projectRoot = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

export interface DaemonProcess {
  proc: ChildProcess;
  dir: string;
  socketPath: string;
  dbPath: string;
  stderr(): string;
  /** resolves with the exit code */
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'dp-daemon-'));
}

export interface StartOptions {
  dir?: string;
  args?: string[];
  env?: NodeJS.ProcessEnv;
  /** the script run by tsx (default: the test-predictor daemon) */
  entry?: string[];
}

export async function startDaemon(options: StartOptions = {}): Promise<DaemonProcess> {
  const dir = options.dir ?? tempDir();
  const socketPath = join(dir, 'd.sock');
  const dbPath = join(dir, 'd.db');
  const entry = options.entry ?? [join(projectRoot, 'test/daemon/helpers/testDaemonMain.ts')];
  // node itself (tsx as a loader, not the tsx CLI): signals, kill -9 included, must reach the daemon, not a wrapper.
  const proc = spawn(process.execPath, ['--import', 'tsx', ...entry, '--socket', socketPath, '--db', dbPath, ...(options.args ?? [])], {
    cwd: projectRoot,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  proc.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((res) => proc.once('exit', (code) => res(code)));
  const d: DaemonProcess = {
    proc,
    dir,
    socketPath,
    dbPath,
    stderr: () => err,
    exited,
    async stop(signal = 'SIGTERM') {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      return exited;
    },
  };
  await waitUntilListening(d);
  return d;
}

async function waitUntilListening(d: DaemonProcess): Promise<void> {
  const deadline = Date.now() + 30_000;
  let exited = false;
  void d.exited.then(() => (exited = true));
  while (Date.now() < deadline) {
    if (exited) throw new Error(`daemon exited before listening:\n${d.stderr()}`);
    // listening is logged once the socket accepts connections
    if (d.stderr().includes('listening on')) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`daemon did not start within 30 s:\n${d.stderr()}`);
}

/**
 * One daemon and one msgpack client for a whole `describe` block: started before its tests, stopped after
 * them (a clean exit 0 is part of the check), its directory removed.
 */
export function daemonForSuite(options: StartOptions = {}): { daemon(): DaemonProcess; client(): DiskPredictClient } {
  let d: DaemonProcess | undefined;
  let client: DiskPredictClient | undefined;
  beforeAll(async () => {
    d = await startDaemon(options);
    client = new DiskPredictClient({ socketPath: d.socketPath });
  });
  afterAll(async () => {
    client?.close();
    if (d) {
      expect(await d.stop()).toBe(0);
      cleanup(d);
    }
  });
  return { daemon: () => d!, client: () => client! };
}

export function cleanup(d: DaemonProcess): void {
  rmSync(d.dir, { recursive: true, force: true });
}

/** Sends raw bytes; collects NDJSON reply lines until `expected` arrive or the daemon closes the connection. */
export function rawExchange(socketPath: string, data: Buffer | string, expected: number): Promise<{ replies: JsonObject[]; closed: boolean }> {
  return new Promise((resolvePromise, reject) => {
    const socket = connect(socketPath);
    let buf = '';
    const replies: JsonObject[] = [];
    let done = false;
    const finish = (closed: boolean) => {
      if (done) return;
      done = true;
      socket.destroy();
      resolvePromise({ replies, closed });
    };
    socket.on('connect', () => socket.write(data));
    socket.on('data', (c: Buffer) => {
      buf += c.toString('utf8');
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        replies.push(parseJsonExact(buf.slice(0, nl)) as JsonObject);
        buf = buf.slice(nl + 1);
      }
      if (replies.length >= expected) finish(false);
    });
    socket.on('end', () => finish(true));
    socket.on('close', () => finish(true));
    socket.on('error', (e) => (done ? undefined : reject(e)));
  });
}

export async function ndjson(socketPath: string, requests: JsonObject[]): Promise<JsonObject[]> {
  const { replies } = await rawExchange(socketPath, requests.map((r) => stringifyJsonExact(r) + '\n').join(''), requests.length);
  return replies;
}

/**
 * `ndjson` against a socket someone else is setting up: the file appears at bind(), before listen(), so
 * ENOENT and ECONNREFUSED are retried for up to 5 s.
 */
export async function ndjsonOnceListening(socketPath: string, requests: JsonObject[]): Promise<JsonObject[]> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    try {
      return await ndjson(socketPath, requests);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if ((code !== 'ENOENT' && code !== 'ECONNREFUSED') || Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
