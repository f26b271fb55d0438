/**
 * Typed, range-checked access to fields of untrusted JSON. A field of the wrong type or with an
 * absurd value is left out and recorded as a warning with its JSON pointer, so a reader never
 * returns a silently wrong number and never throws on one bad field.
 */
import { escapeJsonPointer, isJsonObject, type JsonObject, type JsonValue } from '../util/json.js';
import type { RawInteger, SampleWarning } from './types.js';

export type PathToken = string | number;

export interface IntRange {
  min: number;
  max: number;
}

const MAX_U64 = (1n << 64n) - 1n;
const DECIMAL = /^\d+$/;

function jsonPointer(base: string, path: readonly PathToken[]): string {
  let out = base;
  for (const t of path) out += '/' + escapeJsonPointer(String(t));
  return out;
}

export class JsonFieldReader {
  readonly warnings: SampleWarning[] = [];

  /** `base`: the pointer of the document being read inside its file ('' for the whole file). */
  constructor(readonly base: string) {}

  pointer(path: readonly PathToken[]): string {
    return jsonPointer(this.base, path);
  }

  warn(path: readonly PathToken[], message: string): void {
    this.warnings.push({ pointer: this.pointer(path), message });
  }

  object(parent: JsonObject | undefined, key: string, path: readonly PathToken[]): JsonObject | undefined {
    const v = parent?.[key];
    if (v === undefined || v === null) return undefined;
    if (isJsonObject(v)) return v;
    this.warn([...path, key], `expected an object, found ${describe(v)}`);
    return undefined;
  }

  array(parent: JsonObject | undefined, key: string, path: readonly PathToken[]): JsonValue[] | undefined {
    const v = parent?.[key];
    if (v === undefined || v === null) return undefined;
    if (Array.isArray(v)) return v;
    this.warn([...path, key], `expected an array, found ${describe(v)}`);
    return undefined;
  }

  /** A non-empty string, trimmed; absent for "" (smartctl's "not set"). */
  string(parent: JsonObject | undefined, key: string, path: readonly PathToken[]): string | undefined {
    const v = parent?.[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') {
      this.warn([...path, key], `expected a string, found ${describe(v)}`);
      return undefined;
    }
    const t = v.trim();
    return t === '' ? undefined : t;
  }

  bool(parent: JsonObject | undefined, key: string, path: readonly PathToken[]): boolean | undefined {
    const v = parent?.[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'boolean') return v;
    this.warn([...path, key], `expected true/false, found ${describe(v)}`);
    return undefined;
  }

  /** A plain integer within `range` (inclusive). */
  int(parent: JsonObject | undefined, key: string, path: readonly PathToken[], range: IntRange): number | undefined {
    const v = parent?.[key];
    if (v === undefined || v === null) return undefined;
    if ((typeof v === 'number' && Number.isInteger(v)) || typeof v === 'bigint') {
      if (v >= range.min && v <= range.max) return Number(v);
      this.warn([...path, key], `${String(v)} is outside ${range.min}..${range.max}`);
      return undefined;
    }
    this.warn([...path, key], typeof v === 'number' ? `${v} is not an integer` : `expected an integer, found ${describe(v)}`);
    return undefined;
  }

  /**
   * An exact non-negative integer up to `max` (default 2^64-1): `number` while safe, `bigint` above.
   * smartctl writes a `<key>_s` decimal string twin for values above 2^53; it wins when present, since
   * a consumer that parsed the number as a double may have rounded it.
   */
  exact(parent: JsonObject | undefined, key: string, path: readonly PathToken[], max: bigint = MAX_U64): RawInteger | undefined {
    if (!parent) return undefined;
    const twin = parent[twinKey(key)];
    if (typeof twin === 'string' && DECIMAL.test(twin)) return this.bounded(BigInt(twin), path, `${key}_s`, max);
    const v = parent[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'bigint') return this.bounded(v, path, key, max);
    if (typeof v === 'number') {
      if (!Number.isInteger(v)) {
        this.warn([...path, key], `${v} is not an integer`);
        return undefined;
      }
      if (!Number.isSafeInteger(v)) {
        this.warn([...path, key], `${v} is beyond 2^53 and was not read exactly`);
        return undefined;
      }
      // The common case stays in doubles: a safe integer compares exactly with Number(max) (max ≥ 2^53 rounds
      // to a value above every safe integer; a smaller max converts exactly).
      if (v >= 0 && v <= Number(max)) return v === 0 ? 0 : v; // -0 reads as 0, as BigInt(-0) did
      return this.bounded(BigInt(v), path, key, max);
    }
    this.warn([...path, key], `expected an integer, found ${describe(v)}`);
    return undefined;
  }

  private bounded(v: bigint, path: readonly PathToken[], key: string, max: bigint): RawInteger | undefined {
    if (v < 0n || v > max) {
      this.warn([...path, key], `${v} is outside 0..${max}`);
      return undefined;
    }
    return v <= MAX_SAFE_BIGINT ? Number(v) : v;
  }
}

const MAX_SAFE_BIGINT = BigInt(Number.MAX_SAFE_INTEGER);
const TWIN_KEYS = new Map<string, string>();

/** `<key>_s`, smartctl's decimal-string twin of a 64-bit field (memoized: the reader asks for a handful of keys). */
function twinKey(key: string): string {
  let twin = TWIN_KEYS.get(key);
  if (twin === undefined) TWIN_KEYS.set(key, (twin = `${key}_s`));
  return twin;
}

export function describe(v: JsonValue): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  return `${typeof v} ${String(v)}`;
}
