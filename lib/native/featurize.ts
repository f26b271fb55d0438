/**
 * Feature extraction through the addon when it is loaded, else through the TypeScript function it ports
 * (lib/features/featurizeColumns.ts). Output allocation and size checks happen here, once, for both paths.
 */
import { FEATURE_COUNT, featurizeColumns as featurizeColumnsTs, type FeatureColumns } from '../features/featurizeColumns.js';
import type { NativeAddon } from './addon.js';
import { batchOutput, featurizeBatchTs, validateFeatureBatch, type FeatureBatch } from './featureBatch.js';

export function featurizeColumnsVia(addon: NativeAddon | null, input: FeatureColumns, out?: Float64Array): Float64Array {
  if (!addon) return featurizeColumnsTs(input, out);
  const needed = input.days.length * FEATURE_COUNT;
  const result = out ?? new Float64Array(needed);
  if (result.length < needed) throw new RangeError(`output holds ${result.length} values, needs ${needed}`);
  addon.featurizeColumns(input.days, input.raw, input.norm, input.capacityBytes, input.vendorCode, result);
  return result;
}

export function featurizeBatchVia(addon: NativeAddon | null, batch: FeatureBatch, out?: Float64Array): Float64Array {
  validateFeatureBatch(batch);
  const result = batchOutput(batch, out);
  if (addon) {
    addon.featurizeBatch(batch.offsets, batch.days, batch.raw, batch.norm, batch.capacityBytes, batch.vendorCode, result);
  } else featurizeBatchTs(batch, result);
  return result;
}
