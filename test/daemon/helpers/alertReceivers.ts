/** What alerts are delivered to in the tests: an --on-change script that appends to a file, and a loopback webhook. */
import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export interface CommandCall {
  env: Record<string, string>;
  /** the event JSON read from stdin */
  event: Record<string, unknown>;
}

/** A shell script recording its DISKPREDICT_* environment and its stdin, one line per run (tab-separated). */
export function onChangeRecorder(dir: string): { command: string; calls(): CommandCall[] } {
  const script = join(dir, 'on-change.sh');
  const out = join(dir, 'on-change.log');
  const names = ['DISKPREDICT_EVENT', 'DISKPREDICT_EVENT_ID', 'DISKPREDICT_DEVID', 'DISKPREDICT_STATUS', 'DISKPREDICT_PREVIOUS_STATUS', 'DISKPREDICT_SINCE', 'DISKPREDICT_TIME', 'DISKPREDICT_P14', 'DISKPREDICT_P42', 'DISKPREDICT_MODEL'];
  writeFileSync(script, `#!/bin/sh\nstdin=$(cat)\nprintf '%s\\t' ${names.map((n) => `"$${n}"`).join(' ')} >> "$1"\nprintf '%s\\n' "$stdin" >> "$1"\n`);
  return {
    command: `sh ${script} ${out}`,
    calls: () =>
      existsSync(out)
        ? readFileSync(out, 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((line) => {
              const fields = line.split('\t');
              const env = Object.fromEntries(names.map((n, i) => [n, fields[i]!]));
              return { env, event: JSON.parse(fields[names.length]!) as Record<string, unknown> };
            })
        : [],
  };
}

export type ReceiverMode = 'reset' | 'error500' | 'ok';

export interface ReceivedPost {
  answered: ReceiverMode;
  body: Record<string, unknown>;
  contentType: string | undefined;
}

/** A webhook receiver on 127.0.0.1 whose answer can be switched: cut the connection, HTTP 500, or 200. */
export async function webhookReceiver(mode: ReceiverMode, port = 0): Promise<{ url: string; port: number; posts: ReceivedPost[]; setMode(m: ReceiverMode): void; close(): Promise<void> }> {
  let current = mode;
  const posts: ReceivedPost[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      const answered = current;
      posts.push({ answered, body: JSON.parse(body) as Record<string, unknown>, contentType: req.headers['content-type'] });
      if (answered === 'reset') req.socket.destroy();
      else {
        res.writeHead(answered === 'ok' ? 200 : 500);
        res.end(answered === 'ok' ? 'ok' : 'down');
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actual}/hook`,
    port: actual,
    posts,
    setMode: (m) => (current = m),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export async function until<T>(what: string, fn: () => T | undefined | Promise<T | undefined>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
