/**
 * The daemon-wide reply budget's reservations (MemoryBudget.reserveReply): who gets room, in what order, and that a
 * reply too large to fit waits without holding back the small replies of clients that read theirs.
 */
import { describe, expect, it } from 'vitest';
import { MemoryBudget } from '../../daemon/memoryBudget.js';

const MIB = 1024 * 1024;

/** Settles the microtasks a grant resolves through. */
function settle(): Promise<void> {
  return new Promise((r) => setImmediate(r));
}

function track(p: Promise<() => void>): { granted: () => boolean; release: () => void } {
  let release: (() => void) | undefined;
  void p.then((r) => (release = r));
  return { granted: () => release !== undefined, release: () => release!() };
}

describe('MemoryBudget reservations', () => {
  it('grants a small reply that fits while a larger one earlier in line waits for room', async () => {
    const budget = new MemoryBudget({ maxBufferedRequestBytes: 32 * MIB, maxQueuedReplyBytes: 8 * MIB });
    const first = track(budget.reserveReply(4 * MIB));
    const second = track(budget.reserveReply(3 * MIB));
    await settle();
    expect([first.granted(), second.granted()]).toEqual([true, true]);
    // 7 MiB reserved: a third multi-megabyte reply waits...
    const big = track(budget.reserveReply(4 * MIB));
    // ...and a 100 kB one behind it, which fits, does not wait for it (it used to, until the first two drained).
    const small = track(budget.reserveReply(100_000));
    await settle();
    expect(big.granted()).toBe(false);
    expect(small.granted()).toBe(true);
    // Once room is back, the large one gets it.
    first.release();
    await settle();
    expect(big.granted()).toBe(true);
  });

  it('grants in arrival order among replies that fit', async () => {
    const budget = new MemoryBudget({ maxBufferedRequestBytes: 32 * MIB, maxQueuedReplyBytes: 8 * MIB });
    const holder = track(budget.reserveReply(8 * MIB));
    await settle();
    const order: number[] = [];
    const waiters = [4, 2, 2].map((mib, i) => budget.reserveReply(mib * MIB).then(() => order.push(i)));
    holder.release();
    await Promise.all(waiters);
    expect(order).toEqual([0, 1, 2]);
  });

  it('lets a reply larger than the whole budget go alone, first in line, once nothing else holds room', async () => {
    const budget = new MemoryBudget({ maxBufferedRequestBytes: 32 * MIB, maxQueuedReplyBytes: 1 * MIB });
    const small = track(budget.reserveReply(100_000));
    await settle();
    const huge = track(budget.reserveReply(3 * MIB));
    await settle();
    expect(huge.granted()).toBe(false);
    small.release();
    await settle();
    expect(huge.granted()).toBe(true);
    // while it is built, even a small reply waits: the budget is already past its cap
    const after = track(budget.reserveReply(100_000));
    await settle();
    expect(after.granted()).toBe(false);
    huge.release();
    await settle();
    expect(after.granted()).toBe(true);
  });
});
