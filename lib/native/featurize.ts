/**
 * Feature extraction through the addon when it is loaded, else through the TypeScript function it ports
 * (lib/features/featurizeColumns.ts). The addon gets only checked arguments: output size and batch shape are
 * checked on this side first.
 */
import { featurizeColumns as featurizeColumnsTs, type FeatureColumns } from '../features/featurizeColumns.js';
import type { NativeAddon } from './addon.js';
import { featureOutput, featurizeBatchTs, validateFeatureBatch, type FeatureBatch } from './featureBatch.js';

export function featurizeColumnsVia(addon: NativeAddon | null, input: FeatureColumns, out?: Float64Array): Float64Array {
  if (!addon) return featurizeColumnsTs(input, out);
  const result = featureOutput(input.days.length, out);
  addon.featurizeColumns(input.days, input.raw, input.norm, input.capacityBytes, input.vendorCode, result);
  return result;
}

export function featurizeBatchVia(addon: NativeAddon | null, batch: FeatureBatch, out?: Float64Array): Float64Array {
  validateFeatureBatch(batch);
  const result = featureOutput(batch.days.length, out);
  if (addon) {
    addon.featurizeBatch(batch.offsets, batch.days, batch.raw, batch.norm, batch.capacityBytes, batch.vendorCode, result);
  } else featurizeBatchTs(batch, result);
  return result;
}
