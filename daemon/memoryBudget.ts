/**
 * Daemon-wide byte budgets shared by all connections: request bytes buffered while a frame or line is still
 * arriving, and reply bytes handed to the kernel but not yet sent. Per-connection limits alone let 64 clients
 * each hold an unfinished 16 MiB frame (1 GiB); these caps bound the sum.
 */
export interface MemoryBudgetLimits {
  maxBufferedRequestBytes: number;
  maxQueuedReplyBytes: number;
}

export class MemoryBudget {
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
    return this.queuedReplyBytes < this.limits.maxQueuedReplyBytes;
  }

  replyQueued(bytes: number): void {
    this.queuedReplyBytes += bytes;
  }

  replySent(bytes: number): void {
    this.queuedReplyBytes -= bytes;
    if (this.replyRoom) this.wakeWaiting();
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
