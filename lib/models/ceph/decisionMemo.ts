/**
 * Decision values of one SVM already computed, keyed by the input row's exact bits: a device's diff rows repeat
 * (steady counters give all-zero rows on most devices; each new day of a history re-reads the previous days'
 * rows), and the kernel over ~2,300 support vectors is nearly all of a prediction's time. Same bits, same
 * arithmetic, same value (−0 and 0 are different keys, as are NaNs of different bits: never a wrong hit).
 *
 * An open-addressing table over the rows' 32-bit words, in typed arrays: a text key per row (the bits as a
 * string, then a Map lookup) cost more than the kernel it saved on a cold run. Bounded: a full table is emptied
 * and refilled (up to 256 rows and 512 kB of rows per model: at most ~1.5 MB for Ceph's 75 models of ~10 attributes).
 *
 * Use: fill `input`, then `lookup()`; on a miss compute the value of `input` and `store()` it.
 */
export class DecisionMemo {
  /** the row asked about */
  readonly input: Float64Array;
  private readonly inputWords: Uint32Array;
  private readonly rows: Float64Array;
  private readonly rowWords: Uint32Array;
  private readonly values: Float64Array;
  /** entry index + 1 per slot, 0 when empty; twice the capacity, a power of two */
  private readonly slots: Int32Array;
  private count = 0;
  /** where the last lookup found `input`, or would put it */
  private slot = -1;
  private readonly capacity: number;

  /** Up to `rows` rows, fewer for wide ones: the table keeps at most MAX_MEMO_VALUES doubles of rows. */
  constructor(
    private readonly nFeatures: number,
    rows = 256,
  ) {
    this.capacity = Math.max(1, Math.min(rows, Math.floor(MAX_MEMO_VALUES / Math.max(nFeatures, 1))));
    const capacity = this.capacity;
    this.input = new Float64Array(nFeatures);
    this.inputWords = new Uint32Array(this.input.buffer);
    this.rows = new Float64Array(capacity * nFeatures);
    this.rowWords = new Uint32Array(this.rows.buffer);
    this.values = new Float64Array(capacity);
    this.slots = new Int32Array(2 ** Math.ceil(Math.log2(2 * capacity)));
  }

  /** The value stored for a row with exactly `input`'s bits, else undefined. */
  lookup(): number | undefined {
    this.slot = this.find();
    const entry = this.slots[this.slot]!;
    return entry === 0 ? undefined : this.values[entry - 1];
  }

  /** Stores `value` for `input` (after a lookup that missed). */
  store(value: number): void {
    if (this.count === this.capacity) {
      this.slots.fill(0);
      this.count = 0;
      this.slot = this.find();
    }
    const entry = ++this.count;
    this.slots[this.slot] = entry;
    this.rows.set(this.input, (entry - 1) * this.nFeatures);
    this.values[entry - 1] = value;
  }

  private find(): number {
    const xw = this.inputWords;
    const n = xw.length;
    let h = 0x811c9dc5;
    for (let w = 0; w < n; w++) h = Math.imul(h ^ xw[w]!, 0x01000193);
    // mixed before taking the low bits, which a multiply leaves depending on the inputs' low bits alone
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    const mask = this.slots.length - 1;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot]!;
      if (entry === 0) return slot;
      const base = (entry - 1) * n;
      let w = 0;
      while (w < n && this.rowWords[base + w] === xw[w]) w++;
      if (w === n) return slot;
    }
  }
}

/** 64 K doubles: 512 kB of rows per model at most (Ceph's models, ~10 attributes, keep 20 kB). */
const MAX_MEMO_VALUES = 65536;
