/**
 * Cooperative time slicing for long request work (a predict_batch over many devices, a history of thousands of
 * stored samples): the work calls `yieldIfDue()` between small steps, and after SLICE_MS of work it gives the
 * event loop back, so other clients keep their latency. Once shutdown begins, the next yield ends the request.
 *
 * Giving the loop back is not enough on its own: a client that sends a new work-heavy batch as soon as the last
 * one is answered kept the daemon's thread busy all the time, and the well-behaved clients' requests, answered
 * between slices, still waited behind the CPU that work took from them and from the machine (the soak's
 * batchStall phase: p50 11.8 ms on a quiet machine). So while other requests arrive, long work, all requests
 * together, gets at most SHARE_WITH_OTHERS of the loop's time: after a slice, the work rests until its share is
 * back. The rest is shared, process-wide, because the event loop is. A daemon with nobody else to serve (the mgr
 * module's nightly pass over a fleet) lets long work run at full speed, a slice at a time.
 */
import { performance } from 'node:perf_hooks';
import { RequestError } from './protocol/errors.js';

// A well-behaved client's request waits at most about this long behind someone's big one. 2 rather than 4 ms: the
// soak's batchStall p99 went from 11.2-11.3 to 8.0-8.9 ms (two alternating pairs, quiet machine); the yields cost
// little beside the work (a setImmediate each).
const SLICE_MS = 2;
// A quarter of the loop while others are served: at half, the loop was nearly always busy under the soak's 640
// requests/s (which take almost half of it themselves), and requests queued: batchStall p50 13-15 ms against
// 6.2-6.7 ms at a quarter (two pairs, same load). A fleet's batch then takes four times its CPU time in wall time.
const SHARE_WITH_OTHERS = 0.25;
// "While others are served": a request arrived after the work began, within this long.
const OTHERS_RECENT_MS = 1000;

/** The process's account of long work: when the next slice may start. */
let restUntilMs = 0;
/** When the daemon last read a request (noteRequestArrival) */
let lastArrivalMs = -Infinity;

/** Called for every request read: long work that began before it gives way for a while. */
export function noteRequestArrival(now = performance.now()): void {
  lastArrivalMs = now;
}

export class WorkSlicer {
  private sliceStart = performance.now();
  /** requests that arrived after this work began are the others it gives way to */
  private readonly began = this.sliceStart;

  constructor(private readonly stopping: () => boolean) {}

  async yieldIfDue(): Promise<void> {
    const now = performance.now();
    const worked = now - this.sliceStart;
    if (worked < SLICE_MS) return;
    const othersAbout = lastArrivalMs > this.began && now - lastArrivalMs < OTHERS_RECENT_MS;
    if (othersAbout) restUntilMs = Math.max(restUntilMs, now) + (worked * (1 - SHARE_WITH_OTHERS)) / SHARE_WITH_OTHERS;
    await new Promise<void>((resolve) => setImmediate(resolve));
    // Another request's slice may have pushed the rest further while this one waited: wait for that too.
    for (let wait = restUntilMs - performance.now(); wait > 0; wait = restUntilMs - performance.now()) {
      await new Promise<void>((resolve) => setTimeout(resolve, Math.ceil(wait)));
    }
    if (this.stopping()) throw new RequestError('BUSY', 'the daemon is stopping; request abandoned, retry when it is back');
    this.sliceStart = performance.now();
  }
}
