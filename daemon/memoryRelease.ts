/**
 * Gives memory back after a burst. V8 collects garbage only while JavaScript allocates, so a daemon that goes
 * quiet after a burst (the queued replies of a client it cut, a large batch) keeps that garbage, and the Buffers
 * it holds outside the heap, indefinitely: after the soak's amplification attack the RSS stayed at 155 MB a minute
 * later, 85 MB of it V8 heap and Buffers that were nearly all garbage. Once a second this checks: when the daemon
 * has handled no request for IDLE_MS while its heap and Buffers hold RELEASE_GROWTH_BYTES more than after the last
 * such release, it runs a full collection. A full collection stops the event loop for 20-36 ms, so it never runs
 * more often than every MIN_INTERVAL_MS, and a daemon under load is left to V8 (whose own collections keep up
 * there). It used to run one under load too, right after the daemon cut a client (its queued replies garbage):
 * in the soak's amplification phase that raised the peak RSS (171-178 MB against 131-138 MB without, compacting
 * needs room) and the clients' p99 (88-118 ms against 68-81 ms). A second after the collection,
 * glibc is asked to give back what it now holds free (malloc_trim, through the native addon; without the addon that
 * step is skipped): freed Buffers otherwise stay in its arenas, 12-16 MB after the amplification attack.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { allocatorFreeBytes, fixMallocThresholds, releaseFreedMemory } from '../lib/native/index.js';

const CHECK_INTERVAL_MS = 1000;
export const IDLE_MS = 2000;
export const MIN_INTERVAL_MS = 5000;
// Low: a collection on going quiet costs no other client anything, and it does not repeat while nothing grows
// (16 MiB left 10 MB of dead Buffers after the soak's poison phase: RSS 109 MB a minute later).
export const RELEASE_GROWTH_BYTES = 4 * 1024 * 1024;
// RSS can stay up when the heap does not: V8 frees a burst's Buffers by itself, at a time of its choosing (after our
// trims, too), and glibc keeps the freed pages in the middle of its heap (60 MB of [heap] after the soak's oversize
// attack, all of it free). Only malloc_trim gives them back, so a quiet daemon whose allocator holds this much free
// also trims, without a collection.
export const TRIM_FREE_BYTES = 16 * 1024 * 1024;
export const TRIMS_PER_RELEASE = 3;

// glibc's own starting values, kept fixed: left dynamic, its mmap threshold climbs to the largest block freed (a
// 4 MiB reply), after which large Buffers live in the arenas, where only a trim gives their pages back. Not measured
// apart from the trims below; together, RSS fell back under 100 MB within 11 s after every soak attack, where it had
// stayed up for more than a minute after three of them (docs/RELIABILITY.md, fourth round).
const MMAP_THRESHOLD_BYTES = 128 * 1024;
const TRIM_THRESHOLD_BYTES = 128 * 1024;

/** For a long-running daemon: large freed blocks go back to the system at once (native addon, glibc only). */
export function fixAllocatorThresholds(): boolean {
  return fixMallocThresholds(MMAP_THRESHOLD_BYTES, TRIM_THRESHOLD_BYTES);
}

/** What the releaser acts on; the defaults are the process's own (tests pass their own). */
export interface MemoryReleaseHooks {
  /** a full collection, or undefined where the runtime offers none */
  collect: (() => void) | undefined;
  /** malloc_trim where available */
  trim: () => void;
  /** bytes the heap and Buffers hold */
  held: () => number;
  /** bytes the C library holds free (NaN where unknown) */
  allocatorFree: () => number;
  now: () => number;
}

export class MemoryRelease {
  private readonly collect: (() => void) | undefined;
  private readonly trim: () => void;
  private readonly held: () => number;
  private readonly allocatorFree: () => number;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  private requestSeen = false;
  private lastRequestAt: number;
  private lastReleaseAt = -Infinity;
  /** trims still to run, one per check, after the last collection */
  private trimsPending = 0;
  private baselinePending = false;
  /** heap used + external bytes right after the last release on going quiet (or at start) */
  private idleBaseline: number;
  private lastTrimAt = -Infinity;
  /** full collections run so far */
  releases = 0;

  constructor(
    hooks: MemoryReleaseHooks = { collect: fullCollection(), trim: releaseFreedMemory, held: heapAndBuffers, allocatorFree: allocatorFreeBytes, now: () => performance.now() },
  ) {
    ({ collect: this.collect, trim: this.trim, held: this.held, allocatorFree: this.allocatorFree, now: this.now } = hooks);
    this.lastRequestAt = this.now();
    this.idleBaseline = this.held();
  }

  start(): void {
    if (!this.collect || this.timer) return;
    this.timer = setInterval(() => this.check(), CHECK_INTERVAL_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Called for every request: one store, so the hot path pays nothing measurable. */
  noteRequest(): void {
    this.requestSeen = true;
  }

  /** Runs once a second (exposed for tests). Where the runtime offers no collection, does nothing. */
  check(): void {
    if (!this.collect) return;
    const now = this.now();
    if (this.trimsPending > 0) {
      // From a second after the collection: V8 frees dead Buffers' memory on a background thread after it, so only
      // then does glibc hold it free, and only then does `held` show what is left (taken as the new baseline after
      // a release on going quiet; right after the collection it still counted the dead Buffers). That thread can
      // take longer than a second (one V8 worker, a busy machine: the soak's oversize phase kept 60 MB when the
      // only trim came first), so the trim runs on TRIMS_PER_RELEASE checks in a row; each costs about a
      // millisecond.
      const first = this.trimsPending === TRIMS_PER_RELEASE;
      this.trimsPending--;
      this.runTrim();
      if (this.baselinePending && first) this.idleBaseline = this.held();
      if (this.trimsPending === 0) this.baselinePending = false;
    }
    if (this.requestSeen) {
      this.requestSeen = false;
      this.lastRequestAt = now;
    }
    if (now - this.lastReleaseAt < MIN_INTERVAL_MS) return;
    if (now - this.lastRequestAt < IDLE_MS) return;
    if (this.held() - this.idleBaseline >= RELEASE_GROWTH_BYTES) {
      this.release();
      this.baselinePending = true;
    } else if (this.trimsPending === 0 && now - this.lastTrimAt >= MIN_INTERVAL_MS && this.allocatorFree() >= TRIM_FREE_BYTES) {
      this.runTrim();
    }
  }

  private runTrim(): void {
    this.trim();
    this.lastTrimAt = this.now();
  }

  private release(): void {
    this.collect!();
    this.trimsPending = TRIMS_PER_RELEASE;
    this.releases++;
    this.lastReleaseAt = this.now();
  }
}

function heapAndBuffers(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

/**
 * V8's `gc()`, without asking every launcher (npm start, the systemd unit, the packages) for --expose-gc: the flag
 * set at run time makes the function available in a new context. Undefined if the runtime refuses.
 */
function fullCollection(): (() => void) | undefined {
  const existing = (globalThis as { gc?: unknown }).gc;
  if (typeof existing === 'function') return existing as () => void;
  try {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    return typeof gc === 'function' ? (gc as () => void) : undefined;
  } catch {
    return undefined;
  }
}
