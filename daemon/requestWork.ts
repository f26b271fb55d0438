/**
 * What one request may cost: stored samples read (config maxSamplesPerRequest) and event-loop time per slice
 * (WorkSlicer). Past the sample budget the request gets LIMIT_EXCEEDED, naming the setting.
 */
import { RequestError } from './protocol/errors.js';
import { WorkSlicer } from './workSlicer.js';
import type { DaemonContext } from './ops/context.js';

export class RequestWork {
  readonly slicer: WorkSlicer;
  private samplesLeft: number;

  constructor(ctx: DaemonContext) {
    this.slicer = new WorkSlicer(() => ctx.stopping);
    this.samplesLeft = ctx.config.maxSamplesPerRequest;
  }

  /** How many more stored samples this request may read (ask for one more to detect an overrun). */
  get sampleAllowance(): number {
    return this.samplesLeft;
  }

  takeSamples(n: number, budget: number): void {
    if (n > this.samplesLeft) {
      this.samplesLeft = 0;
      throw new RequestError('LIMIT_EXCEEDED', `request reads more than ${budget} stored samples (maxSamplesPerRequest); split it`);
    }
    this.samplesLeft -= n;
  }
}
