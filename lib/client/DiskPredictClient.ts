/**
 * Node client for the daemon: msgpack frames over the Unix socket, request ids, a timeout per request, and
 * reconnection on the next request after the connection dropped. Requests may be issued concurrently; they
 * are pipelined on one connection.
 */
import { connect, type Socket } from 'node:net';
import { isJsonObject, type JsonObject } from '../util/json.js';
import { DiskPredictConnectionError, DiskPredictError } from './errors.js';
import type { ErrorCode } from './wire/errorCodes.js';
import { FrameReader } from './wire/frameReader.js';
import { encodeFrame } from './wire/msgpack.js';

export interface DiskPredictClientOptions {
  socketPath: string;
  /** per request, ms (default 10 s) */
  timeoutMs?: number;
  /** largest reply accepted (default 64 MiB: `history` replies can be large) */
  maxReplyBytes?: number;
}

interface Pending {
  resolve(reply: JsonObject): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_REPLY_BYTES = 64 * 1024 * 1024;

export class DiskPredictClient {
  private socket: Socket | undefined;
  private connecting: Promise<Socket> | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(private readonly options: DiskPredictClientOptions) {}

  /** Sends `{op, ...args}`; resolves with the reply (without `id`/`ok`) or rejects with DiskPredictError. */
  async request(op: string, args: JsonObject = {}): Promise<JsonObject> {
    const id = this.nextId++;
    const frame = encodeFrame({ ...args, id, op });
    const socket = await this.connection();
    return new Promise<JsonObject>((resolve, reject) => {
      const timeoutMs = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new DiskPredictConnectionError(`${op}: no reply within ${timeoutMs} ms`, 'timeout'));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      socket.write(frame);
    });
  }

  close(): void {
    this.socket?.end();
    this.socket = undefined;
  }

  private connection(): Promise<Socket> {
    if (this.socket && !this.socket.destroyed) return Promise.resolve(this.socket);
    this.connecting ??= new Promise<Socket>((resolve, reject) => {
      const socket = connect(this.options.socketPath);
      const reader = new FrameReader(this.options.maxReplyBytes ?? DEFAULT_MAX_REPLY_BYTES);
      socket.once('connect', () => {
        this.connecting = undefined;
        this.socket = socket;
        resolve(socket);
      });
      socket.on('data', (chunk: Buffer) => {
        for (const event of reader.push(chunk)) {
          if (event.kind === 'message') this.settle(event.message);
          else {
            this.failAll(new DiskPredictConnectionError(`bad reply from the daemon: ${event.error.message}`, 'protocol'));
            socket.destroy();
            return;
          }
        }
      });
      socket.on('error', (err) => {
        if (this.connecting && !this.socket) {
          this.connecting = undefined;
          reject(new DiskPredictConnectionError(`cannot connect to ${this.options.socketPath}: ${err.message}`, 'connect'));
        }
      });
      socket.on('close', () => {
        if (this.socket === socket) this.socket = undefined;
        this.failAll(new DiskPredictConnectionError('connection closed before the reply', 'closed'));
      });
    });
    return this.connecting;
  }

  private settle(reply: JsonObject): void {
    const id = reply['id'];
    if (typeof id !== 'number') return; // a reply to nothing we sent (e.g. a framing error report)
    const p = this.pending.get(id);
    if (!p) return; // timed out earlier
    this.pending.delete(id);
    clearTimeout(p.timer);
    if (reply['ok'] === true) {
      const { id: _id, ok: _ok, ...rest } = reply;
      p.resolve(rest);
    } else {
      const error = reply['error'];
      const { code, message } = isJsonObject(error) ? error : {};
      p.reject(new DiskPredictError((typeof code === 'string' ? code : 'INTERNAL') as ErrorCode, typeof message === 'string' ? message : 'no message'));
    }
  }

  private failAll(err: Error): void {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      this.pending.delete(id);
      p.reject(err);
    }
  }
}
