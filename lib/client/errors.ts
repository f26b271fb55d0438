import type { ErrorCode } from './wire/errorCodes.js';

/** The daemon answered `{ok: false, error}`. */
export class DiskPredictError extends Error {
  override readonly name = 'DiskPredictError';
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}

/** No answer: the connection failed or closed, or the reply did not come in time. */
export class DiskPredictConnectionError extends Error {
  override readonly name = 'DiskPredictConnectionError';
  constructor(
    message: string,
    readonly reason: 'connect' | 'closed' | 'timeout' | 'protocol',
  ) {
    super(message);
  }
}
