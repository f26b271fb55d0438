/** A loaded Backblaze drive → featurizeColumns input (same value mapping as the live path). */
import type { BackblazeDrive } from '../smart/backblazeColumns.js';
import { attributeColumnValue } from './attributeValue.js';
import { FEATURE_ATTRIBUTES, type FeatureColumns } from './featurizeColumns.js';
import { vendorCode } from './vendorCode.js';

/** The loader must be asked for exactly FEATURE_ATTRIBUTES, in that order. */
export function columnsFromBackblazeDrive(drive: BackblazeDrive): FeatureColumns {
  const n = drive.days.length;
  const raw: Float64Array[] = [];
  const norm: Float64Array[] = [];
  for (let a = 0; a < FEATURE_ATTRIBUTES.length; a++) {
    const id = FEATURE_ATTRIBUTES[a]!;
    const r = new Float64Array(n).fill(NaN);
    const src = drive.raw[a];
    if (src !== undefined) for (let i = 0; i < n; i++) {
      const v = src[i]!;
      if (v === v) r[i] = attributeColumnValue(id, v, drive.vendor);
    }
    raw.push(r);
    norm.push(drive.normalized[a] ?? new Float64Array(n).fill(NaN));
  }
  return { days: drive.days, raw, norm, capacityBytes: drive.capacityBytes, vendorCode: vendorCode(drive.vendor) };
}
