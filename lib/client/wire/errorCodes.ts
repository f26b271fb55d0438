/** Error codes of the wire protocol (docs/protocol.md, "Error codes"). */
export type ErrorCode =
  | 'BAD_REQUEST'
  | 'FRAME_TOO_LARGE'
  | 'UNKNOWN_OP'
  | 'BAD_ARGUMENT'
  | 'BAD_SAMPLES'
  | 'UNKNOWN_DEVICE'
  | 'BAD_MODEL'
  | 'DB_ERROR'
  | 'FORBIDDEN'
  | 'TIMEOUT'
  | 'BUSY'
  | 'LIMIT_EXCEEDED'
  | 'INTERNAL';

export interface WireError {
  code: ErrorCode;
  message: string;
}
