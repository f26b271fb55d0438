/**
 * The nesting rule for stored samples (daemon/samples.ts refuses samples deeper than 64 levels). The walk was made
 * allocation-free and recursive for speed (every request's samples pass through it): it must still refuse deep
 * input exactly at the limit, in arrays and maps, however deep, without overflowing the stack.
 */
import { describe, expect, it } from 'vitest';
import { jsonDepthExceeds } from '../../lib/util/jsonDepth.js';
import type { JsonValue } from '../../lib/util/json.js';

/** `depth` levels: alternating maps and arrays, with siblings so the deep branch is not the first one. */
function nested(depth: number): JsonValue {
  let v: JsonValue = 'leaf';
  // an empty sibling is one level itself: only beside a branch at least that deep
  for (let i = 0; i < depth; i++) v = i === 0 ? [v] : i % 2 ? { a: 1, b: [], c: v } : [0, {}, v];
  return v;
}

describe('jsonDepthExceeds', () => {
  it('counts scalars as depth 0 and each map or array as one level', () => {
    expect(jsonDepthExceeds(5, 0)).toBe(false);
    expect(jsonDepthExceeds(null, 0)).toBe(false);
    expect(jsonDepthExceeds({}, 0)).toBe(true);
    expect(jsonDepthExceeds({}, 1)).toBe(false);
    expect(jsonDepthExceeds({ a: [[1]] }, 2)).toBe(true);
    expect(jsonDepthExceeds({ a: [[1]] }, 3)).toBe(false);
  });

  it('accepts exactly the limit and refuses one level more, wherever the deep branch is', () => {
    for (const limit of [1, 2, 64, 65, 1000]) {
      expect(jsonDepthExceeds(nested(limit), limit)).toBe(false);
      expect(jsonDepthExceeds(nested(limit + 1), limit)).toBe(true);
      // the deep branch last among many shallow siblings
      const wide = { ...Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, [i, { x: i }]])), deep: nested(limit + 1) };
      expect(jsonDepthExceeds(wide, limit + 1)).toBe(true);
    }
  });

  it('refuses input nested far deeper than the stack allows, without overflowing it', () => {
    let deep: JsonValue = 1;
    for (let i = 0; i < 1_000_000; i++) deep = i % 2 ? { d: deep } : [deep];
    expect(jsonDepthExceeds(deep, 65)).toBe(true);
  });

  it('refuses a limit it could not walk safely', () => {
    expect(() => jsonDepthExceeds({}, 1e6)).toThrow(RangeError);
    expect(() => jsonDepthExceeds({}, -1)).toThrow(RangeError);
  });
});
