export * from './DiskPredictClient.js';
export * from './errors.js';
export type { ErrorCode, WireError } from './wire/errorCodes.js';
