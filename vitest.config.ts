import { defineConfig } from 'vitest/config';

// CI sets DISKPREDICT_TEST_REPORT to keep a JSON report for the closing summary line.
const jsonReport = process.env['DISKPREDICT_TEST_REPORT'];

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Daemon and training tests spawn real processes; two cores, so keep parallelism modest.
    maxWorkers: 2,
    reporters: jsonReport ? ['default', 'json'] : ['default'],
    ...(jsonReport ? { outputFile: { json: jsonReport } } : {}),
  },
});
