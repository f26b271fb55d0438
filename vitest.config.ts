import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

// Parsed Ceph pickles are cached per user (lib/models/ceph/pickleCache.ts): tests use a cache of their own, shared
// by the run (so the parity tests read both parsed and cached models), not the user's.
const cacheDir = process.env['DISKPREDICT_CACHE_DIR'] ?? mkdtempSync(join(tmpdir(), 'diskpredict-test-cache-'));
if (process.env['DISKPREDICT_CACHE_DIR'] === undefined) process.on('exit', () => rmSync(cacheDir, { recursive: true, force: true }));

// CI sets DISKPREDICT_TEST_REPORT to keep a JSON report for the closing summary line.
const jsonReport = process.env['DISKPREDICT_TEST_REPORT'];

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Daemon and training tests spawn real processes; two cores, so keep parallelism modest.
    maxWorkers: 2,
    env: { DISKPREDICT_CACHE_DIR: cacheDir },
    reporters: jsonReport ? ['default', 'json'] : ['default'],
    ...(jsonReport ? { outputFile: { json: jsonReport } } : {}),
  },
});
