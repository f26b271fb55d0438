import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../lib/util/packageInfo.js';

const root = packageRoot();
const script = join(root, 'scripts', 'build-native.mjs');

/** build-native.mjs with no cmake (nor anything else) on PATH: the cmake-js route cannot build. */
function runWithoutCmake(args: string[]): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [script, '--via', 'cmake', ...args], {
    cwd: root,
    env: { ...process.env, PATH: '/nonexistent' },
    encoding: 'utf8',
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('scripts/build-native.mjs', () => {
  it('as the install hook, exits 0 with a one-line note when the addon cannot be built', () => {
    const { status, output } = runWithoutCmake([]);
    expect(status).toBe(0);
    expect(output.trim().split('\n')).toHaveLength(1);
    expect(output).toMatch(/native addon not built \(cmake-js: cmake is not on PATH\); using the TypeScript implementation/);
  });

  it('with --required, fails when the addon cannot be built', () => {
    expect(runWithoutCmake(['--required']).status).toBe(1);
  });

  it('rejects an unknown builder', () => {
    const result = spawnSync(process.execPath, [script, '--via', 'make'], { cwd: root, encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/--via expects cmake or gyp/);
  });

  it('binding.gyp compiles every native/*.cc, like CMakeLists.txt (which globs them)', () => {
    const gypSources = [...readFileSync(join(root, 'binding.gyp'), 'utf8').matchAll(/'(native\/[^']+\.cc)'/g)].map((m) => m[1]);
    const sources = readdirSync(join(root, 'native'))
      .filter((f) => f.endsWith('.cc'))
      .map((f) => `native/${f}`);
    expect([...gypSources].sort()).toEqual(sources.sort());
  });
});
