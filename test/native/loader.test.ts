import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ADDON_RELATIVE_PATH, loadAddonFile } from '../../lib/native/addon.js';
import { packageRoot } from '../../lib/util/packageInfo.js';

const root = packageRoot();
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const addonBuilt = existsSync(join(root, ADDON_RELATIVE_PATH));

/** What a fresh process sees from lib/native/ under the given environment. */
function loaderState(env: Record<string, string | undefined>): { enabled: boolean; error: string | null; pc: unknown } {
  const script =
    "import('./lib/native/index.ts').then((n) => console.log(JSON.stringify(" +
    '{ enabled: n.nativeEnabled, error: n.nativeLoadError ?? null, pc: n.nativeEnabled ? "not asked" : n.peerCredentials(0) })));';
  const childEnv = { ...process.env, ...env };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete childEnv[key];
  const out = execFileSync(tsx, ['--eval', script], { cwd: root, env: childEnv, encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop() as string) as { enabled: boolean; error: string | null; pc: unknown };
}

describe('native loader', () => {
  it('DISKPREDICT_NATIVE=0 forces the TypeScript twins, says why, and peerCredentials returns null', () => {
    expect(loaderState({ DISKPREDICT_NATIVE: '0' })).toEqual({
      enabled: false,
      error: 'disabled by DISKPREDICT_NATIVE=0',
      pc: null,
    });
  });

  it.skipIf(!addonBuilt)('loads the built addon when DISKPREDICT_NATIVE is unset [skips when the addon is not built]', () => {
    const state = loaderState({ DISKPREDICT_NATIVE: undefined });
    expect(state.enabled).toBe(true);
    expect(state.error).toBeNull();
  });

  it('reports a missing addon as a reason, not an exception', () => {
    const load = loadAddonFile(join(root, 'build', 'no-such-dir', 'diskpredict_native.node'));
    expect('error' in load && load.error).toMatch(/not built/);
  });

  it('refuses a file that is not an addon with a message instead of crashing', () => {
    const load = loadAddonFile(join(root, 'package.json'));
    expect('error' in load && load.error).toMatch(/interface version|cannot load/);
  });

  it('lib/index.ts exports nativeEnabled as a boolean', async () => {
    const lib = await import('../../lib/index.js');
    expect(typeof lib.nativeEnabled).toBe('boolean');
  });
});

describe('built addons', () => {
  it('every addon build present (installed, cmake-js, node-gyp) loads with the current interface', async () => {
    const { addonProblems } = await import('./addonVariants.js');
    expect(addonProblems).toEqual([]);
  });
});
