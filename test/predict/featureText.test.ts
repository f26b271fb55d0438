import { describe, expect, it } from 'vitest';
import { featureText } from '../../lib/predict/featureText.js';

describe('featureText', () => {
  it('says what a feature value means', () => {
    expect(featureText('smart_5_raw_delta7', 8)).toBe('reallocated sectors (5) grew by 8 in 7 day(s)');
    expect(featureText('smart_197_raw', 3)).toBe('pending sectors (197) is 3');
    expect(featureText('smart_187_raw_grew', 1)).toMatch(/has grown/);
    expect(featureText('error_delta30_sum', 12)).toMatch(/grew by 12 in 30 days/);
    expect(featureText('vendor', 1)).toBe('vendor seagate');
  });

  it('names missing values instead of printing NaN', () => {
    expect(featureText('smart_5_raw_delta30', NaN)).toBe('reallocated sectors (5) raw delta30: not known');
    expect(featureText('error_raw_sum', NaN)).toMatch(/not reported/);
  });
});
