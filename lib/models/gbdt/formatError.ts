/**
 * A model document value that is not what its format says, with the JSON pointer of the value,
 * and the checks that raise it. Shared by the tree, calibration and model-file readers.
 */
export class ModelFormatError extends Error {
  override readonly name = 'ModelFormatError';
  constructor(
    /** JSON pointer of the offending value */
    readonly field: string,
    message: string,
  ) {
    super(`${field || '/'}: ${message}`);
  }
}

export type Json = unknown;

export function isRecord(v: Json): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function isFiniteNumber(v: Json): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

export function isIntegerIn(v: Json, min: number, max: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
}

export function finite(v: Json, field: string): number {
  if (!isFiniteNumber(v)) throw new ModelFormatError(field, `expected a finite number, got ${describe(v)}`);
  return v;
}

export function integer(v: Json, field: string, min: number, max: number): number {
  if (!isIntegerIn(v, min, max))
    throw new ModelFormatError(field, `expected an integer in [${min}, ${max}], got ${describe(v)}`);
  return v;
}

export function array(v: Json, field: string, length?: number): Json[] {
  if (!Array.isArray(v)) throw new ModelFormatError(field, `expected an array, got ${describe(v)}`);
  if (length !== undefined && v.length !== length)
    throw new ModelFormatError(field, `expected ${length} entries, got ${v.length}`);
  return v;
}

export function describe(v: Json): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v);
  return typeof v === 'object' ? 'an object' : String(v);
}

export function string(v: Json, field: string): string {
  if (typeof v !== 'string') throw new ModelFormatError(field, `expected a string, got ${describe(v)}`);
  return v;
}
