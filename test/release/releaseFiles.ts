/** Where the release artefacts are, and a PATH that looks like a bare target host (no Node, npm, compiler, Python). */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const releaseDir = join(projectRoot, 'release');

export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version: string }).version;
}

export function bundlePath(): string {
  return join(releaseDir, `diskpredict-${packageVersion()}-linux-${process.arch}.tar.gz`);
}

/** What the launcher and install.sh use, and nothing more. */
const HOST_TOOLS = ['sh', 'readlink', 'dirname', 'cp', 'mv', 'rm', 'ln', 'mkdir', 'sed', 'id', 'cat', 'getent', 'unshare'];

/** Makes DIR hold links to the host tools only; returns it as a PATH. */
export function hostToolsPath(dir: string): string {
  mkdirSync(dir, { recursive: true });
  for (const tool of HOST_TOOLS) {
    let where = '';
    try {
      where = execFileSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim();
    } catch {
      continue; // absent here: a test that needs it says so by failing on it
    }
    symlinkSync(where, join(dir, tool));
  }
  return dir;
}
