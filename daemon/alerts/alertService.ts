/**
 * Alerts on status changes, wired between the predictions and the outbox: `observe` is called with every
 * default-model verdict for a named device and never throws or waits; the state change and its events are saved
 * right after the reply (setImmediate), then delivered by one OutboxWorker per channel.
 */
import type { HealthStatus } from '../../lib/predict/types.js';
import { statusTransition, type AlertState } from '../../lib/predict/statusTransition.js';
import type { DaemonConfig } from '../config.js';
import type { Logger } from '../log.js';
import type { Reply } from '../protocol/types.js';
import type { AlertChannel, AlertStore, AlertWrite, OutboxEntry } from '../store/alertStore.js';
import { alertEventEnv, alertEventJson } from './alertEvent.js';
import { OutboxWorker, type AlertCounters } from './outboxWorker.js';
import { postWebhook } from './postWebhook.js';
import { runAlertCommand } from './runAlertCommand.js';

const HOUR_MS = 3_600_000;
/** After a failed save (disk full): try again this much later; the changes wait in memory. */
const SAVE_RETRY_MS = 5_000;

export interface AlertCounts extends AlertCounters {
  /** events queued (saved or about to be) and not yet delivered */
  pending: number;
}

export interface AlertServiceOptions {
  store: AlertStore;
  config(): DaemonConfig;
  now(): number;
  log: Logger;
  userAgent: string;
}

export class AlertService {
  private readonly states: Map<string, AlertState>;
  private unsaved: AlertWrite[] = [];
  private saveScheduled: { cancel(): void } | undefined;
  private readonly counters: AlertCounters = { sent: 0, failed: 0, dropped: 0 };
  private readonly workers: Record<AlertChannel, OutboxWorker>;

  constructor(private readonly o: AlertServiceOptions) {
    this.states = o.store.states();
    const worker = (channel: AlertChannel) =>
      new OutboxWorker({
        channel,
        store: o.store,
        deliver: (entry) => this.deliver(channel, entry),
        now: o.now,
        retryMs: () => o.config().alertRetryMs,
        counters: this.counters,
        log: o.log,
      });
    this.workers = { command: worker('command'), webhook: worker('webhook') };
  }

  /** Delivers what an earlier run left in the outbox. */
  start(): void {
    this.workers.command.kick();
    this.workers.webhook.kick();
  }

  /** A verdict for `devid`; `prediction` is the reply's prediction object (carried in the event). */
  observe(devid: string, status: HealthStatus, prediction: Reply): void {
    try {
      const config = this.o.config();
      const nowMs = this.o.now();
      const t = statusTransition(this.states.get(devid), status, nowMs, config.remindAfterHours * HOUR_MS);
      if (!t.changed || t.state === undefined) return;
      this.states.set(devid, t.state);
      const write: AlertWrite = { devid, state: t.state, outbox: [] };
      if (t.event) {
        const event = alertEventJson(devid, t.event, prediction, nowMs);
        if (config.onChange !== undefined) write.outbox.push({ channel: 'command', devid, event });
        if (config.webhook !== undefined) write.outbox.push({ channel: 'webhook', devid, event });
        const from = t.event.previous ?? 'nothing known';
        this.o.log.notice(`alert: ${devid} ${t.event.kind === 'reminder' ? `still ${status}` : `${from} -> ${status}`} (${t.event.kind}${write.outbox.length ? '' : '; no --on-change or --webhook configured'})`);
      }
      this.unsaved.push(write);
      this.scheduleSave(0);
    } catch (err) {
      // Alerts must never fail a prediction.
      this.o.log.error(`alerts: ${devid}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  counts(): AlertCounts {
    let pending = 0;
    try {
      pending = this.o.store.pending();
    } catch {
      // a failing database is reported by `health`; the count then shows what is in memory only
    }
    for (const w of this.unsaved) pending += w.outbox.length;
    return { ...this.counters, pending };
  }

  /** Saves what is unsaved and lets an attempt under way finish (up to `graceMs`); nothing new starts. */
  async stop(graceMs: number): Promise<void> {
    this.saveScheduled?.cancel();
    this.saveScheduled = undefined;
    this.save(false);
    await Promise.all([this.workers.command.stop(graceMs), this.workers.webhook.stop(graceMs)]);
  }

  private scheduleSave(afterMs: number): void {
    if (this.saveScheduled) return;
    const run = () => {
      this.saveScheduled = undefined;
      this.save(true);
    };
    // After the reply: the synced commit is not on the request's path.
    if (afterMs === 0) {
      const immediate = setImmediate(run);
      this.saveScheduled = { cancel: () => clearImmediate(immediate) };
    } else {
      const timer = setTimeout(run, afterMs).unref();
      this.saveScheduled = { cancel: () => clearTimeout(timer) };
    }
  }

  private save(retry: boolean): void {
    if (!this.unsaved.length) return;
    const writes = this.unsaved;
    this.unsaved = [];
    try {
      const dropped = this.o.store.save(writes, this.o.now(), this.o.config().maxAlertQueue);
      if (dropped) {
        this.counters.dropped += dropped;
        this.o.log.warning(`alerts: ${dropped} undelivered event(s) dropped, the oldest (maxAlertQueue ${this.o.config().maxAlertQueue})`);
      }
    } catch (err) {
      this.unsaved = [...writes, ...this.unsaved];
      this.o.log.error(`alerts: cannot save ${writes.length} alert state change(s)${retry ? `, retrying in ${SAVE_RETRY_MS / 1000} s` : ''}: ${err instanceof Error ? err.message : String(err)}`);
      if (retry) this.scheduleSave(SAVE_RETRY_MS);
      return;
    }
    for (const w of writes) for (const entry of w.outbox) this.workers[entry.channel].kick();
  }

  private async deliver(channel: AlertChannel, entry: OutboxEntry): Promise<{ undeliverable: string } | void> {
    const config = this.o.config();
    if (channel === 'command') {
      if (config.onChange === undefined) return { undeliverable: 'onChange is no longer configured' };
      await runAlertCommand({ command: config.onChange, stdin: entry.event, env: alertEventEnv(entry.event), timeoutMs: config.alertTimeoutMs });
      return;
    }
    if (config.webhook === undefined) return { undeliverable: 'webhook is no longer configured' };
    await postWebhook({ url: config.webhook, body: entry.event, timeoutMs: config.alertTimeoutMs, userAgent: this.o.userAgent });
  }
}
