/** The daemon caps V8's heap growth itself (the flag is refused in NODE_OPTIONS), unless node's command line set it. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HEAP_GROWING_PERCENT, limitHeapGrowth } from '../../daemon/heapGrowth.js';
import { projectRoot } from '../helpers/sharedPaths.js';

describe('limitHeapGrowth', () => {
  it("leaves an operator's own --heap-growing-percent alone", () => {
    expect(limitHeapGrowth(['--heap-growing-percent=20'])).toBeUndefined();
    expect(limitHeapGrowth(['--heap_growing_percent', '20'])).toBeUndefined();
  });

  it('sets the flag in a running process, where NODE_OPTIONS could not', () => {
    const tsx = join(projectRoot, 'node_modules', '.bin', 'tsx');
    const script = `import { limitHeapGrowth } from ${JSON.stringify(join(projectRoot, 'daemon', 'heapGrowth.ts'))};
      console.log(limitHeapGrowth([]));`;
    const r = spawnSync(tsx, ['--eval', script], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe(String(HEAP_GROWING_PERCENT));
    const refused = spawnSync(process.execPath, ['-e', '0'], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: `--heap-growing-percent=${HEAP_GROWING_PERCENT}` } });
    expect(refused.stderr).toContain('not allowed in NODE_OPTIONS');
  });
});
