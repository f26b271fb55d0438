/** Per-device series rendered from store summaries, read back by a real exposition-format parser. */
import { describe, expect, it } from 'vitest';
import { renderDeviceMetrics } from '../../daemon/deviceMetrics.js';
import type { DeviceSummary } from '../../daemon/store/store.js';
import { parseExposition, sampleValue } from '../helpers/prometheusText.js';

const prediction = (devid: string, status: string, p14: number | null, p42: number | null) => ({ devid, time: 1_700_000_000, status, p14, p42, model: 'default', modelVersion: '1.0.0' });

describe('renderDeviceMetrics', () => {
  const devices: DeviceSummary[] = [
    { devid: 'ST4000DM000_Z300K1Z7', samples: 3, firstSample: 1, lastSample: 1_699_999_000, lastPrediction: prediction('ST4000DM000_Z300K1Z7', 'Warning', 0.1, 0.3) },
    { devid: 'CT250P2SSD8_X', samples: 1, firstSample: 1, lastSample: 5, lastPrediction: prediction('CT250P2SSD8_X', 'Good', null, null) },
    { devid: 'odd"name\\with\nnewline', samples: 1, firstSample: 1, lastSample: 5, lastPrediction: prediction('odd"name\\with\nnewline', 'Bad', 0.9, 0.95) },
    { devid: 'never_predicted', samples: 1, firstSample: 1, lastSample: 7, lastPrediction: null },
  ];
  const text = renderDeviceMetrics(devices);
  const families = parseExposition(text);

  it('one status series per predicted device, with escaped label values that parse back exactly', () => {
    expect(families.get('diskpredict_device_status')!.metrics).toHaveLength(3);
    expect(sampleValue(families, 'diskpredict_device_status', { devid: 'ST4000DM000_Z300K1Z7' })).toBe(1);
    expect(sampleValue(families, 'diskpredict_device_status', { devid: 'CT250P2SSD8_X' })).toBe(0);
    expect(sampleValue(families, 'diskpredict_device_status', { devid: 'odd"name\\with\nnewline' })).toBe(2);
    expect(sampleValue(families, 'diskpredict_device_prediction_info', { devid: 'CT250P2SSD8_X', status: 'Good', model: 'default', model_version: '1.0.0' })).toBe(1);
  });

  it('null p14/p42 (the rule scorer) leave their samples out; open-ended life expectancy has no max', () => {
    expect(sampleValue(families, 'diskpredict_device_failure_probability', { devid: 'ST4000DM000_Z300K1Z7', within_days: '14' })).toBe(0.1);
    expect(sampleValue(families, 'diskpredict_device_failure_probability', { devid: 'ST4000DM000_Z300K1Z7', within_days: '42' })).toBe(0.3);
    expect(families.get('diskpredict_device_failure_probability')!.metrics.filter((m) => m.labels?.['devid'] === 'CT250P2SSD8_X')).toEqual([]);
    expect(sampleValue(families, 'diskpredict_device_life_expectancy_min_days', { devid: 'CT250P2SSD8_X' })).toBe(43);
    expect(sampleValue(families, 'diskpredict_device_life_expectancy_max_days', { devid: 'CT250P2SSD8_X' })).toBeUndefined();
    expect(sampleValue(families, 'diskpredict_device_life_expectancy_max_days', { devid: 'ST4000DM000_Z300K1Z7' })).toBe(42);
  });

  it('a device without a prediction still shows its last sample time', () => {
    expect(sampleValue(families, 'diskpredict_device_last_sample_timestamp_seconds', { devid: 'never_predicted' })).toBe(7);
    expect(sampleValue(families, 'diskpredict_device_status', { devid: 'never_predicted' })).toBeUndefined();
  });
});
