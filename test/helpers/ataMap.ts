import { ataAttributesFromObject } from '../../lib/smart/ataAttributeMap.js';

/** `{ 5: { id: 5, raw: 8 } }` → a sample's `ata` Map, in id order: attribute tables written as literals. */
export const ataMap = ataAttributesFromObject;
