/**
 * Mutations shared by the fuzz targets (and by test/smart/mutationFuzz.test.ts): byte-level damage (flips,
 * truncation, deletion, duplication, splices between seeds, inserted "interesting" tokens: huge, negative, 64-bit
 * and NaN-like numbers, BOMs, control characters, deep nesting) and JSON-aware damage (a value replaced by one of
 * another type or an extreme number, keys deleted or duplicated, values nested deep).
 */
import { isJsonObject, stringifyJsonExact, type JsonValue } from '../../lib/util/json.js';
import type { Rng } from './prng.js';

const enc = new TextEncoder();

/** Values a reader meets least often: wrong types, extreme and non-finite-looking numbers, hostile strings. */
export const REPLACEMENTS: readonly JsonValue[] = [
  null, true, false, 'x', '', -1, 0, 1.5, 256, 65536, 1e30, -1e30, 2 ** 53 + 2, -(2n ** 70n), 2n ** 63n - 1n, -(2n ** 63n), 2n ** 64n,
  2n ** 64n - 1n, 2n ** 200n, [], {}, [1, 'a'], { error: 'x' }, 'NaN', 'Infinity', '-0', '1e309', '\u0000', '\ufeff', '\ud800',
  'x'.repeat(5000), [[[[[]]]]], { value: -1, string: 'x' },
];

/** Text pieces inserted at random byte positions. */
const TOKENS: readonly string[] = [
  '{', '}', '[', ']', '"', ',', ':', '\\', '\\u0000', '\\ud800', '\\uffff', '0', '-', '.', 'e', 'E+', ' ', '\n', '\r', '\r\n', '\t',
  '-1', '-0', '1e309', '-1e309', '1e-400', 'NaN', 'Infinity', '-Infinity', 'null', 'true', '0x10', '00', '1.', '.5',
  '9007199254740993', '18446744073709551615', '18446744073709551616', '-9223372036854775809', '340282366920938463463374607431768211456',
  '9'.repeat(400), '\ufeff', '\u0000', '\u001b[31m', '\u2028', '\u00ff', '\ud83d\ude00', '"":', '"a":1,', ',,', 'smart_', '"id":', '"raw":',
];

const BOM = Uint8Array.of(0xef, 0xbb, 0xbf);

function concat(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) out.set(p, at), (at += p.length);
  return out;
}

function nesting(rng: Rng): Uint8Array {
  const depth = rng.pick([16, 100, 1000, 5000, 20000]);
  const open = rng.chance(0.5) ? '[' : '{"a":';
  return enc.encode(open.repeat(depth) + (rng.chance(0.5) ? '1' + (open === '[' ? ']' : '}').repeat(depth) : ''));
}

/**
 * 1–4 byte-level mutations of `input`; `others` are splice donors. The result never exceeds `maxBytes`, which bounds
 * the fuzzer's own memory whatever the mutations do.
 */
export function mutateBytes(rng: Rng, input: Uint8Array, others: readonly Uint8Array[], maxBytes: number): Uint8Array {
  let b = input;
  // Whether b is a fresh array of ours: truncation and the cap return views into the seed, which must never be written.
  let owned = false;
  const writable = (): Uint8Array => (owned ? b : ((owned = true), (b = b.slice())));
  const n = 1 + rng.below(4);
  for (let k = 0; k < n; k++) {
    const at = rng.below(b.length + 1);
    switch (rng.below(10)) {
      case 0: { // flip one bit
        if (b.length === 0) break;
        const w = writable();
        w[rng.below(w.length)]! ^= 1 << rng.below(8);
        break;
      }
      case 1: { // set a byte to a random or boundary value
        if (b.length === 0) break;
        const w = writable();
        w[rng.below(w.length)] = rng.pick([0, 0x7f, 0x80, 0xff, rng.below(256)]);
        break;
      }
      case 2: // truncate
        b = b.subarray(0, at);
        owned = false;
        break;
      case 3: { // delete a range
        const len = 1 + rng.below(Math.min(64, Math.max(1, b.length - at)));
        b = concat([b.subarray(0, at), b.subarray(at + len)]);
        break;
      }
      case 4: { // duplicate a range somewhere else
        const from = rng.below(b.length + 1);
        const piece = b.subarray(from, from + 1 + rng.below(256));
        b = concat([b.subarray(0, at), piece, b.subarray(at)]);
        break;
      }
      case 5: // splice in a piece of another seed
        if (others.length > 0) {
          const o = rng.pick(others);
          const from = rng.below(o.length + 1);
          b = concat([b.subarray(0, at), o.subarray(from, from + 1 + rng.below(512)), b.subarray(at + rng.below(64))]);
        }
        break;
      case 6: // deep nesting
        b = concat([b.subarray(0, at), nesting(rng), b.subarray(at)]);
        break;
      case 7: // BOM at the start or anywhere
        b = rng.chance(0.5) ? concat([BOM, b]) : concat([b.subarray(0, at), BOM, b.subarray(at)]);
        break;
      default: // an interesting token, inserted or overwriting
        b = concat([b.subarray(0, at), enc.encode(rng.pick(TOKENS)), b.subarray(at + (rng.chance(0.5) ? rng.below(8) : 0))]);
    }
    if (b.length > maxBytes) (b = b.subarray(0, maxBytes)), (owned = false);
  }
  return b;
}

