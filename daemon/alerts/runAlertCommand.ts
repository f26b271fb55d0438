/**
 * `--on-change`: runs the operator's command line with `/bin/sh -c` (so pipes and `mail -s …` work as typed),
 * the event JSON on stdin and its key fields in the environment. Nothing from the event is put into the command
 * line itself, so a device name can never become shell syntax. The command runs in a process group of its own,
 * killed whole at the timeout; its output is kept up to a cap, for the log.
 */
import { spawn } from 'node:child_process';
import { AlertDeliveryError } from './deliveryError.js';

/** Output kept for the log; the rest is read and thrown away (a chatty command must not fill the daemon's memory). */
export const MAX_COMMAND_OUTPUT_BYTES = 4096;

export interface CommandRun {
  command: string;
  stdin: string;
  /** added to the daemon's own environment */
  env: Record<string, string>;
  timeoutMs: number;
}

/** Resolves with the (capped) output when the command exits 0; rejects with AlertDeliveryError otherwise. */
export function runAlertCommand(run: CommandRun): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', run.command], {
      env: { ...process.env, ...run.env },
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true, // its own process group: the timeout kills what it started too
    });
    const kept: Buffer[] = [];
    let keptBytes = 0;
    const keep = (chunk: Buffer) => {
      if (keptBytes >= MAX_COMMAND_OUTPUT_BYTES) return;
      const part = chunk.subarray(0, MAX_COMMAND_OUTPUT_BYTES - keptBytes);
      kept.push(part);
      keptBytes += part.length;
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, run.timeoutMs);
    const output = () => Buffer.concat(kept).toString('utf8').trim();
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new AlertDeliveryError(`cannot run /bin/sh: ${err.message}`));
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const out = output();
      const said = out ? `: ${oneLine(out)}` : '';
      if (timedOut) reject(new AlertDeliveryError(`command timed out after ${run.timeoutMs} ms${said}`));
      else if (code === 0) resolve(out);
      else reject(new AlertDeliveryError(`command ${code !== null ? `exited with ${code}` : `was killed by ${signal}`}${said}`));
    });
    // A command that does not read its stdin closes the pipe early: that is its business, not a failure.
    child.stdin.on('error', () => undefined);
    child.stdin.end(run.stdin);
  });
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

function oneLine(text: string): string {
  const line = text.replace(/\s*\n\s*/g, ' | ');
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}
