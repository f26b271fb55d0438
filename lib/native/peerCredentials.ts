/**
 * The connecting process's uid/gid/pid on a Unix socket (SO_PEERCRED), for the daemon's access check. Needs the
 * addon: there is no TypeScript twin, so without it these return null and the daemon relies on the socket file's
 * permissions (and says so in `health`).
 */
import type { Socket } from 'node:net';
import type { NativeAddon, PeerCredentials } from './addon.js';
import { PeerCredentialsError } from './errors.js';

export function peerCredentialsVia(addon: NativeAddon | null, fd: number): PeerCredentials | null {
  if (!addon) return null;
  try {
    return addon.peerCredentials(fd);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    const message = err instanceof Error ? err.message : String(err);
    throw new PeerCredentialsError(message, typeof code === 'string' ? code : 'EPEERCRED');
  }
}

/** The file descriptor under a connected net.Socket (libuv pipe handle), or null when it has none. */
export function socketFd(socket: Socket): number | null {
  const handle = (socket as unknown as { _handle?: { fd?: unknown } })._handle;
  const fd = handle?.fd;
  return typeof fd === 'number' && Number.isInteger(fd) && fd >= 0 ? fd : null;
}
