/**
 * Human text for a model feature and its value, for the `reasons` of a prediction. Windowed features
 * quote the days and samples they actually covered (`coverage`), not the nominal window.
 */
import { ERROR_SUM_ATTRIBUTES } from '../features/featurizeColumns.js';
import { VENDOR_CODES } from '../features/vendorCode.js';
import type { FeatureCoverage } from './featureCoverage.js';

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
const plural = (n: number, one: string): string => `${n} ${one}${n === 1 ? '' : 's'}`;

/** "in 5 days (of a 30-day window)"; without coverage, the nominal window. */
function within(window: number, c: FeatureCoverage | undefined): string {
  if (c === undefined) return `within ${plural(window, 'day')}`;
  return c.days < window ? `in ${plural(c.days, 'day')} (of a ${window}-day window)` : `in ${plural(c.days, 'day')}`;
}

function changeText(what: string, value: number, window: number, c: FeatureCoverage | undefined): string {
  const span = within(window, c);
  return value === 0 ? `${what} unchanged ${span}` : `${what} ${value > 0 ? 'grew' : 'fell'} by ${fmt(Math.abs(value))} ${span}`;
}

function grewText(what: string, value: number, c: FeatureCoverage | undefined): string {
  if (value >= 1) return c ? `${what} has grown within the ${plural(c.days, 'day')} of history` : `${what} has grown during the history`;
  if (c === undefined) return `${what} has not grown`;
  if (c.samples < 2) return `${what} has only one value so far (growth cannot be seen yet)`;
  return `${what} has not grown in ${plural(c.days, 'day')} (${c.samples} samples)`;
}

function rollingText(what: string, stat: string, value: number, c: FeatureCoverage | undefined): string {
  const over = c === undefined ? '' : c.samples === 1 ? ' (1 sample only)' : ` (${c.samples} samples over ${plural(c.days, 'day')})`;
  return `${what} 6-day ${stat} is ${fmt(value)}${over}`;
}

export function featureText(feature: string, value: number, coverage?: FeatureCoverage): string {
  const m = /^smart_(\d+)_(.+)$/.exec(feature);
  if (Number.isNaN(value)) {
    // A missing value can matter too (e.g. no change known yet on a short history).
    if (m) {
      const what = `${ATTRIBUTE_NAMES[Number(m[1])] ?? 'attribute'} (${m[1]})`;
      const delta = /^raw_delta(\d+)$/.exec(m[2]!);
      if (delta) return `${what} change within ${plural(Number(delta[1]), 'day')}: not known (no two values to compare in that window, or the counter was reset)`;
      return `${what} ${m[2]!.replace(/_/g, ' ')}: not known`;
    }
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
      case 'raw_delta30':
        return changeText(what, value, Number(m[2].slice('raw_delta'.length)), coverage);
      case 'raw_grew':
        return grewText(what, value, coverage);
      case 'raw_mean6':
        return rollingText(what, 'mean', value, coverage);
      case 'raw_std6':
        return rollingText(what, 'standard deviation', value, coverage);
      case 'raw_cv6':
        return rollingText(what, 'coefficient of variation', value, coverage);
    }
  }
  switch (feature) {
    case 'error_raw_sum':
      return `${ERROR_COUNTERS} total ${fmt(value)}`;
    case 'error_delta7_sum':
      return changeText(ERROR_COUNTERS, value, 7, coverage);
    case 'error_delta30_sum':
      return changeText(ERROR_COUNTERS, value, 30, coverage);
    case 'error_grew_count':
      if (value === 0 && coverage !== undefined && coverage.samples < 2) return `${ERROR_COUNTERS}: only one value so far (growth cannot be seen yet)`;
      return `${fmt(value)} of the ${ERROR_COUNTERS} have grown${coverage ? ` in ${plural(coverage.days, 'day')} of history` : ''}`;
    case 'capacity_tb':
      return `capacity ${fmt(value)} TB`;
    case 'vendor':
      return `vendor ${VENDOR_CODES[value] ?? 'unknown'}`;
    default:
      return `${feature} = ${fmt(value)}`;
  }
}
