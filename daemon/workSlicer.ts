/**
 * Cooperative time slicing for long request work (a predict_batch over many devices, a history of thousands of
 * stored samples): the work calls `yieldIfDue()` between small steps, and after SLICE_MS of work it gives the
 * event loop back, so other clients keep their latency. Once shutdown begins, the next yield ends the request.
 *
 * Giving the loop back is not enough on its own: a client that sends a new work-heavy batch as soon as the last
 * one is answered kept the daemon's thread busy all the time, and the well-behaved clients' requests, answered
 * between slices, still waited behind the CPU that work took from them and from the machine (the soak's
 * batchStall phase: p50 11.8 ms on a quiet machine). So long work, all requests together, gets at most
 * LONG_WORK_SHARE of the loop's time: after a slice, the work rests until its share is back. The rest is shared,
 * process-wide, because the event loop is.
 */
import { performance } from 'node:perf_hooks';
import { RequestError } from './protocol/errors.js';

// A few milliseconds: a well-behaved client's request waits at most about this long behind someone's big one.
const SLICE_MS = 4;
// Half the loop: a fleet's daily predict_batch takes twice its CPU time in wall time, and the requests of the
// other clients find the loop free at least every other slice.
const LONG_WORK_SHARE = 0.5;

/** The process's account of long work: when the next slice may start. */
let restUntilMs = 0;

export class WorkSlicer {
  private sliceStart = performance.now();

  constructor(private readonly stopping: () => boolean) {}

  async yieldIfDue(): Promise<void> {
    const now = performance.now();
    const worked = now - this.sliceStart;
    if (worked < SLICE_MS) return;
    restUntilMs = Math.max(restUntilMs, now) + (worked * (1 - LONG_WORK_SHARE)) / LONG_WORK_SHARE;
    await new Promise<void>((resolve) => setImmediate(resolve));
    // Another request's slice may have pushed the rest further while this one waited: wait for that too.
    for (let wait = restUntilMs - performance.now(); wait > 0; wait = restUntilMs - performance.now()) {
      await new Promise<void>((resolve) => setTimeout(resolve, Math.ceil(wait)));
    }
    if (this.stopping()) throw new RequestError('BUSY', 'the daemon is stopping; request abandoned, retry when it is back');
    this.sliceStart = performance.now();
  }
}
