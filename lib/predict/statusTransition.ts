/**
 * When a device's verdict deserves an alert: the previous alert state, the new verdict and the time in, an event
 * (or none) and the next state out. Pure: the daemon persists the state and delivers the events.
 *
 * `Unknown` is no verdict, so it never changes the state: Good → Unknown → Good says nothing, Good → Unknown →
 * Bad is Good → Bad, and a device whose first verdict is Bad (nothing known before) alerts like Unknown → Bad.
 */
import type { HealthStatus } from './types.js';

export type KnownStatus = Exclude<HealthStatus, 'Unknown'>;

/**
 * - `degraded`: worse than before (Good → Warning/Bad, Warning → Bad), or a first verdict of Warning or Bad;
 * - `improved`: Bad → Warning;
 * - `recovered`: Warning or Bad → Good;
 * - `reminder`: still Bad, and the last alert is at least the reminder interval old.
 */
export type StatusEventKind = 'degraded' | 'improved' | 'recovered' | 'reminder';

export interface AlertState {
  /** the last known (not Unknown) status */
  status: KnownStatus;
  /** when that status began, Unix ms */
  sinceMs: number;
  /** when an event was last raised for this device, Unix ms; null if never */
  lastAlertMs: number | null;
}

export interface StatusEvent {
  kind: StatusEventKind;
  status: KnownStatus;
  /** the last known status before this one; null when the device had none */
  previous: KnownStatus | null;
  /** when the current status began, Unix ms */
  sinceMs: number;
}

export interface StatusTransition {
  /** the state to keep (the previous one, unchanged, when nothing happened) */
  state: AlertState | undefined;
  /** whether `state` differs from the previous state (and must be saved) */
  changed: boolean;
  event: StatusEvent | null;
}

const SEVERITY: Record<KnownStatus, number> = { Good: 0, Warning: 1, Bad: 2 };

/** `remindAfterMs` 0: no reminders. */
export function statusTransition(previous: AlertState | undefined, status: HealthStatus, nowMs: number, remindAfterMs: number): StatusTransition {
  if (status === 'Unknown') return { state: previous, changed: false, event: null };
  if (previous === undefined) {
    // A healthy first verdict is the baseline, not news.
    if (status === 'Good') return { state: { status, sinceMs: nowMs, lastAlertMs: null }, changed: true, event: null };
    return { state: { status, sinceMs: nowMs, lastAlertMs: nowMs }, changed: true, event: { kind: 'degraded', status, previous: null, sinceMs: nowMs } };
  }
  if (previous.status === status) {
    if (status !== 'Bad' || remindAfterMs <= 0) return { state: previous, changed: false, event: null };
    const last = previous.lastAlertMs ?? previous.sinceMs;
    if (nowMs - last < remindAfterMs) return { state: previous, changed: false, event: null };
    return {
      state: { ...previous, lastAlertMs: nowMs },
      changed: true,
      event: { kind: 'reminder', status, previous: status, sinceMs: previous.sinceMs },
    };
  }
  const kind: StatusEventKind = SEVERITY[status] > SEVERITY[previous.status] ? 'degraded' : status === 'Good' ? 'recovered' : 'improved';
  return {
    state: { status, sinceMs: nowMs, lastAlertMs: nowMs },
    changed: true,
    event: { kind, status, previous: previous.status, sinceMs: nowMs },
  };
}
