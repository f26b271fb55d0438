import type { AtaAttribute } from '../../lib/smart/types.js';

/** `{ 5: { id: 5, raw: 8 } }` → a sample's `ata` Map, in id order: attribute tables written as literals. */
export function ataMap(byId: Record<number, AtaAttribute>): Map<number, AtaAttribute> {
  return new Map(Object.values(byId).map((a) => [a.id, a]));
}
