import { createHash } from 'node:crypto';

/** The sha256 of some bytes, as hex. */
export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
