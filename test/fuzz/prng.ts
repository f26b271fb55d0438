/**
 * Deterministic PRNG for the fuzzer. Every case draws from its own generator, derived from (run seed, case index),
 * so any single case can be regenerated on its own: `--seed S --case I` replays exactly what case I saw.
 */
export interface Rng {
  /** uniform in [0, 2^32) */
  u32(): number;
  /** uniform integer in [0, n) (n ≥ 1) */
  below(n: number): number;
  /** true with probability p */
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
}

/** mulberry32: tiny, fast, good enough to drive mutations (not for anything cryptographic). */
export function makeRng(seed: number): Rng {
  let a = seed >>> 0;
  const u32 = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  const below = (n: number): number => (n <= 1 ? 0 : Math.floor((u32() / 0x1_0000_0000) * n));
  return {
    u32,
    below,
    chance: (p) => u32() / 0x1_0000_0000 < p,
    pick: (items) => items[below(items.length)]!,
  };
}

/** The generator for one case: a hash of the run seed and the case index (splitmix-style finaliser). */
export function caseRng(seed: number, caseIndex: number): Rng {
  let h = (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(caseIndex >>> 0, 0x85ebca6b) ^ Math.floor(caseIndex / 0x1_0000_0000)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return makeRng((h ^ (h >>> 16)) >>> 0);
}
