import type { ErrorCode } from '../../lib/client/wire/errorCodes.js';

export type { ErrorCode } from '../../lib/client/wire/errorCodes.js';

/** An error a request handler reports to the client as `{ok: false, error: {code, message}}`. */
export class RequestError extends Error {
  override readonly name = 'RequestError';
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}
