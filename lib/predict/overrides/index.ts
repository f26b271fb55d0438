export * from './types.js';
export { canonicalAttribute, describeAttribute, FIELD_ATTRIBUTES, BASELINE_FIELDS, OverrideAttributeError } from './attributeName.js';
export { adjustHistory, type SampleAdjustments } from './adjustSamples.js';
export { parseExpiry } from './expiry.js';
export { isExpired, matchOverrides } from './matchOverrides.js';
export { OverridesFileError, overrideId, readOverridesFile, serializeOverrides, validateOverrides, writeOverridesFile, type ReadOverridesOptions } from './overridesFile.js';
export { withOverrides, type WithOverridesOptions } from './withOverrides.js';
