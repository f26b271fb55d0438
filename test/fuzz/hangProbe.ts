/** A target whose 6th case never returns, run under the watchdog (1 s budget): used by fuzzSlice.test.ts. */
import { runTarget } from './runner.js';
import { Watchdog } from './watchdog.js';

const dog = new Watchdog(['looper'], 9, 1);
let calls = 0;
await runTarget(
  {
    name: 'looper',
    prepare: () => ({
      seedCount: 1,
      generate: () => new Uint8Array(0),
      run: () => {
        if (++calls === 6) for (;;);
      },
      expected: () => false,
    }),
  },
  { seed: 9, cases: 100, seconds: 30, caseBudgetMs: 60_000, maxRssMb: 1e9, watchdog: { dog, targetIndex: 0 } },
);
console.log('the watchdog did not stop the hang');
