import { describe, expect, it } from 'vitest';
import { featureCoverage } from '../../lib/predict/featureCoverage.js';
import { featureText } from '../../lib/predict/featureText.js';
import { FEATURE_ATTRIBUTES } from '../../lib/features/featurizeColumns.js';

/** Columns of one attribute (5, reallocated sectors) on the given epoch days; the others missing. */
function columns(days: number[], values: number[]) {
  const raw = FEATURE_ATTRIBUTES.map((id) => Float64Array.from(days, (_, i) => (id === 5 ? values[i]! : NaN)));
  return { days: Int32Array.from(days), raw };
}

describe('featureText', () => {
  it('says what a feature value means', () => {
    expect(featureText('smart_5_raw_delta7', 8)).toBe('reallocated sectors (5) grew by 8 within 7 days');
    expect(featureText('smart_197_raw', 3)).toBe('pending sectors (197) is 3');
    expect(featureText('smart_187_raw_grew', 1)).toMatch(/has grown/);
    expect(featureText('error_delta30_sum', 12)).toMatch(/grew by 12 within 30 days/);
    expect(featureText('vendor', 1)).toBe('vendor seagate');
  });

  it('names missing values instead of printing NaN', () => {
    expect(featureText('smart_5_raw_delta30', NaN)).toMatch(/^reallocated sectors \(5\) change within 30 days: not known/);
    expect(featureText('error_raw_sum', NaN)).toMatch(/not reported/);
  });

  it('describes windows with the days actually covered, not the nominal window', () => {
    // six daily samples: the "30-day" change covers 5 days
    const six = columns([100, 101, 102, 103, 104, 105], [0, 0, 0, 40, 80, 120]);
    const c30 = featureCoverage(six, 'smart_5_raw_delta30', 5);
    expect(c30).toEqual({ days: 5, samples: 2 });
    expect(featureText('smart_5_raw_delta30', 120, c30)).toBe('reallocated sectors (5) grew by 120 in 5 days (of a 30-day window)');
    expect(featureText('error_delta30_sum', 120, featureCoverage(six, 'error_delta30_sum', 5))).toMatch(/grew by 120 in 5 days \(of a 30-day window\)$/);
    expect(featureText('smart_5_raw_delta7', 120, featureCoverage(six, 'smart_5_raw_delta7', 5))).toMatch(/in 5 days \(of a 7-day window\)$/);
    expect(featureText('smart_5_raw_mean6', 40, featureCoverage(six, 'smart_5_raw_mean6', 5))).toBe('reallocated sectors (5) 6-day mean is 40 (6 samples over 5 days)');
    // a full window says just the days
    const long = columns([100, 110, 140], [0, 5, 9]);
    expect(featureText('smart_5_raw_delta30', 4, featureCoverage(long, 'smart_5_raw_delta30', 2))).toBe('reallocated sectors (5) grew by 4 in 30 days');
  });

  it('does not claim "has not grown" from a single sample', () => {
    const one = columns([100], [0]);
    expect(featureText('smart_5_raw_grew', 0, featureCoverage(one, 'smart_5_raw_grew', 0))).toBe('reallocated sectors (5) has only one value so far (growth cannot be seen yet)');
    expect(featureText('error_grew_count', 0, featureCoverage(one, 'error_grew_count', 0))).toMatch(/only one value so far/);
    const three = columns([100, 103, 109], [2, 2, 2]);
    expect(featureText('smart_5_raw_grew', 0, featureCoverage(three, 'smart_5_raw_grew', 2))).toBe('reallocated sectors (5) has not grown in 9 days (3 samples)');
  });
});
