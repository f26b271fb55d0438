/** Case inputs for the JSON readers: half byte-level damage of a seed's text, half structural damage of its document. */
import { parseJsonExact, type JsonValue } from '../../../lib/util/json.js';
import { allPaths, mutateBytes, mutateJson, type JsonPath } from '../mutate.js';
import type { Rng } from '../prng.js';
import { utf8 } from '../seeds.js';

const enc = new TextEncoder();

export function jsonSeedInputs(texts: readonly string[], maxBytes: number): { seedCount: number; generate(rng: Rng): Uint8Array } {
  const bytes = utf8(texts);
  const docs: { doc: JsonValue; paths: JsonPath[] }[] = [];
  for (const t of texts) {
    try {
      const doc = parseJsonExact(t);
      docs.push({ doc, paths: allPaths(doc) });
    } catch {
      // a seed that is not JSON (an edge case) still serves the byte mutations
    }
  }
  return {
    seedCount: texts.length,
    generate(rng) {
      if (docs.length > 0 && rng.chance(0.5)) {
        const d = rng.pick(docs);
        const text = mutateJson(rng, d.doc, d.paths);
        return rng.chance(0.25) ? mutateBytes(rng, enc.encode(text), bytes, maxBytes) : enc.encode(text).subarray(0, maxBytes);
      }
      return mutateBytes(rng, rng.pick(bytes), bytes, maxBytes);
    },
  };
}
