/**
 * Per-device series for /metrics, from the store's last prediction of each device: one series per device and
 * metric, labelled by devid (the store bounds the count; retention removes devices no longer seen). A null
 * p14/p42 (the rule scorer has no probability) or an open-ended life expectancy leaves its sample out.
 */
import { lifeExpectancyFor } from '../lib/predict/lifeExpectancy.js';
import type { HealthStatus } from '../lib/predict/types.js';
import { escapeLabelValue } from './metrics.js';
import type { DeviceSummary } from './store/store.js';

/** Numeric status for alert rules (`>= 1`: Warning or Bad); Unknown is -1, so it never trips such a rule. */
export const STATUS_VALUES: Record<string, number> = { Good: 0, Warning: 1, Bad: 2, Unknown: -1 };

export function renderDeviceMetrics(devices: readonly DeviceSummary[]): string {
  const status: string[] = [];
  const info: string[] = [];
  const failure: string[] = [];
  const lifeMin: string[] = [];
  const lifeMax: string[] = [];
  const predicted: string[] = [];
  const lastSample: string[] = [];
  for (const d of devices) {
    const devid = `devid="${escapeLabelValue(d.devid)}"`;
    if (d.lastSample !== null) lastSample.push(`diskpredict_device_last_sample_timestamp_seconds{${devid}} ${d.lastSample}`);
    const p = d.lastPrediction;
    if (p === null) continue;
    status.push(`diskpredict_device_status{${devid}} ${STATUS_VALUES[p.status] ?? -1}`);
    info.push(`diskpredict_device_prediction_info{${devid},status="${escapeLabelValue(p.status)}",model="${escapeLabelValue(p.model)}",model_version="${escapeLabelValue(p.modelVersion)}"} 1`);
    if (p.p14 !== null) failure.push(`diskpredict_device_failure_probability{${devid},within_days="14"} ${p.p14}`);
    if (p.p42 !== null) failure.push(`diskpredict_device_failure_probability{${devid},within_days="42"} ${p.p42}`);
    const life = lifeExpectancyFor(p.status as HealthStatus);
    if (life !== null) {
      lifeMin.push(`diskpredict_device_life_expectancy_min_days{${devid}} ${life.fromDays}`);
      if (life.toDays !== null) lifeMax.push(`diskpredict_device_life_expectancy_max_days{${devid}} ${life.toDays}`);
    }
    predicted.push(`diskpredict_device_prediction_timestamp_seconds{${devid}} ${p.time}`);
  }
  const out: string[] = [];
  const family = (name: string, help: string, lines: string[]) => out.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`, ...lines);
  family('diskpredict_device_status', 'Last predicted status: 0 Good, 1 Warning, 2 Bad, -1 Unknown.', status);
  family('diskpredict_device_prediction_info', 'Last prediction of each device: status and model as labels (value is always 1).', info);
  family('diskpredict_device_failure_probability', 'Calibrated probability of failure within 14 or 42 days (absent for the rule scorer).', failure);
  family('diskpredict_device_life_expectancy_min_days', "Lower end of the life-expectancy window (Ceph's: Bad 0, Warning 14, Good 43).", lifeMin);
  family('diskpredict_device_life_expectancy_max_days', 'Upper end of the life-expectancy window (absent when open-ended, i.e. Good).', lifeMax);
  family('diskpredict_device_prediction_timestamp_seconds', 'When the last prediction was made (Unix seconds).', predicted);
  family('diskpredict_device_last_sample_timestamp_seconds', 'Time of the newest stored sample (Unix seconds).', lastSample);
  return out.join('\n') + '\n';
}
