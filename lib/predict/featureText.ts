/** Human text for a model feature and its value, for the `reasons` of a prediction. */
import { ERROR_SUM_ATTRIBUTES } from '../features/featurizeColumns.js';
import { VENDOR_CODES } from '../features/vendorCode.js';

const ATTRIBUTE_NAMES: Readonly<Record<number, string>> = {
  1: 'read error rate',
  3: 'spin-up time',
  4: 'start/stop count',
  5: 'reallocated sectors',
  7: 'seek error rate',
  9: 'power-on hours',
  10: 'spin retries',
  12: 'power cycles',
  183: 'runtime bad blocks',
  184: 'end-to-end errors',
  187: 'reported uncorrectable errors',
  188: 'command timeouts',
  189: 'high-fly writes',
  190: 'airflow temperature',
  192: 'power-off retracts',
  193: 'load cycles',
  194: 'temperature',
  196: 'reallocation events',
  197: 'pending sectors',
  198: 'offline uncorrectable sectors',
  199: 'UDMA CRC errors',
  240: 'head flying hours',
  241: 'LBAs written',
  242: 'LBAs read',
};

// The aggregate features sum these counters: "error counters 5/187/188/197/198".
const ERROR_COUNTERS = `error counters ${ERROR_SUM_ATTRIBUTES.join('/')}`;

const fmt = (v: number): string => (Number.isInteger(v) ? String(v) : v.toPrecision(4));

export function featureText(feature: string, value: number): string {
  const m = /^smart_(\d+)_(.+)$/.exec(feature);
  if (Number.isNaN(value)) {
    // A missing value can matter too (e.g. no change known yet on a short history).
    if (m) return `${ATTRIBUTE_NAMES[Number(m[1])] ?? 'attribute'} (${m[1]}) ${m[2]!.replace(/_/g, ' ')}: not known`;
    return feature.startsWith('error_') ? `${ERROR_COUNTERS}: not reported` : `${feature.replace(/_/g, ' ')}: not known`;
  }
  if (m) {
    const id = Number(m[1]);
    const what = `${ATTRIBUTE_NAMES[id] ?? 'attribute'} (${id})`;
    switch (m[2]) {
      case 'raw':
        return `${what} is ${fmt(value)}`;
      case 'normalized':
        return `${what} normalized value is ${fmt(value)}`;
      case 'raw_delta1':
      case 'raw_delta7':
      case 'raw_delta30': {
        const days = m[2].slice('raw_delta'.length);
        return value === 0 ? `${what} unchanged in ${days} day(s)` : `${what} ${value > 0 ? 'grew' : 'fell'} by ${fmt(Math.abs(value))} in ${days} day(s)`;
      }
      case 'raw_grew':
        return value >= 1 ? `${what} has grown during the history` : `${what} has not grown`;
      case 'raw_mean6':
        return `${what} 6-day mean is ${fmt(value)}`;
      case 'raw_std6':
        return `${what} 6-day standard deviation is ${fmt(value)}`;
      case 'raw_cv6':
        return `${what} 6-day coefficient of variation is ${fmt(value)}`;
    }
  }
  switch (feature) {
    case 'error_raw_sum':
      return `${ERROR_COUNTERS} total ${fmt(value)}`;
    case 'error_delta7_sum':
      return `${ERROR_COUNTERS} grew by ${fmt(value)} in 7 days`;
    case 'error_delta30_sum':
      return `${ERROR_COUNTERS} grew by ${fmt(value)} in 30 days`;
    case 'error_grew_count':
      return `${fmt(value)} of the ${ERROR_COUNTERS} have grown`;
    case 'capacity_tb':
      return `capacity ${fmt(value)} TB`;
    case 'vendor':
      return `vendor ${VENDOR_CODES[value] ?? 'unknown'}`;
    default:
      return `${feature} = ${fmt(value)}`;
  }
}
