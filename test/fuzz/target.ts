/** What a fuzz target is: seeds turned into case inputs, a reader fed with them, and the errors it may throw. */
import type { Rng } from './prng.js';

export interface PreparedTarget {
  /** seeds the cases start from (counted in the report) */
  readonly seedCount: number;
  /** the input of one case */
  generate(rng: Rng): Uint8Array;
  /**
   * Feeds one input to the reader. Throws the reader's documented typed error (allowed), an `OracleError` when the
   * reader answered but broke a promise (a failure), or anything else (a failure: an unexpected exception).
   */
  run(input: Uint8Array, rng: Rng): void | Promise<void>;
  /** the reader's documented error types */
  expected(err: unknown): boolean;
}

export interface FuzzTarget {
  readonly name: string;
  /** Loads seeds; a string says why the target cannot run here (e.g. ../shared absent). */
  prepare(): PreparedTarget | string;
}

/** The reader returned, but its answer breaks a promise (an invariant or a round trip). */
export class OracleError extends Error {
  override readonly name = 'OracleError';
}

export function oracle(ok: boolean, message: string): void {
  if (!ok) throw new OracleError(message);
}
