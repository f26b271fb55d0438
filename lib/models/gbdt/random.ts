/**
 * Seeded PRNG (mulberry32): the learner never uses Math.random, so the same seed gives the same
 * model on every run and platform.
 */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    // Mix the seed so nearby seeds give unrelated streams.
    this.state = (Math.imul((seed | 0) ^ 0x9e3779b9, 0x85ebca6b) ^ 0x6d2b79f5) >>> 0;
  }

  /** uniform in [0, 1) */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** k distinct indices from [0, n), ascending (partial Fisher–Yates) */
  sampleIndices(n: number, k: number): Uint32Array {
    if (k >= n) return Uint32Array.from({ length: n }, (_, i) => i);
    const pool = Uint32Array.from({ length: n }, (_, i) => i);
    for (let i = 0; i < k; i++) {
      const j = i + Math.floor(this.next() * (n - i));
      const t = pool[i]!;
      pool[i] = pool[j]!;
      pool[j] = t;
    }
    return pool.slice(0, k).sort();
  }
}
