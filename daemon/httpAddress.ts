/** `--http HOST:PORT` → where to listen; anything but a loopback address needs `--http-allow-remote`. */
import { isIP } from 'node:net';
import { ConfigError } from './config.js';

export interface HttpAddress {
  host: string;
  port: number;
}

export function parseHttpAddress(text: string, allowRemote: boolean): HttpAddress {
  // [v6]:port, or host:port (the last colon splits, so a bare v6 address without brackets is refused below)
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(text) ?? /^([^:[\]]+):(\d+)$/.exec(text);
  if (!m) throw new ConfigError(`--http must be HOST:PORT or [IPv6]:PORT, got "${text}"`);
  const host = m[1]!;
  const port = Number(m[2]);
  if (!Number.isInteger(port) || port > 65535) throw new ConfigError(`--http port must be 0-65535, got "${m[2]}"`);
  if (!allowRemote && !isLoopback(host)) {
    throw new ConfigError(`--http ${text} is not a loopback address; /metrics and /healthz have no authentication, so pass --http-allow-remote to serve them on another address`);
  }
  return { host, port };
}

export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1' || /^::ffff:127\./i.test(host);
  return false;
}
