/**
 * Long request work gives the event loop back after each slice and, while other requests arrive, rests so that, all
 * requests together, it takes at most a quarter of the loop's time (daemon/workSlicer.ts). Lower bounds on time only:
 * timers never fire early.
 */
import { describe, expect, it } from 'vitest';
import { noteRequestArrival, WorkSlicer } from '../../daemon/workSlicer.js';

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

  it('after a long slice, lets other callbacks run and, with another request in, rests three times as long as it worked', async () => {
    const slicer = new WorkSlicer(() => false);
    busyFor(8);
    noteRequestArrival();
    let other = false;
    setTimeout(() => (other = true), 0);
    const t = performance.now();
    await slicer.yieldIfDue();
    expect(other).toBe(true);
    expect(performance.now() - t).toBeGreaterThanOrEqual(23);
  });

  it('with nobody else to serve, only gives the loop back: no rest', async () => {
    noteRequestArrival(); // its own request, before the work began
    await new Promise((r) => setTimeout(r, 2));
    const slicer = new WorkSlicer(() => false);
    let other = false;
    setImmediate(() => (other = true));
    let worked = 0;
    const t = performance.now();
    for (let i = 0; i < 10; i++) {
      busyFor(5);
      worked += 5;
      await slicer.yieldIfDue();
    }
    expect(other).toBe(true);
    // resting would have taken three times the 50 ms of work on top of it; this bound leaves a loaded machine room
    expect(performance.now() - t).toBeLessThan(worked * 3);
  });

  it('shares the rest between requests: two long works take turns and both rest', async () => {
    const a = new WorkSlicer(() => false);
    const b = new WorkSlicer(() => false);
    const t = performance.now();
    busyFor(6);
    noteRequestArrival();
    const aYield = a.yieldIfDue();
    busyFor(6); // b's slice ran in the same turn (as two requests' steps can)
    const bYield = b.yieldIfDue();
    await Promise.all([aYield, bYield]);
    // 12 ms of work, then at least 36 ms of rest before either goes on
    expect(performance.now() - t).toBeGreaterThanOrEqual(47);
  });

  it('ends the request at the next yield once the daemon is stopping', async () => {
    let stopping = false;
    const slicer = new WorkSlicer(() => stopping);
    busyFor(5);
    stopping = true;
    await expect(slicer.yieldIfDue()).rejects.toMatchObject({ code: 'BUSY' });
  });
});
