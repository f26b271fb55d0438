/**
 * Checks a decoded msgpack value is plain JSON data (maps, arrays, strings, finite numbers, bigint, booleans,
 * null), so nothing a client sends (bin, timestamps, extensions) reaches the JSON readers in a shape they do
 * not expect. Checked in place, without copying: msgpackr already renames `__proto__` keys.
 */
import type { JsonValue } from '../../util/json.js';

export class NotJsonError extends Error {
  override readonly name = 'NotJsonError';
}

export function checkJsonValue(value: unknown): JsonValue {
  checkValue(value, '');
  return value as JsonValue;
}

function checkValue(value: unknown, path: string): void {
  switch (typeof value) {
    case 'string':
    case 'boolean':
    case 'bigint':
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new NotJsonError(`non-finite number at ${path || '/'}`);
      return;
    case 'object': {
      if (value === null) return;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) checkValue(value[i], `${path}/${i}`);
        return;
      }
      if (Object.getPrototypeOf(value) !== Object.prototype) {
        throw new NotJsonError(`unsupported msgpack value (${value.constructor?.name ?? 'object'}) at ${path || '/'}`);
      }
      for (const key in value) checkValue((value as Record<string, unknown>)[key], `${path}/${key}`);
      return;
    }
    default:
      throw new NotJsonError(`unsupported msgpack value (${typeof value}) at ${path || '/'}`);
  }
}
