/**
 * One client connection: picks the framing from the first byte and answers requests one at a time, in arrival
 * order. While a request is being handled, while requests wait behind it, or while the client has not read its
 * replies, the connection is not read: a client can make the daemon hold at most one request's worth of work and
 * reply bytes, however much it pipelines. Request bytes still arriving and reply bytes not yet sent count against
 * daemon-wide budgets (MemoryBudget). Idle and slow clients are timed out; the partial-request timer only runs
 * while the daemon is actually reading.
 */
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { ErrorCode } from './protocol/errors.js';
import { FrameReader } from '../lib/client/wire/frameReader.js';
import { NdjsonReader } from '../lib/client/wire/ndjsonReader.js';
import type { MessageReader, ReadEvent } from '../lib/client/wire/reader.js';
import type { MemoryBudget, ReplyHolder } from './memoryBudget.js';
import type { Reply, Request } from './protocol/types.js';
import { encodeFrameReply, encodeJsonLine } from './replyEncoding.js';
import { releaseStoredJson, type OutgoingReply } from './storedJsonMap.js';
import { WorkSlicer } from './workSlicer.js';

export interface ConnectionRefusal {
  code: ErrorCode;
  message: string;
}

export interface ConnectionOptions {
  maxFrameBytes: number;
  idleTimeoutMs: number;
  requestTimeoutMs: number;
  handle(req: Request): OutgoingReply | Promise<OutgoingReply>;
  errorReply(code: ErrorCode, message: string): Reply;
  /** null = served; otherwise the client gets this error and the connection closes */
  refusal: ConnectionRefusal | null;
  budget: MemoryBudget;
  onBug(err: unknown): void;
}

// `{` or JSON whitespace: a frame header starting with these would announce ≥ 144 MiB (0x09000000), above the
// largest allowed frame limit (config.ts MAX_FRAME_LIMIT), so the sniff cannot misread a legal frame.
const NDJSON_FIRST_BYTES = new Set([0x7b, 0x20, 0x09, 0x0a, 0x0d]);
/** After a fatal error reply: long enough for a client to read it, short enough not to hold its buffers. */
const FAILED_CLOSE_GRACE_MS = 2000;
/** Encoding stored samples is finished even at shutdown: the reply is bounded (maxReplyBytes) and drained. */
const replySlicer = () => new WorkSlicer(() => false);

export class Connection implements ReplyHolder {
  private reader: MessageReader | undefined;
  private encode: ((reply: OutgoingReply) => Buffer | string | Promise<Buffer[]>) | undefined;
  /** read but not yet answered (in order); a fatal read error is the last entry */
  private readonly queue: ReadEvent[] = [];
  private readerFailed = false;
  private busy = false;
  private finished = false;
  private draining = false;
  private socketClosed = false;
  private partialTimer: NodeJS.Timeout | undefined;
  /** chunks received so far: the partial-request timeout looks once more before it fires (onPartialTimeout) */
  private chunksIn = 0;
  /** that second look was already given to the request now partial (once, so a trickling client still times out) */
  private partialGraceUsed = false;
  private cancelReplyWait: (() => void) | undefined;
  /** this connection's share of the daemon-wide budgets */
  private bufferedBytes = 0;
  queuedReplyBytes = 0;
  stalledSinceMs: number | undefined;
  readonly closed: Promise<void>;

  constructor(
    private readonly socket: Socket,
    private readonly options: ConnectionOptions,
  ) {
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.setTimeout(options.idleTimeoutMs);
    socket.on('timeout', () => this.onTimeout());
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('drain', () => {
      this.stalledSinceMs = undefined;
      this.pump();
    });
    socket.on('error', () => socket.destroy());
    socket.once('close', () => this.onClose());
    options.budget.register(this);
  }

  evict(): void {
    this.socket.destroy();
  }

  /** Stop after the requests already received (if any): used at shutdown. */
  drain(): void {
    this.draining = true;
    this.updateFlow();
  }

  destroy(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.chunksIn++;
    try {
      this.read(chunk);
    } catch (err) {
      this.bug(err);
    }
  }

  /** Every request error is already a reply; reaching here is a bug. Lose this connection, not the daemon. */
  private bug(err: unknown): void {
    this.options.onBug(err);
    this.socket.destroy();
  }

