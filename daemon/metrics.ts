/**
 * Prometheus text exposition (format 0.0.4) of the daemon's counters. Label values are bounded: ops are the
 * known op names (anything else counts as "unknown"), outcomes are "ok" or an error code.
 */
import { renameSync, writeFileSync } from 'node:fs';
import type { Familiarity } from '../lib/predict/familiarity.js';
import type { FleetAlarm } from '../lib/predict/fleetAlarm.js';

const LATENCY_BUCKETS_S = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export interface Gauges {
  devicesTracked: number;
  dbSizeBytes: number;
  connectionsOpen: number;
  predictionsQueued: number;
  predictionsDropped: number;
  connectionsEvicted: number;
  /** the configured budgets (config names without the `max` prefix) */
  limits: Record<string, number>;
  bufferedRequestBytes: number;
  queuedReplyBytes: number;
  uptimeSeconds: number;
  model: { name: string; version: string };
  /** alert events (docs/alerts.md) */
  alerts: { sent: number; failed: number; dropped: number; pending: number };
}

class Histogram {
  readonly counts = new Array<number>(LATENCY_BUCKETS_S.length).fill(0);
  sum = 0;
  count = 0;

  observe(seconds: number): void {
    this.sum += seconds;
    this.count++;
    const i = LATENCY_BUCKETS_S.findIndex((b) => seconds <= b);
    if (i >= 0) this.counts[i]!++;
  }
}

export class Metrics {
  private readonly requests = new Map<string, number>();
  private readonly latency = new Map<string, Histogram>();
  private readonly predictions = new Map<string, number>();
  private lastCollect: { atS: number; outcomes: Record<string, number> } | undefined;
  /** devid → familiarity of its last recorded prediction (null: the predictor does not know its training drives) */
  private readonly familiarity = new Map<string, Familiarity | null>();
  /** per source (predict_batch, collect): alarms raised, and whether the last pass raised one */
  private readonly fleetAlarms = new Map<string, { total: number; active: boolean }>();

  recordRequest(op: string, outcome: string, seconds: number): void {
    const key = `${op}\u0000${outcome}`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
    let h = this.latency.get(op);
    if (!h) this.latency.set(op, (h = new Histogram()));
    h.observe(seconds);
  }

  recordPrediction(status: string): void {
    this.predictions.set(status, (this.predictions.get(status) ?? 0) + 1);
  }

  /**
   * Familiarity of a device's newest recorded prediction. Kept in memory (the store's schema has no column for
   * it): the counts cover devices predicted since the daemon started (also those retention has since removed),
   * at most MAX_FAMILIARITY_DEVICES of them, the least recently predicted forgotten first.
   */
  recordFamiliarity(devid: string, familiarity: Familiarity | null): void {
    this.familiarity.delete(devid);
    this.familiarity.set(devid, familiarity);
    if (this.familiarity.size > MAX_FAMILIARITY_DEVICES) this.familiarity.delete(this.familiarity.keys().next().value!);
  }

  /** Devices by the familiarity of their last prediction; "unknown": the predictor names no training drives. */
  familiarityCounts(): Record<Familiarity | 'unknown', number> {
    const counts: Record<Familiarity | 'unknown', number> = { model: 0, family: 0, vendor: 0, none: 0, unknown: 0 };
    for (const f of this.familiarity.values()) counts[f ?? 'unknown']++;
    return counts;
  }

  recordFleetPass(source: 'predict_batch' | 'collect', alarm: FleetAlarm | null): void {
    const s = this.fleetAlarms.get(source) ?? { total: 0, active: false };
    s.active = alarm !== null;
    if (alarm) s.total++;
    this.fleetAlarms.set(source, s);
  }

  /** `--collect-interval`: devices of the last pass by outcome (stored, standby, no-data, error). */
  recordCollectPass(atS: number, outcomes: Record<string, number>): void {
    this.lastCollect = { atS, outcomes };
  }