export type JsonPath = (string | number)[];

/** Every path in a JSON value (containers and leaves), parents before children. */
export function allPaths(v: JsonValue, prefix: JsonPath = [], out: JsonPath[] = []): JsonPath[] {
  if (Array.isArray(v)) v.forEach((x, i) => (out.push([...prefix, i]), allPaths(x, [...prefix, i], out)));
  else if (isJsonObject(v)) for (const [k, x] of Object.entries(v)) out.push([...prefix, k]), allPaths(x, [...prefix, k], out);
  return out;
}

/** The container holding `path`'s last step, or undefined when an earlier mutation removed it. */
export function containerOf(root: JsonValue, path: JsonPath): { parent: JsonValue[] | Record<string, JsonValue>; key: string | number } | undefined {
  let cur: JsonValue | undefined = root;
  for (const t of path.slice(0, -1)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, JsonValue>)[t];
  }
  if (cur === null || typeof cur !== 'object' || cur === undefined) return undefined;
  return { parent: cur as JsonValue[] | Record<string, JsonValue>, key: path[path.length - 1]! };
}

function typeSwap(v: JsonValue | undefined): JsonValue {
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (typeof v === 'string') return /^-?\d+$/.test(v) ? BigInt(v) : v.length;
  if (Array.isArray(v)) return Object.fromEntries(v.map((x, i) => [String(i), x]));
  if (v !== null && typeof v === 'object') return Object.values(v);
  return v === null || v === undefined ? 0 : [v];
}

function numberNear(v: JsonValue | undefined, rng: Rng): JsonValue {
  const base = typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : 0;
  return rng.pick<JsonValue>([base + 1, base - 1, -base, base * 2 ** 32, base / 3, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2n ** 64n - 1n, 2n ** 48n]);
}

/**
 * A seed document with 1–3 structural mutations, serialised (64-bit integers exact). `paths` are the seed's own,
 * computed once; a path an earlier mutation removed is skipped. Duplicated keys and deep nesting are made in the
 * text, since a parsed object cannot hold them.
 */
export function mutateJson(rng: Rng, doc: JsonValue, paths: readonly JsonPath[]): string {
  if (paths.length === 0) return stringifyJsonExact(doc);
  const copy = structuredClone(doc);
  const n = 1 + rng.below(3);
  let duplicate: { key: string; value: JsonValue } | undefined;
  for (let k = 0; k < n; k++) {
    const path = rng.pick(paths);
    const c = containerOf(copy, path);
    if (c === undefined) continue;
    const parent = c.parent as Record<string | number, JsonValue>;
    const old = parent[c.key];
    switch (rng.below(6)) {
      case 0:
        parent[c.key] = structuredClone(rng.pick(REPLACEMENTS));
        break;
      case 1:
        parent[c.key] = typeSwap(old);
        break;
      case 2:
        parent[c.key] = numberNear(old, rng);
        break;
      case 3:
        if (Array.isArray(c.parent)) c.parent.splice(c.key as number, 1);
        else delete parent[c.key];
        break;
      case 4: {
        let v: JsonValue = old ?? null;
        // Moderate depth here (JSON.stringify recurses); the byte mutations insert far deeper nesting as text.
        for (let d = rng.pick([10, 100, 500]); d > 0; d--) v = rng.chance(0.5) ? [v] : { v };
        parent[c.key] = v;
        break;
      }
      default:
        if (typeof c.key === 'string') duplicate = { key: c.key, value: structuredClone(rng.pick(REPLACEMENTS)) };
    }
  }
  let text = stringifyJsonExact(copy);
  if (duplicate !== undefined) {
    // Repeat the key right after the first object's brace that is followed by it: the later value wins in JSON.parse.
    const needle = JSON.stringify(duplicate.key) + ':';
    const at = text.indexOf(needle);
    if (at >= 0) text = text.slice(0, at) + needle + stringifyJsonExact(duplicate.value) + ',' + text.slice(at);
  }
  return text;
}