  private read(chunk: Buffer): void {
    if (this.finished || this.readerFailed) return;
    if (!this.reader) this.chooseFraming(chunk[0]!);
    if (this.options.refusal !== null) {
      this.fail(this.options.refusal.code, this.options.refusal.message);
      return;
    }
    const events = this.reader!.push(chunk);
    // A request completed: the next one gets its own timer (and its own second look), measured from now. Kept running
    // across requests, a steady stream of them was timed out whenever the client paused at the wrong moment.
    if (events.length > 0) this.stopPartialTimer();
    for (const event of events) {
      this.queue.push(event);
      if (event.kind === 'error' && event.fatal) this.readerFailed = true;
    }
    if (!this.accountBufferedBytes()) return;
    this.pump();
  }

  /** Keeps the daemon-wide count of unfinished request bytes; past its cap this connection is refused. */
  private accountBufferedBytes(): boolean {
    const now = this.readerFailed ? 0 : this.reader!.bufferedBytes;
    if (this.options.budget.changeBufferedRequestBytes(now - this.bufferedBytes)) {
      this.bufferedBytes = now;
      return true;
    }
    const limit = this.options.budget.maxBufferedRequestBytes;
    this.readerFailed = true;
    this.queue.push({
      kind: 'error',
      fatal: true,
      error: { code: 'BUSY', message: `the daemon already holds ${limit} bytes of unfinished requests (maxBufferedRequestBytes); retry later` },
    });
    this.pump();
    return false;
  }

  /** Answers queued requests one at a time, as long as the client reads its replies and the budget has room. */
  private pump(): void {
    while (!this.busy && !this.finished && this.queue.length > 0) {
      if (this.socket.writableNeedDrain) break; // 'drain' calls pump again
      // Over the daemon-wide reply budget, only connections whose own replies are all taken may go on: a
      // client that does not read cannot stall one that does.
      if (!this.options.budget.replyRoom && this.queuedReplyBytes > 0) {
        this.cancelReplyWait ??= this.options.budget.waitForReplyRoom(() => {
          this.cancelReplyWait = undefined;
          this.pump();
        });
        break;
      }
      const event = this.queue.shift()!;
      if (event.kind === 'error') {
        if (event.fatal) {
          this.fail(event.error.code, event.error.message);
          return;
        }
        this.send(this.options.errorReply(event.error.code, event.error.message));
        continue;
      }
      const result = this.options.handle(event.message);
      const sending = result instanceof Promise ? result.then((reply) => this.send(reply)) : this.send(result);
      if (sending) {
        this.busy = true;
        sending.then(
          () => {
            this.busy = false;
            this.pump();
          },
          (err: unknown) => this.bug(err),
        );
        break;
      }
    }
    this.updateFlow();
  }

  /** Reads only when nothing waits to be answered; the partial-request timer runs only while reading. */
  private updateFlow(): void {
    if (this.finished) return;
    const stalled = this.busy || this.queue.length > 0 || this.socket.writableNeedDrain;
    if (stalled) {
      this.socket.pause();
      this.stopPartialTimer();
      return;
    }
    if (this.reader?.hasPartial) {
      this.socket.resume();
      this.partialTimer ??= setTimeout(() => this.onPartialTimeout(), this.options.requestTimeoutMs);
      return;
    }
    this.stopPartialTimer();
    if (this.draining) this.finish();
    else this.socket.resume();
  }

  private stopPartialTimer(): void {
    clearTimeout(this.partialTimer);
    this.partialTimer = undefined;
    this.partialGraceUsed = false;
  }

  private chooseFraming(first: number): void {
    if (NDJSON_FIRST_BYTES.has(first)) {
      this.reader = new NdjsonReader(this.options.maxFrameBytes);
      this.encode = (reply) => encodeJsonLine(reply, replySlicer);
    } else {
      this.reader = new FrameReader(this.options.maxFrameBytes);
      this.encode = (reply) => encodeFrameReply(reply, replySlicer);
    }
  }

