/**
 * The feature layout as the addon needs it, derived from lib/features/featurizeColumns.ts so the attribute lists
 * have one source of truth (the C++ port holds only the algorithm).
 */
import {
  ERROR_SUM_ATTRIBUTES,
  FEATURE_ATTRIBUTES,
  FEATURE_COUNT,
  MONOTONIC_ATTRIBUTES,
} from '../features/featurizeColumns.js';

export interface NativeFeatureLayout {
  monotonic: Uint8Array;
  errorSumSlots: Int32Array;
  featureCount: number;
}

export function nativeFeatureLayout(): NativeFeatureLayout {
  return {
    monotonic: Uint8Array.from(FEATURE_ATTRIBUTES, (id) => (MONOTONIC_ATTRIBUTES.includes(id) ? 1 : 0)),
    errorSumSlots: Int32Array.from(ERROR_SUM_ATTRIBUTES, (id) => FEATURE_ATTRIBUTES.indexOf(id)),
    featureCount: FEATURE_COUNT,
  };
}
