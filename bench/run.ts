/**
 * `npm run bench`: every benchmark in sequence, each in its own process (a fresh heap, so one
 * bench's garbage does not weigh on the next). Each prints its figures as ratios against a baseline
 * measured in the same run. The long ones have their own scripts too: `npm run bench:train`,
 * `npm run bench:native`, `npm run bench:daemon`.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const benches: { file: string; args?: string[]; env?: Record<string, string> }[] = [
  { file: 'startup.bench.ts' },
  { file: 'smart.bench.ts' },
  { file: 'readMany.bench.ts' },
  { file: 'cephModels.bench.ts' },
  { file: 'gbdt.bench.ts', args: ['--rows', '300000', '--rounds', '30'] },
  { file: 'native.bench.ts', env: { BENCH_HISTORIES: '20000' } },
  { file: 'store.bench.ts' },
  { file: 'ingestCheckpoint.bench.ts' },
  { file: 'historyReply.bench.ts' },
  { file: 'daemon.bench.ts' },
  { file: 'train.bench.ts' },
];

let failed = 0;
for (const bench of benches) {
  const path = fileURLToPath(new URL(bench.file, import.meta.url));
  console.log(`\n== ${bench.file} ${(bench.args ?? []).join(' ')}`);
  const run = spawnSync(process.execPath, [...process.execArgv, path, ...(bench.args ?? [])], {
    stdio: 'inherit',
    env: { ...process.env, ...bench.env },
  });
  if (run.status !== 0) {
    failed++;
    console.log(`!! ${bench.file} exited with ${run.status ?? run.signal}`);
  }
}
process.exitCode = failed ? 1 : 0;
