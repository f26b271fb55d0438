/**
 * Runs smartctl once, as Ceph does (src/common/blkdev.cc, `block_device_get_metrics`): a timeout, and at most
 * 100 KiB of output kept. A hung bridge or a runaway output must cost one device, never the pass.
 */
import { spawn } from 'node:child_process';

/** Ceph's own cap on smartctl's output. */
export const SMARTCTL_MAX_OUTPUT_BYTES = 100 * 1024;
export const SMARTCTL_TIMEOUT_MS = 10_000;

export interface SmartctlRunOptions {
  /** the smartctl executable (default `smartctl`, found on PATH) */
  command?: string;
  timeoutMs?: number;
  maxOutputBytes?: number;
}

export interface SmartctlRun {
  stdout: string;
  /** null when killed (timeout, oversize) or when it could not be started */
  exitCode: number | null;
  timedOut: boolean;
  /** output passed maxOutputBytes: smartctl was killed and `stdout` is cut */
  oversize: boolean;
  /** smartctl could not be started (not installed, not executable) */
  spawnError?: string;
  stderr: string;
}

export function runSmartctl(args: readonly string[], options: SmartctlRunOptions = {}): Promise<SmartctlRun> {
  const maxBytes = options.maxOutputBytes ?? SMARTCTL_MAX_OUTPUT_BYTES;
  const timeoutMs = options.timeoutMs ?? SMARTCTL_TIMEOUT_MS;
  return new Promise((resolve) => {
    const child = spawn(options.command ?? 'smartctl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let outBytes = 0;
    let err = '';
    let timedOut = false;
    let oversize = false;
    let spawnError: string | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      if (oversize) return;
      outBytes += chunk.length;
      if (outBytes > maxBytes) {
        oversize = true;
        out.push(chunk.subarray(0, chunk.length - (outBytes - maxBytes)));
        child.kill('SIGKILL');
        return;
      }
      out.push(chunk);
    });
    // stderr only for the message; bounded the same way
    child.stderr.on('data', (chunk: Buffer) => {
      if (err.length < 4096) err += chunk.toString('utf8');
    });
    child.on('error', (e) => {
      spawnError = e.message;
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const run: SmartctlRun = { stdout: Buffer.concat(out).toString('utf8'), exitCode: timedOut || oversize ? null : code, timedOut, oversize, stderr: err.slice(0, 4096) };
      if (spawnError !== undefined) run.spawnError = spawnError;
      resolve(run);
    });
  });
}
