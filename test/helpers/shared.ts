/**
 * Locates ../shared (the real SMART data beside the project). Tests that need it use
 * `describeShared`, which skips with a message saying why when the folder is absent.
 */
import { describe, it } from 'vitest';
import { hasShared, sharedDataDir } from './sharedPaths.js';

export { hasShared, sharedDataDir, sharedDir, sharedPath } from './sharedPaths.js';

/** `describe` that skips, naming the missing folder, when ../shared/data is not beside the project. */
export function describeShared(name: string, fn: () => void): void {
  if (hasShared) describe(name, fn);
  // The body is not run when skipping: vitest collects a skipped describe's body, and bodies read shared files.
  else describe.skip(`${name} [skipped: ${sharedDataDir} not found — needs the shared SMART data beside the project]`, () => it('needs ../shared/data', () => {}));
}
