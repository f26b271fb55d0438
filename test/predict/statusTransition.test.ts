/** The alert rule: which verdict sequences raise which events (docs/alerts.md, "When an alert is raised"). */
import { describe, expect, it } from 'vitest';
import { statusTransition, type AlertState, type StatusEventKind } from '../../lib/predict/statusTransition.js';
import type { HealthStatus } from '../../lib/predict/types.js';

const HOUR = 3_600_000;

/** Feeds verdicts one hour apart; returns the events raised (kind:status). */
function run(verdicts: HealthStatus[], remindAfterMs = 0, start?: AlertState): string[] {
  let state = start;
  const events: string[] = [];
  verdicts.forEach((status, i) => {
    const t = statusTransition(state, status, i * HOUR, remindAfterMs);
    if (t.event) events.push(`${t.event.kind}:${t.event.previous ?? '-'}->${t.event.status}`);
    state = t.state;
  });
  return events;
}

describe('statusTransition', () => {
  it.each<[string, HealthStatus[], string[]]>([
    ['first verdict Good is the baseline', ['Good'], []],
    ['first verdict Warning alerts', ['Warning'], ['degraded:-->Warning']],
    ['first verdict Bad alerts (Unknown -> Bad)', ['Bad'], ['degraded:-->Bad']],
    ['Unknown first, then Bad', ['Unknown', 'Unknown', 'Bad'], ['degraded:-->Bad']],
    ['Good -> Warning', ['Good', 'Warning'], ['degraded:Good->Warning']],
    ['Good -> Bad', ['Good', 'Bad'], ['degraded:Good->Bad']],
    ['Warning -> Bad', ['Good', 'Warning', 'Bad'], ['degraded:Good->Warning', 'degraded:Warning->Bad']],
    ['Bad -> Good is a recovery', ['Good', 'Bad', 'Good'], ['degraded:Good->Bad', 'recovered:Bad->Good']],
    ['Warning -> Good is a recovery', ['Good', 'Warning', 'Good'], ['degraded:Good->Warning', 'recovered:Warning->Good']],
    ['Bad -> Warning is an improvement', ['Bad', 'Warning'], ['degraded:-->Bad', 'improved:Bad->Warning']],
    ['one alert per transition, however many verdicts', ['Good', 'Bad', 'Bad', 'Bad', 'Bad'], ['degraded:Good->Bad']],
    ['Good -> Unknown -> Good says nothing', ['Good', 'Unknown', 'Good'], []],
    ['Good -> Unknown -> Bad is Good -> Bad', ['Good', 'Unknown', 'Bad'], ['degraded:Good->Bad']],
    ['Bad -> Unknown -> Bad says nothing more', ['Bad', 'Unknown', 'Bad'], ['degraded:-->Bad']],
    ['Bad -> Unknown -> Good is a recovery from Bad', ['Bad', 'Unknown', 'Good'], ['degraded:-->Bad', 'recovered:Bad->Good']],
    ['never anything for Unknown alone', ['Unknown', 'Unknown'], []],
  ])('%s', (_name, verdicts, events) => {
    expect(run(verdicts)).toEqual(events);
  });

  it('reminds at most every remindAfter while Bad, counting from the last alert', () => {
    // verdicts an hour apart, reminders every 3 hours: alert at 0, reminders at 3 and 6
    expect(run(['Bad', 'Bad', 'Bad', 'Bad', 'Bad', 'Bad', 'Bad'], 3 * HOUR)).toEqual([
      'degraded:-->Bad',
      'reminder:Bad->Bad',
      'reminder:Bad->Bad',
    ]);
  });

  it('never reminds with remindAfter 0, nor while Warning', () => {
    expect(run(['Bad', 'Bad', 'Bad', 'Bad'], 0)).toEqual(['degraded:-->Bad']);
    expect(run(['Warning', 'Warning', 'Warning', 'Warning'], HOUR)).toEqual(['degraded:-->Warning']);
  });

  it('an Unknown in between does not reset the reminder clock', () => {
    expect(run(['Bad', 'Unknown', 'Unknown', 'Bad'], 2 * HOUR)).toEqual(['degraded:-->Bad', 'reminder:Bad->Bad']);
  });

  it('a reminder keeps the time the Bad status began; a state saved before is honoured (restart)', () => {
    const saved: AlertState = { status: 'Bad', sinceMs: 0, lastAlertMs: 5 * HOUR };
    expect(statusTransition(saved, 'Bad', 6 * HOUR, 2 * HOUR)).toEqual({ state: saved, changed: false, event: null });
    const t = statusTransition(saved, 'Bad', 7 * HOUR, 2 * HOUR);
    expect(t.event).toEqual({ kind: 'reminder' satisfies StatusEventKind, status: 'Bad', previous: 'Bad', sinceMs: 0 });
    expect(t.state).toEqual({ status: 'Bad', sinceMs: 0, lastAlertMs: 7 * HOUR });
  });

  it('a clock that went back raises no reminder', () => {
    const saved: AlertState = { status: 'Bad', sinceMs: 10 * HOUR, lastAlertMs: 10 * HOUR };
    expect(statusTransition(saved, 'Bad', 0, HOUR).event).toBeNull();
  });

  it('marks only real changes as to be saved', () => {
    const good: AlertState = { status: 'Good', sinceMs: 0, lastAlertMs: null };
    expect(statusTransition(good, 'Good', HOUR, HOUR).changed).toBe(false);
    expect(statusTransition(good, 'Unknown', HOUR, HOUR)).toEqual({ state: good, changed: false, event: null });
    expect(statusTransition(undefined, 'Unknown', HOUR, HOUR)).toEqual({ state: undefined, changed: false, event: null });
    expect(statusTransition(undefined, 'Good', HOUR, HOUR)).toEqual({ state: { status: 'Good', sinceMs: HOUR, lastAlertMs: null }, changed: true, event: null });
  });
});
