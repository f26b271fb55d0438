/**
 * When the daemon gives memory back (daemon/memoryRelease.ts). Before it, garbage left by a burst (a cut client's
 * queued replies) stayed until the next allocation-driven collection, which a quiet daemon never reaches: RSS stayed
 * at 155 MB a minute after the soak's amplification attack. The real process: a daemon gets its RSS back after
 * the attack in `npm run soak`; here, the policy, with a fake clock and a fake heap.
 */
import { describe, expect, it } from 'vitest';
import { IDLE_MS, MemoryRelease, MIN_INTERVAL_MS, RELEASE_GROWTH_BYTES, TRIM_FREE_BYTES } from '../../daemon/memoryRelease.js';

function harness(heldStart = 50e6) {
  const state = { now: 0, held: heldStart, allocatorFree: 1e6, collections: 0, trims: 0 };
  const release = new MemoryRelease(
    {
      collect: () => {
        state.collections++;
        state.held = heldStart; // the garbage is gone
      },
      trim: () => {
        state.trims++;
        state.allocatorFree = 1e6;
      },
      held: () => state.held,
      allocatorFree: () => state.allocatorFree,
      now: () => state.now,
    },
  );
  /** `ms` of time in one-second checks, with a request in every second when `busy` */
  const run = (ms: number, busy: boolean) => {
    for (let t = 0; t < ms; t += 1000) {
      if (busy) release.noteRequest();
      state.now += 1000;
      release.check();
    }
  };
  return { state, release, run };
}

describe('MemoryRelease', () => {
  it('collects once the daemon goes quiet holding garbage, then trims a check later', () => {
    const { state, run } = harness();
    state.held += RELEASE_GROWTH_BYTES + 1;
    run(10_000, true);
    expect(state.collections).toBe(0); // under load V8's own collections run
    run(IDLE_MS, false);
    expect(state.collections).toBe(1);
    expect(state.trims).toBe(0);
    run(1000, false);
    expect(state.trims).toBe(1);
    run(60_000, false);
    expect(state.collections).toBe(1); // nothing new: no more collections while quiet
  });

  it('measures what is left a check after the collection, when dead Buffers have really been freed', () => {
    const { state, release, run } = harness();
    state.held += RELEASE_GROWTH_BYTES + 1;
    // this collection frees the heap at once, but the Buffers only a moment later (as V8 does)
    const collectNow = (release as unknown as { collect: () => void }).collect;
    (release as unknown as { collect: () => void }).collect = () => {
      collectNow();
      state.held += 20e6;
      setTimeoutLike = () => (state.held -= 20e6);
    };
    let setTimeoutLike: (() => void) | undefined;
    run(IDLE_MS, false);
    expect(state.collections).toBe(1);
    setTimeoutLike?.();
    run(1000, false); // the trim, and the baseline taken now
    // the next burst of garbage, smaller than the dead Buffers were but past the growth threshold: collected
    state.held += RELEASE_GROWTH_BYTES + 1;
    run(MIN_INTERVAL_MS, false);
    expect(state.collections).toBe(2);
  });

  it('leaves a quiet daemon alone when it holds little more than after the last release', () => {
    const { state, run } = harness();
    state.held += RELEASE_GROWTH_BYTES - 1;
    run(60_000, false);
    expect(state.collections).toBe(0);
  });

  it('trims without a collection when a quiet daemon\'s allocator holds much free memory (freed after the last trim)', () => {
    const { state, run } = harness();
    state.allocatorFree = TRIM_FREE_BYTES; // V8 freed a burst's Buffers on its own: the heap did not grow
    run(10_000, true);
    expect(state.trims).toBe(0); // not while serving
    run(IDLE_MS, false);
    expect(state.collections).toBe(0);
    expect(state.trims).toBe(1);
    run(60_000, false);
    expect(state.trims).toBe(1); // nothing free any more
    state.allocatorFree = TRIM_FREE_BYTES - 1;
    run(60_000, false);
    expect(state.trims).toBe(1);
    state.allocatorFree = TRIM_FREE_BYTES;
    run(1000, false);
    expect(state.trims).toBe(2);
  });

  it('does not trim on free memory where the allocator cannot say (no addon)', () => {
    const { state, run } = harness();
    state.allocatorFree = NaN;
    run(60_000, false);
    expect(state.trims).toBe(0);
  });

  it('leaves a daemon under load to V8, garbage or not (a forced collection under load raised peak RSS and p99)', () => {
    const { state, run } = harness();
    state.held += 100 * RELEASE_GROWTH_BYTES;
    run(60_000, true);
    expect(state.collections).toBe(0);
  });

  it('does nothing where the runtime offers no collection', () => {
    const trim = () => {
      throw new Error('must not be called');
    };
    const release = new MemoryRelease({ collect: undefined, trim, held: () => 1e9, allocatorFree: () => 1e9, now: () => 1e9 });
    expect(() => release.check()).not.toThrow();
  });

  it('finds the runtime collection without --expose-gc', () => {
    const release = new MemoryRelease();
    release.start();
    release.stop();
    expect(typeof (release as unknown as { collect: unknown }).collect).toBe('function');
  });
});