  render(g: Gauges): string {
    const out: string[] = [];
    out.push('# HELP diskpredict_requests_total Requests handled, by op and outcome (ok or error code).');
    out.push('# TYPE diskpredict_requests_total counter');
    for (const [key, n] of [...this.requests].sort()) {
      const [op, outcome] = key.split('\u0000') as [string, string];
      out.push(`diskpredict_requests_total{op="${escapeLabelValue(op)}",outcome="${escapeLabelValue(outcome)}"} ${n}`);
    }
    out.push('# HELP diskpredict_request_duration_seconds Time from a complete request to its reply being queued.');
    out.push('# TYPE diskpredict_request_duration_seconds histogram');
    for (const [op, h] of [...this.latency].sort(([a], [b]) => a.localeCompare(b))) {
      let cumulative = 0;
      LATENCY_BUCKETS_S.forEach((b, i) => {
        cumulative += h.counts[i]!;
        out.push(`diskpredict_request_duration_seconds_bucket{op="${escapeLabelValue(op)}",le="${b}"} ${cumulative}`);
      });
      out.push(`diskpredict_request_duration_seconds_bucket{op="${escapeLabelValue(op)}",le="+Inf"} ${h.count}`);
      out.push(`diskpredict_request_duration_seconds_sum{op="${escapeLabelValue(op)}"} ${h.sum}`);
      out.push(`diskpredict_request_duration_seconds_count{op="${escapeLabelValue(op)}"} ${h.count}`);
    }
    out.push('# HELP diskpredict_predictions_total Predictions made, by status.');
    out.push('# TYPE diskpredict_predictions_total counter');
    for (const [status, n] of [...this.predictions].sort()) out.push(`diskpredict_predictions_total{status="${escapeLabelValue(status)}"} ${n}`);
    gauge(out, 'diskpredict_devices_tracked', 'Devices in the store.', g.devicesTracked);
    gauge(out, 'diskpredict_db_size_bytes', 'Database file size including the WAL.', g.dbSizeBytes);
    gauge(out, 'diskpredict_connections_open', 'Client connections open now.', g.connectionsOpen);
    gauge(out, 'diskpredict_predictions_queued', 'Predictions made but not yet written to the database.', g.predictionsQueued);
    out.push('# HELP diskpredict_predictions_dropped_total Predictions never written (the database refused writes while the queue was full).');
    out.push('# TYPE diskpredict_predictions_dropped_total counter');
    out.push(`diskpredict_predictions_dropped_total ${g.predictionsDropped}`);
    out.push('# HELP diskpredict_connections_evicted_total Connections cut for leaving replies unread while the daemon was over maxQueuedReplyBytes.');
    out.push('# TYPE diskpredict_connections_evicted_total counter');
    out.push(`diskpredict_connections_evicted_total ${g.connectionsEvicted}`);
    gauge(out, 'diskpredict_buffered_request_bytes', 'Bytes of requests still arriving, all connections.', g.bufferedRequestBytes);
    gauge(out, 'diskpredict_queued_reply_bytes', 'Reply bytes not yet taken by clients, all connections.', g.queuedReplyBytes);
    out.push('# HELP diskpredict_limit The configured budgets (config setting max<Name>).');
    out.push('# TYPE diskpredict_limit gauge');
    for (const [name, value] of Object.entries(g.limits)) out.push(`diskpredict_limit{name="${escapeLabelValue(name)}"} ${value}`);
    gauge(out, 'diskpredict_uptime_seconds', 'Seconds since the daemon started.', g.uptimeSeconds);
    const memory = process.memoryUsage();
    gauge(out, 'diskpredict_resident_memory_bytes', 'Resident set size of the daemon process.', memory.rss);
    gauge(out, 'diskpredict_heap_used_bytes', 'V8 heap in use.', memory.heapUsed);
    gauge(out, 'diskpredict_heap_total_bytes', 'V8 heap reserved.', memory.heapTotal);
    gauge(out, 'diskpredict_external_memory_bytes', 'Memory outside the V8 heap held by JavaScript objects (Buffers included).', memory.external);
    gauge(out, 'diskpredict_array_buffers_bytes', 'Buffers and ArrayBuffers (part of the external memory).', memory.arrayBuffers);
    if (this.lastCollect) {
      out.push('# HELP diskpredict_collect_devices Devices in the last collection pass, by outcome (standby: skipped, not woken).');
      out.push('# TYPE diskpredict_collect_devices gauge');
      for (const outcome of ['stored', 'standby', 'no-data', 'error']) {
        out.push(`diskpredict_collect_devices{outcome="${outcome}"} ${this.lastCollect.outcomes[outcome] ?? 0}`);
      }
      gauge(out, 'diskpredict_collect_last_pass_timestamp_seconds', 'When the last collection pass started (Unix seconds).', this.lastCollect.atS);
    }
    out.push('# HELP diskpredict_alerts_total Alert deliveries: sent, failed (attempts; each is retried) and dropped (never delivered).');
    out.push('# TYPE diskpredict_alerts_total counter');
    for (const outcome of ['sent', 'failed', 'dropped'] as const) out.push(`diskpredict_alerts_total{outcome="${outcome}"} ${g.alerts[outcome]}`);
    gauge(out, 'diskpredict_alerts_pending', 'Alert deliveries queued and not yet made.', g.alerts.pending);
    out.push('# HELP diskpredict_devices_by_familiarity Devices predicted since start, by whether their last prediction\'s model was trained on their model, family or vendor (unknown: the model names no training drives).');
    out.push('# TYPE diskpredict_devices_by_familiarity gauge');
    for (const [familiarity, n] of Object.entries(this.familiarityCounts())) out.push(`diskpredict_devices_by_familiarity{familiarity="${familiarity}"} ${n}`);
    if (this.fleetAlarms.size > 0) {
      out.push('# HELP diskpredict_fleet_alarms_total Passes that raised the fleet alarm (too large a share of devices Bad at once), by source.');
      out.push('# TYPE diskpredict_fleet_alarms_total counter');
      for (const [source, s] of [...this.fleetAlarms].sort()) out.push(`diskpredict_fleet_alarms_total{source="${source}"} ${s.total}`);
      out.push('# HELP diskpredict_fleet_alarm_active 1 if the last pass of this source raised the fleet alarm.');
      out.push('# TYPE diskpredict_fleet_alarm_active gauge');
      for (const [source, s] of [...this.fleetAlarms].sort()) out.push(`diskpredict_fleet_alarm_active{source="${source}"} ${s.active ? 1 : 0}`);
    }
    out.push('# HELP diskpredict_model_info The default model (value is always 1).');
    out.push('# TYPE diskpredict_model_info gauge');
    out.push(`diskpredict_model_info{name="${escapeLabelValue(g.model.name)}",version="${escapeLabelValue(g.model.version)}"} 1`);
    return out.join('\n') + '\n';
  }
}

/** Familiarity is remembered for at most this many devices (the oldest-predicted is forgotten first). */
const MAX_FAMILIARITY_DEVICES = 100_000;

function gauge(out: string[], name: string, help: string, value: number): void {
  out.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`, `${name} ${value}`);
}

export function escapeLabelValue(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** Writes atomically (temp file + rename) so node_exporter's textfile collector never reads half a file. */
export function writeMetricsFile(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}
