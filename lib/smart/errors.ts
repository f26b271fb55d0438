/** A typed error for input that cannot be read; names the file and where in it. */
export type SmartParseErrorCode =
  | 'EMPTY'
  | 'SYNTAX'
  | 'TRUNCATED'
  | 'TYPE'
  | 'MISSING'
  | 'RANGE'
  | 'FORMAT'
  | 'IO';

export interface SmartParseErrorLocation {
  file?: string;
  /** RFC 6901 JSON pointer */
  pointer?: string;
  /** 1-based CSV line */
  line?: number;
}

export class SmartParseError extends Error {
  override readonly name = 'SmartParseError';
  readonly code: SmartParseErrorCode;
  // `declare`: absent locations stay absent (no own `undefined` properties in logs or JSON).
  declare readonly file?: string;
  declare readonly pointer?: string;
  declare readonly line?: number;

  constructor(code: SmartParseErrorCode, message: string, where: SmartParseErrorLocation = {}) {
    const at = [where.file, where.pointer !== undefined ? `pointer ${where.pointer || '/'}` : undefined, where.line !== undefined ? `line ${where.line}` : undefined]
      .filter(Boolean)
      .join(', ');
    super(at ? `${at}: ${message}` : message);
    this.code = code;
    if (where.file !== undefined) this.file = where.file;
    if (where.pointer !== undefined) this.pointer = where.pointer;
    if (where.line !== undefined) this.line = where.line;
  }
}
