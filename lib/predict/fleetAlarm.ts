/**
 * The fleet alarm budget: when more than a share of a fleet is Bad in one prediction pass, the likely
 * cause is the model (a drive model it was not fitted on, a firmware that reports attributes
 * differently), not a wave of failures. The verdicts are still reported one by one; this says, once,
 * that they should be read with that in mind, and which drive models are involved.
 *
 * The fleet is every distinct device of the pass that got a verdict (Unknown included: it is still a
 * device of the fleet). A device named twice counts once, with its last verdict.
 */
import type { HealthStatus } from './types.js';

export interface FleetVerdict {
  devid: string;
  status: HealthStatus;
  /** the drive's model string; absent: counted under "unknown model" */
  model?: string | undefined;
}

export interface FleetAlarmOptions {
  /** the alarm needs strictly more than this share of the fleet Bad; (0, 1] */
  maxBadShare?: number;
  /** and at least this many Bad devices (a 3-device cluster with one failing disk is not a fleet problem) */
  minDevices?: number;
}

export interface FleetAlarmModel {
  model: string;
  bad: number;
  total: number;
}

export interface FleetAlarm {
  badDevices: number;
  fleetSize: number;
  /** badDevices / fleetSize */
  share: number;
  /** drive models with at least one Bad device, most Bad first (ties: by name) */
  models: FleetAlarmModel[];
}

export const DEFAULT_FLEET_ALARM_SHARE = 0.05;
export const DEFAULT_FLEET_ALARM_MIN_DEVICES = 3;
export const UNKNOWN_DRIVE_MODEL = 'unknown model';

export class FleetAlarmOptionError extends Error {
  override readonly name = 'FleetAlarmOptionError';
}

/** A pass counted: devices, Bad devices, and both per drive model (every model, most Bad first, ties by name). */
export interface FleetTally {
  fleetSize: number;
  badDevices: number;
  models: FleetAlarmModel[];
}

export function fleetTally(verdicts: readonly FleetVerdict[]): FleetTally {
  const byDevice = new Map<string, FleetVerdict>();
  for (const v of verdicts) byDevice.set(v.devid, v);
  const perModel = new Map<string, FleetAlarmModel>();
  let badDevices = 0;
  for (const v of byDevice.values()) {
    const model = v.model?.trim() || UNKNOWN_DRIVE_MODEL;
    let m = perModel.get(model);
    if (!m) perModel.set(model, (m = { model, bad: 0, total: 0 }));
    m.total++;
    if (v.status === 'Bad') {
      m.bad++;
      badDevices++;
    }
  }
  const models = [...perModel.values()].sort((a, b) => b.bad - a.bad || (a.model < b.model ? -1 : a.model > b.model ? 1 : 0));
  return { fleetSize: byDevice.size, badDevices, models };
}

/**
 * The budget applied to a tally (a client that sends one pass in several requests adds their tallies up and
 * applies this rule: the Ceph mgr module does, in Python).
 */
export function fleetAlarmOfTally(tally: FleetTally, options: FleetAlarmOptions = {}): FleetAlarm | null {
  const maxBadShare = options.maxBadShare ?? DEFAULT_FLEET_ALARM_SHARE;
  const minDevices = options.minDevices ?? DEFAULT_FLEET_ALARM_MIN_DEVICES;
  if (!(maxBadShare > 0 && maxBadShare <= 1)) throw new FleetAlarmOptionError(`maxBadShare must be in (0, 1], got ${maxBadShare}`);
  if (!Number.isSafeInteger(minDevices) || minDevices < 1) throw new FleetAlarmOptionError(`minDevices must be a positive integer, got ${minDevices}`);
  const { badDevices, fleetSize } = tally;
  if (badDevices < minDevices || !(badDevices > maxBadShare * fleetSize)) return null;
  return { badDevices, fleetSize, share: badDevices / fleetSize, models: tally.models.filter((m) => m.bad > 0) };
}

export function fleetAlarm(verdicts: readonly FleetVerdict[], options: FleetAlarmOptions = {}): FleetAlarm | null {
  return fleetAlarmOfTally(fleetTally(verdicts), options);
}

/** One line for logs and health checks: "7 of 40 devices (17.5 %) Bad in one pass: ST12000NM0008 6/20, …". */
export function describeFleetAlarm(alarm: FleetAlarm): string {
  const models = alarm.models.map((m) => `${m.model} ${m.bad}/${m.total}`).join(', ');
  return `${alarm.badDevices} of ${alarm.fleetSize} devices (${(alarm.share * 100).toFixed(1)} %) Bad in one pass: ${models} — more likely a model mismatch than a wave of failures; per-device verdicts are still reported`;
}
