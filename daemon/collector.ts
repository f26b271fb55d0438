/**
 * `--collect-interval`: the daemon runs lib/collect's pass on a timer (never two at once), stores each reading
 * through storeSamples (as `ingest` does) and predicts from the stored history with the default model, so the
 * device's verdict is recorded (and shown on /metrics) by the same code as a `predict` request. Each pass is one
 * fleet pass for the fleet alarm budget (daemon/fleetAlarmReply.ts): logged and counted in metrics.
 */
import { collectPass, type CollectSink } from '../lib/collect/collectPass.js';
import type { FleetVerdict } from '../lib/predict/fleetAlarm.js';
import { fleetPassReply } from './fleetAlarmReply.js';
import type { Logger } from './log.js';
import type { DaemonContext } from './ops/context.js';
import { predictOne } from './ops/predict.js';
import { RequestWork } from './requestWork.js';
import { storeSamples } from './storeSamples.js';

/** `verdicts`: each device's verdict is added to it too (the pass's fleet alarm). */
export function contextSink(ctx: DaemonContext, verdicts?: FleetVerdict[]): CollectSink {
  return {
    async ingest(devid, doc) {
      const counts = storeSamples(ctx.store, devid, [doc], ctx.now(), ctx.config.retentionDays);
      const prediction = await predictOne(devid, undefined, ctx.models.defaultModel.predictor, ctx, new RequestWork(ctx), verdicts);
      const status = prediction['status'];
      return { stored: counts.stored, duplicates: counts.duplicates, ...(typeof status === 'string' && { status }) };
    },
  };
}

export class Collector {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly ctx: DaemonContext,
    readonly intervalMs: number,
    private readonly log: Logger,
  ) {}

  /** First pass right away, then one every interval after the previous one ended. */
  start(): void {
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.pass().finally(() => {
        this.running = undefined;
        this.schedule(this.intervalMs);
      });
    }, ms);
    this.timer.unref();
  }

  private async pass(): Promise<void> {
    try {
      const verdicts: FleetVerdict[] = [];
      const report = await collectPass({ sink: contextSink(this.ctx, verdicts) });
      fleetPassReply(verdicts, this.ctx, 'collect');
      const count = (o: string) => report.devices.filter((d) => d.outcome === o).length;
      this.ctx.metrics.recordCollectPass(Math.floor(report.startedAt / 1000), { stored: count('stored'), standby: count('standby'), 'no-data': count('no-data'), error: count('error') });
      this.log.info(`collect: ${report.devices.length} device(s): ${count('stored')} read, ${count('standby')} in standby (skipped), ${count('no-data')} without data, ${count('error')} failed`);
      for (const d of report.devices) {
        if (d.outcome === 'error' || d.outcome === 'no-data') this.log.warning(`collect: ${d.device}: ${d.message}`);
      }
    } catch (err) {
      this.log.error(`collect: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
