/**
 * Checks a decoded msgpack value is plain JSON data (maps, arrays, strings, finite numbers, bigint, booleans,
 * null), so nothing a client sends (bin, timestamps, extensions) reaches the JSON readers in a shape they do
 * not expect. Checked in place, without copying: msgpackr already renames `__proto__` keys. The path of a bad
 * value is built only when there is one (every request passes through here: a string per node was a fifth of
 * what the daemon allocated per request).
 */
import type { JsonValue } from '../../util/json.js';

export class NotJsonError extends Error {
  override readonly name = 'NotJsonError';
}

export function checkJsonValue(value: unknown): JsonValue {
  const problem = findNonJson(value);
  if (problem !== undefined) {
    const path = problem.reversedPath.reverse().join('/');
    throw new NotJsonError(`${problem.what} at ${path === '' ? '/' : '/' + path}`);
  }
  return value as JsonValue;
}

interface NonJson {
  what: string;
  /** keys from the bad value up to the root */
  reversedPath: string[];
}

function findNonJson(value: unknown): NonJson | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
    case 'bigint':
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : { what: 'non-finite number', reversedPath: [] };
    case 'object': {
      if (value === null) return undefined;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          const problem = findNonJson(value[i]);
          if (problem !== undefined) return within(problem, String(i));
        }
        return undefined;
      }
      if (Object.getPrototypeOf(value) !== Object.prototype) {
        return { what: `unsupported msgpack value (${value.constructor?.name ?? 'object'})`, reversedPath: [] };
      }
      for (const key in value) {
        const problem = findNonJson((value as Record<string, unknown>)[key]);
        if (problem !== undefined) return within(problem, key);
      }
      return undefined;
    }
    default:
      return { what: `unsupported msgpack value (${typeof value})`, reversedPath: [] };
  }
}

function within(problem: NonJson, key: string): NonJson {
  problem.reversedPath.push(key);
  return problem;
}
