/**
 * A sample's ATA attributes: a Map by id, in ascending id order. A Map, not a Record: integer keys up to 255 gave
 * every sample an element store of ~256 slots (2 kB, grown in steps), nearly half of what a read sample kept in
 * memory. Readers build them in the order of their input; this puts the few tables out of order in id order, the
 * order a Record's keys always had.
 */
import type { AtaAttribute } from './types.js';

export function inIdOrder(map: Map<number, AtaAttribute>): Map<number, AtaAttribute> {
  let last = -1;
  for (const id of map.keys()) {
    if (id < last) return sortedById(map);
    last = id;
  }
  return map;
}

/** A new map of the same attributes in id order (for a reader that saw its ids come out of order). */
export function sortedById(map: Map<number, AtaAttribute>): Map<number, AtaAttribute> {
  return new Map([...map].sort((a, b) => a[0] - b[0]));
}

/** The map as a plain object keyed by id, for JSON (what a sample's `ata` looked like before it was a Map). */
export function ataAttributesAsObject(map: ReadonlyMap<number, AtaAttribute>): Record<number, AtaAttribute> {
  return Object.fromEntries(map) as Record<number, AtaAttribute>;
}

/** The other way: an object keyed by id (its integer keys enumerate in id order) → the map. */
export function ataAttributesFromObject(byId: Readonly<Record<number, AtaAttribute>>): Map<number, AtaAttribute> {
  return new Map(Object.values(byId).map((a) => [a.id, a]));
}
