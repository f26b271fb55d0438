/**
 * Locates ../shared (the real SMART data beside the project). Tests that need it use
 * `describeShared`, which skips with a message saying why when the folder is absent.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';

const projectRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));

export const sharedDir = process.env['DISKPREDICT_SHARED'] ?? resolve(projectRoot, '..', 'shared');
export const sharedDataDir = join(sharedDir, 'data');
export const hasShared = existsSync(join(sharedDataDir, 'README.md'));

export function sharedPath(...parts: string[]): string {
  return join(sharedDataDir, ...parts);
}

/** `describe` that skips, naming the missing folder, when ../shared/data is not beside the project. */
export function describeShared(name: string, fn: () => void): void {
  if (hasShared) describe(name, fn);
  else describe.skip(`${name} [skipped: ${sharedDataDir} not found — needs the shared SMART data beside the project]`, fn);
}
