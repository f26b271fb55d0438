/**
 * Which overrides apply to a device history at a time: an entry matches by device when its key equals the
 * history's devid, or the newest sample's serial or WWN (case and surrounding space ignored; a WWN also without
 * `0x`, spaces or colons); by model when it equals the newest sample's model (case and surrounding space
 * ignored). An entry past its `expires` never applies.
 */
import { historyDeviceId } from '../../smart/deviceId.js';
import type { DeviceHistory, DeviceIdentity } from '../../smart/types.js';
import type { Override } from './types.js';

const norm = (s: string): string => s.trim().toLowerCase();
const wwnKey = (s: string): string => norm(s).replace(/^0x/, '').replace(/[\s:-]/g, '');

function newestIdentity(history: DeviceHistory): DeviceIdentity | undefined {
  let newest: DeviceIdentity | undefined;
  let time = -Infinity;
  for (const s of history.samples) if (s.time >= time) [newest, time] = [s.device, s.time];
  return newest;
}

export function isExpired(o: Override, now: number): boolean {
  return o.expiresAt !== undefined && o.expiresAt <= now;
}

function deviceMatches(key: string, history: DeviceHistory, identity = newestIdentity(history)): boolean {
  const k = norm(key);
  const devid = historyDeviceId(history);
  if (devid !== undefined && norm(devid) === k) return true;
  if (identity?.serial !== undefined && norm(identity.serial) === k) return true;
  return identity?.wwn !== undefined && wwnKey(identity.wwn) === wwnKey(key);
}

/** The overrides that apply to `history` at `now` (ms), in file order. */
export function matchOverrides(history: DeviceHistory, overrides: readonly Override[], now: number): Override[] {
  if (overrides.length === 0) return [];
  const identity = newestIdentity(history);
  const model = identity?.model === undefined ? undefined : norm(identity.model);
  return overrides.filter((o) => {
    if (isExpired(o, now)) return false;
    if ('device' in o.scope) return deviceMatches(o.scope.device, history, identity);
    return model !== undefined && norm(o.scope.model) === model;
  });
}
