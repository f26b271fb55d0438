/** A pickle asked for something outside the whitelist (a callable, a class, an opcode that calls). */
export class UnsafePickleError extends Error {
  override readonly name = 'UnsafePickleError';
  constructor(
    message: string,
    /** the refused global (`module.name`) or opcode */
    readonly what: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** The bytes are not a well-formed pickle (truncated, bad lengths, stack or memo misuse). */
export class PickleFormatError extends Error {
  override readonly name = 'PickleFormatError';
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}
