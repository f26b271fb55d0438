/**
 * The fleet alarm budget applied to one pass (a predict_batch, a collection pass): counted in metrics, logged
 * once, and returned in the protocol's form (docs/protocol.md, "Fleet alarm"): the pass's tally, which a client
 * sending one pass in several requests adds up (the mgr module does), and the alarm or null.
 */
import { describeFleetAlarm, fleetAlarmOfTally, fleetTally, type FleetVerdict } from '../lib/predict/fleetAlarm.js';
import type { DaemonContext } from './ops/context.js';
import type { Reply } from './protocol/types.js';

export function fleetPassReply(verdicts: readonly FleetVerdict[], ctx: DaemonContext, source: 'predict_batch' | 'collect'): { fleet: Reply; fleet_alarm: Reply | null } {
  const maxShare = ctx.config.fleetAlarmShare;
  const minDevices = ctx.config.fleetAlarmMinDevices;
  const tally = fleetTally(verdicts);
  const alarm = fleetAlarmOfTally(tally, { maxBadShare: maxShare, minDevices });
  ctx.metrics.recordFleetPass(source, alarm);
  const fleet: Reply = {
    devices: tally.fleetSize,
    bad: tally.badDevices,
    models: tally.models.map((m) => ({ model: m.model, bad: m.bad, total: m.total })),
  };
  if (!alarm) return { fleet, fleet_alarm: null };
  const message = describeFleetAlarm(alarm);
  ctx.log.warning(`fleet alarm (${source}): ${message}`);
  return {
    fleet,
    fleet_alarm: {
      bad_devices: alarm.badDevices,
      fleet_size: alarm.fleetSize,
      share: alarm.share,
      max_share: maxShare,
      min_devices: minDevices,
      models: alarm.models.map((m) => ({ model: m.model, bad: m.bad, total: m.total })),
      message,
    },
  };
}
