/**
 * `--http`: /metrics (Prometheus text format 0.0.4: the `metrics` op's text plus per-device series) and /healthz
 * (the `health` op's JSON; 200 when the store is ok, else 503). node:http only; GET and HEAD; nothing else served.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { stringifyJsonExact } from '../lib/util/json.js';
import { renderDeviceMetrics } from './deviceMetrics.js';
import type { HttpAddress } from './httpAddress.js';
import type { DaemonContext } from './ops/context.js';
import { healthOp, renderMetrics } from './ops/status.js';

const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export function createHttpServer(ctx: DaemonContext, onError: (err: unknown) => void): Server {
  const server = createServer((req, res) => {
    try {
      respond(req, res, ctx);
    } catch (err) {
      onError(err);
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'internal error\n', req.method === 'HEAD');
      else res.destroy();
    }
  });
  // Scrapers keep connections open; a slow or idle client must not hold the daemon up.
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;
  server.keepAliveTimeout = 5_000;
  server.maxHeadersCount = 50;
  // A scraper needs one; this bounds what a flood of HTTP clients can hold (the socket has its own budgets).
  server.maxConnections = 64;
  return server;
}

function respond(req: IncomingMessage, res: ServerResponse, ctx: DaemonContext): void {
  const head = req.method === 'HEAD';
  if (req.method !== 'GET' && !head) {
    res.setHeader('Allow', 'GET, HEAD');
    send(res, 405, 'text/plain; charset=utf-8', 'only GET and HEAD\n', false);
    return;
  }
  const path = (req.url ?? '/').split('?', 1)[0];
  if (path === '/metrics') {
    send(res, 200, METRICS_CONTENT_TYPE, renderMetrics(ctx) + renderDeviceMetrics(ctx.store.devices()), head);
  } else if (path === '/healthz') {
    const health = healthOp({ op: 'health' }, ctx);
    const db = health['db'];
    const ok = typeof db === 'object' && db !== null && !Array.isArray(db) && db['ok'] === true;
    send(res, ok ? 200 : 503, 'application/json', stringifyJsonExact(health) + '\n', head);
  } else {
    send(res, 404, 'text/plain; charset=utf-8', 'not found: try /metrics or /healthz\n', head);
  }
}

function send(res: ServerResponse, status: number, contentType: string, body: string, head: boolean): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store' });
  res.end(head ? undefined : body);
}

export function listenHttp(server: Server, address: HttpAddress): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(address.port, address.host, () => {
      server.off('error', reject);
      const a = server.address();
      resolve(typeof a === 'object' && a !== null ? (a.family === 'IPv6' ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`) : String(a));
    });
  });
}
