/**
 * One client connection: picks the framing from the first byte, answers requests in arrival order (handlers
 * are synchronous, so pipelined replies keep request order), applies backpressure when the client does not
 * read, and times out idle and slow clients.
 */
import type { Socket } from 'node:net';
import { stringifyJsonExact } from '../lib/util/json.js';
import type { ErrorCode } from './protocol/errors.js';
import { FrameReader } from '../lib/client/wire/frameReader.js';
import { encodeFrame } from '../lib/client/wire/msgpack.js';
import { NdjsonReader } from '../lib/client/wire/ndjsonReader.js';
import type { MessageReader } from '../lib/client/wire/reader.js';
import type { Reply, Request } from './protocol/types.js';

export interface ConnectionOptions {
  maxFrameBytes: number;
  idleTimeoutMs: number;
  requestTimeoutMs: number;
  handle(req: Request): Reply;
  errorReply(code: ErrorCode, message: string): Reply;
  /** null = allowed; otherwise why not (the client gets FORBIDDEN) */
  refusal: string | null;
  onBug(err: unknown): void;
}

// `{` or JSON whitespace: a frame header starting with these would announce ≥ 512 MiB, beyond any allowed limit.
const NDJSON_FIRST_BYTES = new Set([0x7b, 0x20, 0x09, 0x0a, 0x0d]);

export class Connection {
  private reader: MessageReader | undefined;
  private encode: ((reply: Reply) => Buffer | string) | undefined;
  private finished = false;
  private draining = false;
  private partialTimer: NodeJS.Timeout | undefined;
  readonly closed: Promise<void>;

  constructor(
    private readonly socket: Socket,
    private readonly options: ConnectionOptions,
  ) {
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.setTimeout(options.idleTimeoutMs);
    socket.on('timeout', () => this.onTimeout());
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('drain', () => socket.resume());
    socket.on('error', () => socket.destroy());
    socket.once('close', () => clearTimeout(this.partialTimer));
  }

  /** Stop after the request in progress (if any): used at shutdown. */
  drain(): void {
    this.draining = true;
    if (!this.reader?.hasPartial) this.finish();
  }

  destroy(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    try {
      this.read(chunk);
    } catch (err) {
      // Every request error is already a reply; reaching here is a bug. Lose this connection, not the daemon.
      this.options.onBug(err);
      this.socket.destroy();
    }
  }

  private read(chunk: Buffer): void {
    if (this.finished) return;
    if (!this.reader) this.chooseFraming(chunk[0]!);
    if (this.options.refusal !== null) {
      this.fail('FORBIDDEN', this.options.refusal);
      return;
    }
    for (const event of this.reader!.push(chunk)) {
      if (event.kind === 'message') {
        this.send(this.options.handle(event.message));
      } else if (event.fatal) {
        this.fail(event.error.code, event.error.message);
        return;
      } else {
        this.send(this.options.errorReply(event.error.code, event.error.message));
      }
    }
    if (this.reader!.hasPartial) {
      this.partialTimer ??= setTimeout(() => this.onTimeout(), this.options.requestTimeoutMs);
    } else {
      clearTimeout(this.partialTimer);
      this.partialTimer = undefined;
      if (this.draining) this.finish();
    }
  }

  private chooseFraming(first: number): void {
    if (NDJSON_FIRST_BYTES.has(first)) {
      this.reader = new NdjsonReader(this.options.maxFrameBytes);
      this.encode = (reply) => stringifyJsonExact(reply) + '\n';
    } else {
      this.reader = new FrameReader(this.options.maxFrameBytes);
      this.encode = encodeFrame;
    }
  }

  private send(reply: Reply): void {
    if (this.finished) return;
    // Backpressure: a client that does not read its replies stops being read.
    if (!this.socket.write(this.encode!(reply))) this.socket.pause();
  }

  private onTimeout(): void {
    if (this.finished) return;
    if (this.reader?.hasPartial) this.fail('TIMEOUT', `request not complete within ${this.options.requestTimeoutMs} ms`);
    else this.socket.destroy();
  }

  /** Sends a last error reply and closes: the stream cannot be followed any further. */
  private fail(code: ErrorCode, message: string): void {
    if (this.encode) this.send(this.options.errorReply(code, message));
    this.finish();
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    clearTimeout(this.partialTimer);
    this.socket.end();
    // A client that never reads would keep a half-closed socket: give it the idle timeout, then cut.
    this.socket.setTimeout(this.options.idleTimeoutMs, () => this.socket.destroy());
  }
}
