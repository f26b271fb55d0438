/**
 * Delivers one channel's outbox in order, one entry at a time: an entry leaves the outbox only once delivered
 * (or given up), so a restart resumes where the last run stopped. A failure is retried after `retryMs`, then
 * twice as long each time up to MAX_BACKOFF_MS; an entry still failing MAX_AGE_MS after it was queued is dropped
 * (a device still Bad by then raises reminders of its own).
 */
import type { Logger } from '../log.js';
import type { AlertChannel, AlertStore, OutboxEntry } from '../store/alertStore.js';

export const MAX_BACKOFF_MS = 15 * 60_000;
export const MAX_AGE_MS = 24 * 3_600_000;
/** After the database itself failed (disk full): try again this much later. */
const STORE_RETRY_MS = 30_000;

export interface AlertCounters {
  sent: number;
  /** delivery attempts that failed (an entry retried five times counts five) */
  failed: number;
  /** entries never delivered: queue full, given up after MAX_AGE_MS, or the channel no longer configured */
  dropped: number;
}

/** `undelivered` with a reason: the channel is no longer configured (a reload removed it); the entry is dropped. */
export type Deliver = (entry: OutboxEntry) => Promise<{ undeliverable: string } | void>;

export interface OutboxWorkerOptions {
  channel: AlertChannel;
  store: AlertStore;
  deliver: Deliver;
  now(): number;
  /** the first retry delay, read at each failure (a reload may change it) */
  retryMs(): number;
  counters: AlertCounters;
  log: Logger;
}

export class OutboxWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly o: OutboxWorkerOptions) {}

  /** Something was queued (or the daemon started): deliver now unless a delivery or a retry wait is under way. */
  kick(): void {
    if (this.stopped || this.running || this.timer) return;
    this.running = this.drain().finally(() => (this.running = undefined));
  }

  /** No new attempt starts; resolves once the one under way ends, or after `graceMs` (it is then retried on the next start). */
  async stop(graceMs: number): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.running) return;
    let grace: NodeJS.Timeout | undefined;
    await Promise.race([this.running, new Promise<void>((resolve) => (grace = setTimeout(resolve, graceMs)))]);
    clearTimeout(grace);
  }

  private wake(afterMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.kick();
    }, Math.max(0, afterMs));
    this.timer.unref();
  }

  private async drain(): Promise<void> {
    const { store, channel, log } = this.o;
    try {
      while (!this.stopped) {
        const entry = store.head(channel);
        if (!entry) return;
        const waitMs = entry.nextAttemptMs - this.o.now();
        if (waitMs > 0) return this.wake(waitMs);
        await this.attempt(entry);
      }
    } catch (err) {
      log.error(`alerts (${channel}): cannot read or update the outbox, retrying in ${STORE_RETRY_MS / 1000} s: ${err instanceof Error ? err.message : String(err)}`);
      this.wake(STORE_RETRY_MS);
    }
  }

  private async attempt(entry: OutboxEntry): Promise<void> {
    const { store, channel, log, counters } = this.o;
    let outcome: { undeliverable: string } | void;
    try {
      outcome = await this.o.deliver(entry);
    } catch (err) {
      counters.failed++;
      const message = err instanceof Error ? err.message : String(err);
      const now = this.o.now();
      if (now - entry.createdMs >= MAX_AGE_MS) {
        store.remove(entry.id);
        counters.dropped++;
        log.error(`alerts (${channel}): gave up on the event for ${entry.devid} after ${entry.attempts + 1} attempts over ${Math.round((now - entry.createdMs) / 3_600_000)} h: ${message}`);
        return;
      }
      const delay = Math.min(this.o.retryMs() * 2 ** Math.min(entry.attempts, 30), MAX_BACKOFF_MS);
      store.retryAt(entry.id, now + delay, message);
      log.warning(`alerts (${channel}): delivery for ${entry.devid} failed (attempt ${entry.attempts + 1}), retrying in ${delay < 10_000 ? `${delay} ms` : `${Math.round(delay / 1000)} s`}: ${message}`);
      return;
    }
    store.remove(entry.id);
    if (outcome) {
      counters.dropped++;
      log.warning(`alerts (${channel}): dropped the event for ${entry.devid}: ${outcome.undeliverable}`);
    } else {
      counters.sent++;
      log.info(`alerts (${channel}): delivered the event for ${entry.devid}`);
    }
  }
}
