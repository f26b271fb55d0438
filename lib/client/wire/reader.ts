import type { WireError } from './errorCodes.js';
import type { Request } from './messages.js';

/** What a framing reader found (a request on the daemon's side, a reply on the client's) in the bytes pushed so far. `fatal`: the stream can no longer be followed. */
export type ReadEvent = { kind: 'message'; message: Request } | { kind: 'error'; error: WireError; fatal: boolean };

export interface MessageReader {
  push(chunk: Buffer): ReadEvent[];
  /** part of a request has arrived but not all of it */
  readonly hasPartial: boolean;
  /** bytes of unfinished requests held now */
  readonly bufferedBytes: number;
}
