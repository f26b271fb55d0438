import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allocatorFreeBytes, fixMallocThresholds, nativeEnabled } from '../../lib/native/index.js';
import { packageRoot } from '../../lib/util/packageInfo.js';

const root = packageRoot();
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const glibc = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header?.glibcVersionRuntime !== undefined;

/** fixMallocThresholds in a fresh process (the settings are process-wide) under the given environment. */
function fixedIn(env: Record<string, string>): boolean {
  const script = "import('./lib/native/index.ts').then((n) => console.log(JSON.stringify(n.fixMallocThresholds(131072, 131072))));";
  const out = execFileSync(tsx, ['--eval', script], { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop() as string) as boolean;
}

describe('fixMallocThresholds (the daemon keeps glibc from holding freed large blocks)', () => {
  it.skipIf(!nativeEnabled || !glibc)('sets both thresholds through the addon on glibc', () => {
    expect(fixedIn({})).toBe(true);
  });

  it("leaves an operator's MALLOC_*_THRESHOLD_ alone", () => {
    expect(fixedIn({ MALLOC_MMAP_THRESHOLD_: '65536' })).toBe(false);
    expect(fixedIn({ MALLOC_TRIM_THRESHOLD_: '65536' })).toBe(false);
  });

  it.skipIf(nativeEnabled)('does nothing without the addon', () => {
    expect(fixMallocThresholds(131072, 131072)).toBe(false);
  });

  it.skipIf(!nativeEnabled || !glibc)('says how much glibc holds free (what a trim could give back)', () => {
    const free = allocatorFreeBytes();
    expect(Number.isInteger(free) && free >= 0).toBe(true);
  });

  it.skipIf(nativeEnabled)('cannot say how much the allocator holds free without the addon', () => {
    expect(allocatorFreeBytes()).toBeNaN();
  });

  it.skipIf(!nativeEnabled)('refuses values glibc would misread', () => {
    expect(() => fixMallocThresholds(0, 131072)).toThrow(RangeError);
    expect(() => fixMallocThresholds(131072, 2 ** 31)).toThrow(RangeError);
  });
});
