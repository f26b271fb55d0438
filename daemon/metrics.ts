/**
 * Prometheus text exposition (format 0.0.4) of the daemon's counters. Label values are bounded: ops are the
 * known op names (anything else counts as "unknown"), outcomes are "ok" or an error code.
 */
import { renameSync, writeFileSync } from 'node:fs';

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
    out.push('# HELP diskpredict_model_info The default model (value is always 1).');
    out.push('# TYPE diskpredict_model_info gauge');
    out.push(`diskpredict_model_info{name="${escapeLabelValue(g.model.name)}",version="${escapeLabelValue(g.model.version)}"} 1`);
    return out.join('\n') + '\n';
  }
}

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
