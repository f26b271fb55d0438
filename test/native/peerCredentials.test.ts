import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PeerCredentialsError } from '../../lib/native/errors.js';
import { peerCredentialsVia, socketFd } from '../../lib/native/peerCredentials.js';
import { describeEachAddon } from './addonVariants.js';

interface Connection {
  server: Server;
  serverSide: Socket;
  clientSide: Socket;
  dir: string;
}

async function connectPair(): Promise<Connection> {
  const dir = mkdtempSync(join(tmpdir(), 'diskpredict-peercred-'));
  const path = join(dir, 'test.sock');
  return new Promise((resolve, reject) => {
    let clientSide: Socket | undefined;
    const server = createServer((serverSide) => {
      const finish = (): void => resolve({ server, serverSide, clientSide: clientSide as Socket, dir });
      if (clientSide?.readyState === 'open') finish();
      else clientSide?.once('connect', finish);
    });
    server.once('error', reject);
    server.listen(path, () => {
      clientSide = connect(path);
      clientSide.once('error', reject);
    });
  });
}

describeEachAddon('peerCredentials', ({ addon }) => {
  let conn: Connection;
  beforeAll(async () => {
    conn = await connectPair();
  });
  afterAll(() => {
    conn.clientSide.destroy();
    conn.serverSide.destroy();
    conn.server.close();
    rmSync(conn.dir, { recursive: true, force: true });
  });

  it("reports this process's uid, gid and pid on both ends of a real Unix-socket connection", () => {
    const expected = { uid: process.getuid?.(), gid: process.getgid?.(), pid: process.pid };
    for (const socket of [conn.serverSide, conn.clientSide]) {
      const fd = socketFd(socket);
      expect(fd).not.toBeNull();
      expect(peerCredentialsVia(addon, fd as number)).toEqual(expected);
    }
  });

  it('throws a typed error naming the errno for a descriptor that is not a socket, or not open', () => {
    const codeOf = (fd: number): string => {
      try {
        peerCredentialsVia(addon, fd);
      } catch (err) {
        expect(err).toBeInstanceOf(PeerCredentialsError);
        return (err as PeerCredentialsError).code;
      }
      return 'no error';
    };
    expect(codeOf(2 ** 30)).toBe('EBADF');
    const file = openSync(join(conn.dir, 'plain-file'), 'w');
    try {
      expect(codeOf(file)).toBe('ENOTSOCK');
    } finally {
      closeSync(file);
    }
  });

  it('rejects a non-integer descriptor with a TypeError or RangeError instead of crashing', () => {
    expect(() => addon.peerCredentials(-1)).toThrow(RangeError);
    expect(() => addon.peerCredentials(1.5)).toThrow(RangeError);
    expect(() => (addon.peerCredentials as (fd: unknown) => unknown)('3')).toThrow(TypeError);
  });
});

it('returns null without the addon (no TypeScript twin: the daemon falls back to socket permissions)', () => {
  expect(peerCredentialsVia(null, 0)).toBeNull();
});
