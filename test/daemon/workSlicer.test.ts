/**
 * Long request work gives the event loop back after each slice, and rests so that, all requests together, it takes
 * at most half the loop's time (daemon/workSlicer.ts). Lower bounds on time only: timers never fire early.
 */
import { describe, expect, it } from 'vitest';
import { WorkSlicer } from '../../daemon/workSlicer.js';

function busyFor(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // the work of a slice
  }
}

describe('WorkSlicer', () => {
  it('returns at once while the slice is short', async () => {
    const slicer = new WorkSlicer(() => false);
    let ran = false;
    setImmediate(() => (ran = true));
    await slicer.yieldIfDue();
    expect(ran).toBe(false);
  });

  it('after a long slice, lets other callbacks run and rests as long as it worked', async () => {
    const slicer = new WorkSlicer(() => false);
    busyFor(8);
    let other = false;
    setTimeout(() => (other = true), 0);
    const t = performance.now();
    await slicer.yieldIfDue();
    expect(other).toBe(true);
    expect(performance.now() - t).toBeGreaterThanOrEqual(7);
  });

  it('shares the rest between requests: two long works take turns and both rest', async () => {
    const a = new WorkSlicer(() => false);
    const b = new WorkSlicer(() => false);
    const t = performance.now();
    busyFor(6);
    const aYield = a.yieldIfDue();
    busyFor(6); // b's slice ran in the same turn (as two requests' steps can)
    const bYield = b.yieldIfDue();
    await Promise.all([aYield, bYield]);
    // 12 ms of work, then at least 12 ms of rest before either goes on
    expect(performance.now() - t).toBeGreaterThanOrEqual(23);
  });

  it('ends the request at the next yield once the daemon is stopping', async () => {
    let stopping = false;
    const slicer = new WorkSlicer(() => stopping);
    busyFor(5);
    stopping = true;
    await expect(slicer.yieldIfDue()).rejects.toMatchObject({ code: 'BUSY' });
  });
});
