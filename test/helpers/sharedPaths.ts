/** Where ../shared (the real SMART data beside the project) is; no test-runner import, so plain scripts use it too. */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));

export const sharedDir = process.env['DISKPREDICT_SHARED'] ?? resolve(projectRoot, '..', 'shared');
export const sharedDataDir = join(sharedDir, 'data');
export const hasShared = existsSync(join(sharedDataDir, 'README.md'));

export function sharedPath(...parts: string[]): string {
  return join(sharedDataDir, ...parts);
}
