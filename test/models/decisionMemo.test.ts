/** The table of decision values already computed (decisionMemo.ts): a hit only for the very same bits. */
import { describe, expect, it } from 'vitest';
import { DecisionMemo } from '../../lib/models/ceph/decisionMemo.js';

function ask(memo: DecisionMemo, row: number[]): number | undefined {
  memo.input.set(row);
  return memo.lookup();
}

function remember(memo: DecisionMemo, row: number[], value: number): void {
  expect(ask(memo, row)).toBeUndefined();
  memo.store(value);
}

describe('DecisionMemo', () => {
  it('finds a row only by its exact bits: 0 is not −0, NaN finds its own bits', () => {
    const memo = new DecisionMemo(3);
    remember(memo, [0, 0, 0], 1.5);
    remember(memo, [0, -0, 0], 2.5);
    remember(memo, [NaN, 1, 2], 3.5);
    expect(ask(memo, [0, 0, 0])).toBe(1.5);
    expect(ask(memo, [0, -0, 0])).toBe(2.5);
    expect(ask(memo, [NaN, 1, 2])).toBe(3.5);
    expect(ask(memo, [0, 0, 1e-300])).toBeUndefined();
    expect(ask(memo, [1, 2, NaN])).toBeUndefined();
  });

  it('keeps every row while it has room, through hash collisions, then starts again when full', () => {
    const memo = new DecisionMemo(2, 64);
    // many rows differing in one low bit: their hashes collide in the table's low bits often
    const rows = Array.from({ length: 64 }, (_, i) => [i * 2 ** -40, 1]);
    rows.forEach((r, i) => remember(memo, r, i));
    rows.forEach((r, i) => expect(ask(memo, r)).toBe(i));
    // the 65th row empties the table: it is found, the older ones are not
    remember(memo, [5, 5], -1);
    expect(ask(memo, [5, 5])).toBe(-1);
    expect(ask(memo, rows[0]!)).toBeUndefined();
  });

  it('keeps fewer rows of a wide model (512 kB of rows at most), at least one', () => {
    const wide = new DecisionMemo(50_000);
    const a = Array.from({ length: 50_000 }, (_, i) => i);
    remember(wide, a, 7);
    expect(ask(wide, a)).toBe(7);
    const b = a.map((v) => v + 1);
    remember(wide, b, 8);
    expect(ask(wide, b)).toBe(8);
    expect(ask(wide, a)).toBeUndefined();
  });
});
