/**
 * Nesting depth of a JSON value. Every request's samples are checked, so the walk allocates nothing: it recurses,
 * but never deeper than `maxDepth` (it stops there), so a hostile value nested deeper than the stack is safe.
 */
import type { JsonValue } from './json.js';

/** Deepest `maxDepth` accepted: the recursion stays far from the stack's limit. */
const MAX_CHECKED_DEPTH = 10_000;

/** True when `value` nests arrays/objects more than `maxDepth` levels deep (a scalar is depth 0). */
export function jsonDepthExceeds(value: JsonValue, maxDepth: number): boolean {
  if (!(maxDepth >= 0 && maxDepth <= MAX_CHECKED_DEPTH)) throw new RangeError(`maxDepth must be from 0 to ${MAX_CHECKED_DEPTH}`);
  return deeperThan(value, maxDepth);
}

/** `levelsLeft`: how many more levels of arrays/objects may open below here. */
function deeperThan(value: JsonValue, levelsLeft: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (levelsLeft === 0) return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const child = value[i]!;
      if (typeof child === 'object' && child !== null && deeperThan(child, levelsLeft - 1)) return true;
    }
    return false;
  }
  for (const key in value) {
    const child = value[key]!;
    if (typeof child === 'object' && child !== null && deeperThan(child, levelsLeft - 1)) return true;
  }
  return false;
}
