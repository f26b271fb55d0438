/**
 * The fleet alarm budget applied to one pass (a predict_batch, a collection pass): counted in metrics, logged
 * once, and returned in the protocol's form (docs/protocol.md, "Fleet alarm"), or null.
 */
import { describeFleetAlarm, fleetAlarm, type FleetVerdict } from '../lib/predict/fleetAlarm.js';
import type { DaemonContext } from './ops/context.js';
import type { Reply } from './protocol/types.js';

export function fleetAlarmOf(verdicts: readonly FleetVerdict[], ctx: DaemonContext, source: 'predict_batch' | 'collect'): Reply | null {
  const maxShare = ctx.config.fleetAlarmShare;
  const minDevices = ctx.config.fleetAlarmMinDevices;
  const alarm = fleetAlarm(verdicts, { maxBadShare: maxShare, minDevices });
  ctx.metrics.recordFleetPass(source, alarm);
  if (!alarm) return null;
  const message = describeFleetAlarm(alarm);
  ctx.log.warning(`fleet alarm (${source}): ${message}`);
  return {
    bad_devices: alarm.badDevices,
    fleet_size: alarm.fleetSize,
    share: alarm.share,
    max_share: maxShare,
    min_devices: minDevices,
    models: alarm.models.map((m) => ({ model: m.model, bad: m.bad, total: m.total })),
    message,
  };
}
