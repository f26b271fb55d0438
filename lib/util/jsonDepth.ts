/** Nesting depth of a JSON value, walked without recursion (a hostile value may be nested deeper than the stack). */
import type { JsonValue } from './json.js';

/** True when `value` nests arrays/objects more than `maxDepth` levels deep (a scalar is depth 0). */
export function jsonDepthExceeds(value: JsonValue, maxDepth: number): boolean {
  const stack: { value: JsonValue; depth: number }[] = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const { value: v, depth } = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth + 1 > maxDepth) return true;
    const children = Array.isArray(v) ? v : Object.values(v);
    for (const child of children) if (typeof child === 'object' && child !== null) stack.push({ value: child, depth: depth + 1 });
  }
  return false;
}
