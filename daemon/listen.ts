/**
 * Getting the listening socket: systemd's (socket activation) or our own path, refusing to take over a path a
 * live instance is serving and removing a stale one left by a crash. Probing and unlinking are done under a lock
 * (an abstract Unix socket named after the path: the kernel lets one process bind a name and frees it when that
 * process dies, so a crash leaves no stale lock), so two daemons started at once cannot both take the path.
 */
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, lstatSync, mkdirSync, realpathSync, unlinkSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { basename, dirname, resolve } from 'node:path';

export class SocketInUseError extends Error {
  override readonly name = 'SocketInUseError';
}

/** The socket's directory is missing and is not the daemon's own default to create. */
export class SocketDirectoryError extends Error {
  override readonly name = 'SocketDirectoryError';
}

export const SOCKET_MODE = 0o660;

/** 'live': something accepts connections there; 'stale': a socket file nobody listens on; 'absent'. */
export async function probeSocketPath(path: string): Promise<'live' | 'stale' | 'absent'> {
  let isSocket: boolean;
  try {
    isSocket = lstatSync(path).isSocket();
  } catch {
    return 'absent';
  }
  if (!isSocket) throw new SocketInUseError(`${path} exists and is not a socket; not replacing it`);
  return new Promise((resolve) => {
    const probe = connect(path);
    probe.once('connect', () => {
      probe.destroy();
      resolve('live');
    });
    probe.once('error', () => resolve('stale'));
  });
}

/**
 * Binds the lock for `path`; the returned server holds it until closed (or the process ends). Abstract names
 * are per network namespace: two daemons in different namespaces sharing a socket file are not caught.
 */
export async function lockSocketPath(path: string): Promise<Server> {
  const lock = createServer();
  try {
    await listen(lock, { path: `\0diskpredict-socket-lock:${lockKey(path)}` });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new SocketInUseError(`another instance is serving (or starting on) ${path}`);
    throw err;
  }
  lock.unref();
  return lock;
}

/** The socket path with its folder resolved through symlinks, hashed to fit an abstract socket name. */
function lockKey(path: string): string {
  let dir = resolve(dirname(path));
  try {
    dir = realpathSync(dir);
  } catch {
    // the folder does not exist yet: its plain absolute path names it
  }
  return createHash('sha256').update(`${dir}/${basename(path)}`).digest('hex').slice(0, 40);
}

/**
 * Call with the path's lock held (lockSocketPath). `createDirectory`: make the socket's missing parent
 * directories (only for the daemon's default path).
 */
export async function listenOnPath(server: Server, path: string, options: { createDirectory?: boolean } = {}): Promise<void> {
  const state = await probeSocketPath(path);
  if (state === 'live') throw new SocketInUseError(`another instance is serving ${path}`);
  if (state === 'stale') unlinkSync(path);
  if (options.createDirectory ?? true) mkdirSync(dirname(path), { recursive: true });
  else if (!existsSync(dirname(path))) throw new SocketDirectoryError(`socket ${path}: directory ${dirname(path)} does not exist`);
  // The umask makes the socket 0660 from birth (no window where others may connect); chmod restates it.
  const oldMask = process.umask(0o117);
  try {
    await listen(server, { path });
  } finally {
    process.umask(oldMask);
  }
  chmodSync(path, SOCKET_MODE);
}

export function listenOnFd(server: Server, fd: number): Promise<void> {
  return listen(server, { fd });
}

function listen(server: Server, where: { path: string } | { fd: number }): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen(where, () => {
      server.off('error', onError);
      resolve();
    });
  });
}
