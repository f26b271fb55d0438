/**
 * The deterministic slice of `npm run fuzz` run by `npm test`: every target for a fixed seed and 1,500 cases. A failure
 * prints the same repro line the full run does.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../helpers/sharedPaths.js';
import { describe, expect, it } from 'vitest';
import { caseRng } from './prng.js';
import { reproLine, runTarget } from './runner.js';
import type { FuzzTarget } from './target.js';
import { TARGETS } from './targets/index.js';
import { cutDownModel } from './targets/modelFile.js';
import { modelChecksum, parseModel } from '../../lib/models/modelFile.js';
import { parseJsonExact, type JsonObject } from '../../lib/util/json.js';
import { readFileSync } from 'node:fs';

const SEED = 20261203;

describe('fuzz slice (fixed seed)', () => {
  for (const target of TARGETS) {
    const cases = 1500;
    it(`${target.name}: ${cases} cases, only typed errors`, async (ctx) => {
      const r = await runTarget(target, { seed: SEED, cases, seconds: 120, caseBudgetMs: 10_000, maxRssMb: 2048 });
      if (r.skipped) return ctx.skip(r.skipped);
      const found = r.failures.map((f) => `${f.kind}: ${f.message}\n  repro: ${reproLine(target.name, SEED, f.caseIndex)}`);
      expect(found).toEqual([]);
      expect(r.cases).toBe(cases);
    });
  }
});

describe('the fuzz harness itself', () => {
  it('generates the same input for the same seed and case, another for another case', () => {
    for (const target of TARGETS) {
      const p = target.prepare();
      if (typeof p === 'string') continue;
      const a = p.generate(caseRng(7, 123));
      expect(p.generate(caseRng(7, 123))).toEqual(a);
      expect(p.generate(caseRng(7, 124))).not.toEqual(a);
    }
  });

  it("starts the model-file target from a cut-down model that is still valid, so damage reaches the checks past the checksum", () => {
    const whole = parseJsonExact(readFileSync(join(projectRoot, 'models', 'default', 'model.json'), 'utf8')) as JsonObject;
    const small = JSON.stringify(cutDownModel(whole, modelChecksum as (body: unknown) => string));
    expect(small.length).toBeLessThan(40_000);
    expect(() => parseModel(small, 'cut-down.json')).not.toThrow();
  });

  it('reports an unexpected exception with an artifact and its case, but not a typed error', async () => {
    class Typed extends Error {}
    const broken: FuzzTarget = {
      name: 'broken',
      prepare: () => ({
        seedCount: 1,
        generate: (rng) => Uint8Array.of(rng.below(4)),
        run: (input) => {
          if (input[0] === 0) throw new TypeError('reader bug');
          if (input[0] === 1) throw new Typed('bad input');
        },
        expected: (err) => err instanceof Typed,
      }),
    };
    const dir = mkdtempSync(join(tmpdir(), 'fuzz-artifacts-'));
    try {
      const r = await runTarget(broken, { seed: 5, cases: 200, seconds: 10, caseBudgetMs: 1000, maxRssMb: 4096, artifactsDir: dir });
      expect(r.failureCount).toBeGreaterThan(20);
      expect(r.failureCount).toBeLessThan(100);
      expect(r.failures.every((f) => f.kind === 'exception' && f.message.startsWith('TypeError: reader bug'))).toBe(true);
      const f = r.failures[0]!;
      expect(readdirSync(dir)).toContain(`broken-5-${f.caseIndex}.bin`);
      // the repro replays exactly that case
      const replay = await runTarget(broken, { seed: 5, firstCase: f.caseIndex, cases: 1, seconds: 10, caseBudgetMs: 1000, maxRssMb: 4096 });
      expect(replay.failureCount).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails a case that is slow every time it runs, not one that was slow once', async () => {
    let runs = 0;
    const busy = (ms: number): void => {
      const t = performance.now();
      while (performance.now() - t < ms);
    };
    const slow: FuzzTarget = {
      name: 'slow',
      prepare: () => ({
        seedCount: 1,
        generate: (rng) => Uint8Array.of(rng.below(50)),
        // input 0: always slow; the 3rd run of anything else: slow once (a stall)
        run: (input) => busy(input[0] === 0 || ++runs === 3 ? 60 : 0),
        expected: () => false,
      }),
    };
    const r = await runTarget(slow, { seed: 1, cases: 400, seconds: 30, caseBudgetMs: 40, maxRssMb: 4096 });
    expect(r.failureCount).toBeGreaterThan(0);
    expect(r.failures.every((f) => f.kind === 'slow')).toBe(true);
    expect(r.stalls).toBeGreaterThanOrEqual(1);
  });

  it('kills a run whose case hangs and prints the repro line', () => {
    const tsx = join(projectRoot, 'node_modules', '.bin', 'tsx');
    const r = spawnSync(tsx, [join(projectRoot, 'test', 'fuzz', 'hangProbe.ts')], { encoding: 'utf8', timeout: 30_000 });
    // tsx runs node as its child and passes the kill on as status 128 + 9
    expect(r.signal === 'SIGKILL' || r.status === 137).toBe(true);
    expect(r.stderr).toContain('FUZZ HANG: target looper case 5 ran over 1 s; repro: npm run fuzz -- --target looper --seed 9 --case 5');
    expect(r.stdout).not.toContain('did not stop');
  });
});
