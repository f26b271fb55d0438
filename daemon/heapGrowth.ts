/**
 * How far V8 lets its heap grow past what survived the last full collection before it collects again. Left to V8,
 * the factor for a small heap is large, and a burst that raised the live size (the 4 MiB replies of the soak's
 * amplification attack) left the next limit high: the heap then filled with garbage up to it under ordinary load,
 * and the peak RSS was 126-149 MB. At 1.5 times the live size it was 106-114 MB, and 105 MB instead of 135 MB under
 * the work-heavy batches (docs/RELIABILITY.md, fifth round). The flag cannot be given in NODE_OPTIONS (Node refuses
 * it there), so the daemon sets it itself, whatever starts it; a `--heap-growing-percent` on node's command line wins.
 */
import { setFlagsFromString } from 'node:v8';

export const HEAP_GROWING_PERCENT = 50;

/** Returns the percent in force, or undefined when the command line set its own. */
export function limitHeapGrowth(execArgv: readonly string[] = process.execArgv): number | undefined {
  if (execArgv.some((a) => a.startsWith('--heap-growing-percent') || a.startsWith('--heap_growing_percent'))) return undefined;
  // V8 reads this factor each time it sets the next limit, so setting it once running takes effect from the next collection.
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  return HEAP_GROWING_PERCENT;
}
