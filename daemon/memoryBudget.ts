/**
 * Daemon-wide byte budgets shared by all connections: request bytes buffered while a frame or line is still
 * arriving, and reply bytes handed to the kernel but not yet sent. Per-connection limits alone let 64 clients
 * each hold an unfinished 16 MiB frame (1 GiB); these caps bound the sum. Past the reply cap, clients that have
 * stopped reading are disconnected (largest holding first), as a server cuts slow consumers.
 */
import { performance } from 'node:perf_hooks';

export interface MemoryBudgetLimits {
  maxBufferedRequestBytes: number;
  maxQueuedReplyBytes: number;
}

/** A connection as the budget sees it: what it holds, since when its client stopped reading, how to cut it. */
export interface ReplyHolder {
  readonly queuedReplyBytes: number;
  /** performance.now() when its client last left a write pending, or undefined while it reads */
  readonly stalledSinceMs: number | undefined;
  evict(reason: string): void;
}

// A client that reads its replies takes a multi-megabyte one within milliseconds; one that has left a reply
// unread this long while the daemon is over its budget is cut, largest holding first.
const STALL_BEFORE_EVICTION_MS = 1000;

export class MemoryBudget {
  private readonly holders = new Set<ReplyHolder>();
  /** replies being built (their size known in advance, e.g. `history`), not yet queued */
  private reservedReplyBytes = 0;
  private readonly reservationWaiters: { bytes: number; grant: () => void }[] = [];
  private evictionTimer: NodeJS.Timeout | undefined;
  /** connections cut for leaving replies unread while the daemon was over its reply budget */
  evictions = 0;

  bufferedRequestBytes = 0;
  queuedReplyBytes = 0;
  /** connections waiting for queued reply bytes to drain before they start their next request */
  private readonly waiting = new Set<() => void>();

  constructor(private limits: MemoryBudgetLimits) {}

  setLimits(limits: MemoryBudgetLimits): void {
    this.limits = limits;
    this.wakeWaiting();
  }

  get maxBufferedRequestBytes(): number {
    return this.limits.maxBufferedRequestBytes;
  }

  /** Adjusts the buffered-request total by `delta`; false when growing it would pass the cap (nothing changes then). */
  changeBufferedRequestBytes(delta: number): boolean {
    if (delta > 0 && this.bufferedRequestBytes + delta > this.limits.maxBufferedRequestBytes) return false;
    this.bufferedRequestBytes += delta;
    return true;
  }

  /** True while replies already queued leave room to start another request. */
  get replyRoom(): boolean {
    return this.queuedReplyBytes + this.reservedReplyBytes < this.limits.maxQueuedReplyBytes;
  }

  replyQueued(bytes: number): void {
    this.queuedReplyBytes += bytes;
    if (this.overCommitted) this.evictStalled();
  }

  /** Queued replies, replies being built and the next one waiting to be built do not fit in the cap. */
  private get overCommitted(): boolean {
    return this.queuedReplyBytes + this.reservedReplyBytes + (this.reservationWaiters[0]?.bytes ?? 0) >= this.limits.maxQueuedReplyBytes;
  }

  register(holder: ReplyHolder): void {
    this.holders.add(holder);
  }

  unregister(holder: ReplyHolder): void {
    this.holders.delete(holder);
  }

  /** Over the reply budget: cut clients that stopped reading, largest first, until back under it. */
  private evictStalled(): void {
    const now = performance.now();
    const stalled = [...this.holders]
      .filter((h) => h.queuedReplyBytes > 0 && h.stalledSinceMs !== undefined)
      .sort((a, b) => b.queuedReplyBytes - a.queuedReplyBytes);
    let soonest = Infinity;
    for (const h of stalled) {
      if (!this.overCommitted) return;
      const waited = now - h.stalledSinceMs!;
      if (waited < STALL_BEFORE_EVICTION_MS) {
        soonest = Math.min(soonest, STALL_BEFORE_EVICTION_MS - waited);
        continue;
      }
      this.evictions++;
      h.evict(`replies left unread for ${Math.round(waited)} ms while the daemon holds ${this.queuedReplyBytes} reply bytes (maxQueuedReplyBytes ${this.limits.maxQueuedReplyBytes})`);
    }
    if (this.overCommitted && soonest !== Infinity && this.evictionTimer === undefined) {
      this.evictionTimer = setTimeout(() => {
        this.evictionTimer = undefined;
        if (this.overCommitted) this.evictStalled();
      }, soonest + 1);
      this.evictionTimer.unref();
    }
  }

  replySent(bytes: number): void {
    this.queuedReplyBytes -= bytes;
    if (this.replyRoom) this.wakeWaiting();
    this.grantReservations();
  }

  /**
   * Room for a large reply before it is built (building one costs a few times its size in objects): waits while
   * replies queued or being built would pass the cap. Queued replies drain or their stalled clients are cut (after
   * a second), so the wait ends; a reply larger than the whole cap goes alone. Call the returned function once the
   * reply has been handed to the socket (it is then counted as queued).
   */
  reserveReply(bytes: number): Promise<() => void> {
    return new Promise((resolve) => {
      const grant = () => {
        this.reservedReplyBytes += bytes;
        let released = false;
        resolve(() => {
          if (released) return;
          released = true;
          this.reservedReplyBytes -= bytes;
          this.grantReservations();
        });
      };
      this.reservationWaiters.push({ bytes, grant });
      this.grantReservations();
      if (this.reservationWaiters.length > 0) this.evictStalled();
    });
  }

  /**
   * Grants every waiting reservation that fits, oldest first. One that does not fit does not hold back a later
   * one that does: a client asking for 12 samples waited behind the multi-megabyte replies of clients that never
   * read theirs until those were cut, a second or more (the soak's amplification phase: every well-behaved client
   * stuck for 2 s). The large one still gets its room: the small ones drain within milliseconds.
   */
  private grantReservations(): void {
    for (let i = 0; i < this.reservationWaiters.length; ) {
      const next = this.reservationWaiters[i]!;
      const fits = this.queuedReplyBytes + this.reservedReplyBytes + next.bytes <= this.limits.maxQueuedReplyBytes;
      // Progress: a reply larger than the whole budget still goes, first in line, once nothing else is queued or being built.
      const alone = i === 0 && this.reservedReplyBytes === 0 && this.queuedReplyBytes === 0;
      if (!fits && !alone) {
        i++;
        continue;
      }
      this.reservationWaiters.splice(i, 1);
      next.grant();
    }
  }

  /** Calls `wake` once when reply bytes drain below the cap; returns a function that cancels the wait. */
  waitForReplyRoom(wake: () => void): () => void {
    this.waiting.add(wake);
    return () => this.waiting.delete(wake);
  }

  private wakeWaiting(): void {
    const woken = [...this.waiting];
    this.waiting.clear();
    for (const wake of woken) wake();
  }
}
