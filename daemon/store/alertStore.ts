/**
 * The alert tables (schema migration 2): each device's last known status, and the outbox of events not yet
 * delivered. A state change and its events are written in one synced transaction, so after a crash either both
 * are there (the events get delivered) or neither (the next verdict raises the event again).
 */
import type Database from 'better-sqlite3';
import type { AlertState, KnownStatus } from '../../lib/predict/statusTransition.js';

export type AlertChannel = 'command' | 'webhook';

export interface OutboxEntry {
  id: number;
  channel: AlertChannel;
  devid: string;
  /** the event JSON */
  event: string;
  createdMs: number;
  attempts: number;
  nextAttemptMs: number;
}

export interface NewOutboxEntry {
  channel: AlertChannel;
  devid: string;
  event: string;
}

export interface AlertWrite {
  devid: string;
  state: AlertState;
  /** events for this change, one per configured channel */
  outbox: NewOutboxEntry[];
}

const OUTBOX_COLUMNS = 'id, channel, devid, event, created_ms AS createdMs, attempts, next_attempt_ms AS nextAttemptMs';

function prepareStatements(db: Database.Database) {
  return {
    states: db.prepare('SELECT devid, status, since_ms AS sinceMs, last_alert_ms AS lastAlertMs FROM alert_state'),
    upsertState: db.prepare(
      'INSERT INTO alert_state (devid, status, since_ms, last_alert_ms) VALUES (?, ?, ?, ?) ON CONFLICT(devid) DO UPDATE SET status = excluded.status, since_ms = excluded.since_ms, last_alert_ms = excluded.last_alert_ms',
    ),
    insertOutbox: db.prepare('INSERT INTO alert_outbox (channel, devid, event, created_ms, next_attempt_ms) VALUES (?, ?, ?, ?, ?)'),
    head: db.prepare(`SELECT ${OUTBOX_COLUMNS} FROM alert_outbox WHERE channel = ? ORDER BY id LIMIT 1`),
    countChannel: db.prepare('SELECT count(*) AS n FROM alert_outbox WHERE channel = ?'),
    count: db.prepare('SELECT count(*) AS n FROM alert_outbox'),
    deleteOldest: db.prepare('DELETE FROM alert_outbox WHERE id IN (SELECT id FROM alert_outbox WHERE channel = ? ORDER BY id LIMIT ?)'),
    deleteOne: db.prepare('DELETE FROM alert_outbox WHERE id = ?'),
    retryLater: db.prepare('UPDATE alert_outbox SET attempts = attempts + 1, next_attempt_ms = ?, last_error = ? WHERE id = ?'),
  };
}

export class AlertStore {
  private readonly stmts: ReturnType<typeof prepareStatements>;

  constructor(private readonly db: Database.Database) {
    this.stmts = prepareStatements(db);
  }

  /** Every device's alert state, for the daemon to hold in memory. */
  states(): Map<string, AlertState> {
    const rows = this.stmts.states.all() as { devid: string; status: KnownStatus; sinceMs: number; lastAlertMs: number | null }[];
    return new Map(rows.map((r) => [r.devid, { status: r.status, sinceMs: r.sinceMs, lastAlertMs: r.lastAlertMs }]));
  }

  /**
   * Saves state changes and queues their events in one transaction (committed, and synced when it holds events).
   * Each channel keeps at most `maxQueued` entries: the oldest go first. Returns how many were dropped.
   */
  save(writes: readonly AlertWrite[], nowMs: number, maxQueued: number): number {
    // Only events must survive a crash. A state change alone (a first Good verdict, a transition with no channel
    // configured) is committed without waiting for the disk, as predictions are: the next verdict would redo it,
    // and a synced commit stalls every request behind it.
    const durable = writes.some((w) => w.outbox.length > 0);
    if (!durable) this.db.pragma('synchronous = NORMAL');
    try {
      return this.saveInTransaction(writes, nowMs, maxQueued);
    } finally {
      if (!durable) this.db.pragma('synchronous = FULL');
    }
  }

  private saveInTransaction(writes: readonly AlertWrite[], nowMs: number, maxQueued: number): number {
    return this.db.transaction(() => {
      const channels = new Set<AlertChannel>();
      for (const w of writes) {
        this.stmts.upsertState.run(w.devid, w.state.status, w.state.sinceMs, w.state.lastAlertMs);
        for (const o of w.outbox) {
          this.stmts.insertOutbox.run(o.channel, o.devid, o.event, nowMs, nowMs);
          channels.add(o.channel);
        }
      }
      let dropped = 0;
      for (const channel of channels) {
        const excess = (this.stmts.countChannel.get(channel) as { n: number }).n - maxQueued;
        if (excess > 0) dropped += this.stmts.deleteOldest.run(channel, excess).changes;
      }
      return dropped;
    })();
  }

  /** The oldest undelivered entry of a channel (delivered in order). */
  head(channel: AlertChannel): OutboxEntry | undefined {
    return this.stmts.head.get(channel) as OutboxEntry | undefined;
  }

  /** Delivered, or given up. */
  remove(id: number): void {
    this.stmts.deleteOne.run(id);
  }

  retryAt(id: number, nextAttemptMs: number, error: string): void {
    this.stmts.retryLater.run(nextAttemptMs, error, id);
  }

  pending(): number {
    return (this.stmts.count.get() as { n: number }).n;
  }
}
