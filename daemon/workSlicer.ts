/**
 * Cooperative time slicing for long request work (a predict_batch over many devices, a history of thousands of
 * stored samples): the work calls `yieldIfDue()` between small steps, and after SLICE_MS of work it gives the
 * event loop back, so other clients keep their latency. Once shutdown begins, the next yield ends the request.
 */
import { performance } from 'node:perf_hooks';
import { RequestError } from './protocol/errors.js';

// A few milliseconds: a well-behaved client's request waits at most about this long behind someone's big one.
const SLICE_MS = 4;

export class WorkSlicer {
  private sliceStart = performance.now();

  constructor(private readonly stopping: () => boolean) {}

  async yieldIfDue(): Promise<void> {
    if (performance.now() - this.sliceStart < SLICE_MS) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (this.stopping()) throw new RequestError('BUSY', 'the daemon is stopping; request abandoned, retry when it is back');
    this.sliceStart = performance.now();
  }
}
