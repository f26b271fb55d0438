/** systemd integration: socket activation (sd_listen_fds) and readiness (sd_notify via systemd-notify). */
import { spawn } from 'node:child_process';

const SD_LISTEN_FDS_START = 3;

/** The first passed listening fd when systemd activated us, else null. Clears the variables (children must not inherit them). */
export function takeListenFd(env: NodeJS.ProcessEnv = process.env, pid = process.pid): number | null {
  const fds = Number(env['LISTEN_FDS']);
  const forPid = Number(env['LISTEN_PID']);
  delete env['LISTEN_FDS'];
  delete env['LISTEN_PID'];
  delete env['LISTEN_FDNAMES'];
  return forPid === pid && Number.isInteger(fds) && fds >= 1 ? SD_LISTEN_FDS_START : null;
}

/**
 * Tells systemd we are ready (Type=notify; the unit needs NotifyAccess=all since the message comes from a child).
 * Does nothing without NOTIFY_SOCKET; a missing systemd-notify is reported, not fatal.
 */
export function notifyReady(onError: (message: string) => void): void {
  if (!process.env['NOTIFY_SOCKET']) return;
  const child = spawn('systemd-notify', ['--ready', `--pid=${process.pid}`], { stdio: 'ignore' });
  child.on('error', (err) => onError(`systemd-notify --ready: ${err.message}`));
}