  /**
   * Encodes and queues a reply; a Promise while stored samples are being packed between time slices. A reply's
   * size reservation (StoredJsonMap) is returned once its bytes are queued or dropped.
   */
  private send(reply: OutgoingReply): Promise<void> | undefined {
    // A reply finished after the client left has nowhere to go (and its bytes would never be counted back).
    if (this.gone) {
      releaseStoredJson(reply);
      return undefined;
    }
    let encoded: Buffer | string | Promise<Buffer[]>;
    try {
      encoded = this.encode!(reply);
    } catch (err) {
      encoded = this.encodingFailed(err);
    }
    if (encoded instanceof Promise) {
      return encoded
        .catch((err: unknown) => this.encodingFailed(err))
        .then((data) => this.write(data))
        .finally(() => releaseStoredJson(reply));
    }
    this.write(encoded);
    releaseStoredJson(reply);
    return undefined;
  }

  private get gone(): boolean {
    return this.finished || this.socketClosed || this.socket.destroyed;
  }

  /** A reply that cannot be encoded must not cost the client its connection and the requests behind it. */
  private encodingFailed(err: unknown): Buffer | string {
    this.options.onBug(err);
    return this.encode!(this.options.errorReply('INTERNAL', `reply could not be encoded: ${err instanceof Error ? err.message : String(err)}`)) as Buffer | string;
  }

  /** Queues a reply, or a reply's pieces in order (one writev), counting its bytes until they are sent. */
  private write(data: Buffer | string | Buffer[]): void {
    if (this.gone) return;
    let bytes: number;
    let written: boolean;
    if (Array.isArray(data)) {
      bytes = 0;
      for (const chunk of data) bytes += chunk.length;
      this.socket.cork();
      for (const chunk of data.slice(0, -1)) this.socket.write(chunk);
      written = this.socket.write(data.at(-1) ?? Buffer.alloc(0), () => this.replyFlushed(bytes));
      this.socket.uncork();
    } else {
      bytes = typeof data === 'string' ? Buffer.byteLength(data) : data.length;
      written = this.socket.write(data, () => this.replyFlushed(bytes));
    }
    this.queuedReplyBytes += bytes;
    if (!written) this.stalledSinceMs ??= performance.now();
    this.options.budget.replyQueued(bytes);
  }

  private replyFlushed(bytes: number): void {
    if (this.socketClosed) return; // already returned in full at close
    this.queuedReplyBytes -= bytes;
    this.options.budget.replySent(bytes);
  }

  private onTimeout(): void {
    if (this.finished) return;
    // Our own work in progress is not the client's idleness; replies it leaves unread are.
    if ((this.busy || this.queue.length > 0) && !this.socket.writableNeedDrain) return;
    this.socket.destroy();
  }

  private onPartialTimeout(): void {
    this.partialTimer = undefined;
    if (this.finished || !this.reader?.hasPartial) return;
    // A busy daemon can reach this timer before reading what the client already sent: the rest of the request
    // may be waiting in the kernel. Let one poll phase deliver it (setImmediate runs after it) before blaming the
    // client; if anything arrived, the request is alive and its timer starts again, once per request.
    const seen = this.chunksIn;
    setImmediate(() => {
      if (this.finished || !this.reader?.hasPartial) return;
      if (this.chunksIn !== seen && !this.partialGraceUsed) {
        this.updateFlow();
        this.partialGraceUsed = true;
        return;
      }
      this.fail('TIMEOUT', `request not complete within ${this.options.requestTimeoutMs} ms`);
    });
  }

  /**
   * Sends a last error reply and closes: the stream cannot be followed any further. Whatever the client still
   * sends is not read (an oversize or refused frame would otherwise be read in full only to be dropped); it gets
   * a moment to read the reply, then the connection is cut.
   */
  private fail(code: ErrorCode, message: string): void {
    this.queue.length = 0;
    this.readerFailed = true;
    if (this.encode) this.send(this.options.errorReply(code, message));
    this.finish(FAILED_CLOSE_GRACE_MS);
    this.socket.pause();
  }

  private finish(graceMs = this.options.idleTimeoutMs): void {
    if (this.finished) return;
    this.finished = true;
    this.stopPartialTimer();
    this.socket.end();
    // A client that never reads would keep a half-closed socket: give it the grace period, then cut.
    this.socket.setTimeout(graceMs, () => this.socket.destroy());
  }

  private onClose(): void {
    this.socketClosed = true;
    this.options.budget.unregister(this);
    this.stopPartialTimer();
    this.cancelReplyWait?.();
    this.options.budget.changeBufferedRequestBytes(-this.bufferedBytes);
    this.bufferedBytes = 0;
    this.options.budget.replySent(this.queuedReplyBytes);
    this.queuedReplyBytes = 0;
  }
}
