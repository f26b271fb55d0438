export * from './types.js';
export * from './errors.js';
export * from './cephDayDict.js';
export * from './vendor.js';
export * from './rawDecode.js';
export * from './readSmartctlJson.js';
export * from './readCephDeviceHealth.js';
export * from './detectFormat.js';
export * from './readSmartFile.js';
export * from './sampleJson.js';
export { ataAttributesAsObject, ataAttributesFromObject } from './ataAttributeMap.js';
export { streamBackblazeRows, readBackblazeLines, type BackblazeReadOptions, type BackblazeBadRow } from './backblazeCsv.js';
export {
  streamAlibabaSsdRows,
  readAlibabaSsdLines,
  parseAlibabaTime,
  ALIBABA_MERGED_FIELDS,
  type AlibabaSsdSnapshot,
  type AlibabaSsdReadOptions,
  type AlibabaSsdBadRow,
} from './alibabaSsdCsv.js';
export * from './deviceId.js';
export * from './deviceChains.js';
export * from './readDeviceHistories.js';
