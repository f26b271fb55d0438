/**
 * Reading many files: `readDeviceHistories` and `diskpredict predict` over the 323 golden Ceph
 * dumps (../shared/data/golden/cases) and the smartctl folder. Run: `npx tsx bench/readMany.bench.ts`.
 *
 *  - in-process: the default (16 reads in flight, no Ceph day dicts) and blocking reads (what the
 *    predict command uses) against the CLI's old way (one file at a time, day dicts built for every
 *    sample) in the same run, rounds alternating; wall and CPU time (the process's, all threads);
 *  - whole process: `node dist/lib/cli/launcher.cjs predict DIR` (the installed command) against Node's bare start-up
 *    (`node -e 0`), runs alternating, median of 5 (needs `npm run build:ts` first).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { readDeviceHistories, type ReadDeviceHistoriesOptions } from '../lib/smart/readDeviceHistories.js';
import { hasShared, sharedPath } from '../test/helpers/shared.js';

const ROUNDS = 7;
const PROCESS_RUNS = 5;
const cli = fileURLToPath(new URL('../dist/lib/cli/launcher.cjs', import.meta.url)); // the command as installed (package.json bin)

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Wall and CPU milliseconds (CPU: every thread of this process, the thread pool's included). */
async function timeRead(dir: string, options: ReadDeviceHistoriesOptions): Promise<{ wall: number; cpu: number }> {
  const start = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  await readDeviceHistories(dir, options);
  const cpu = process.cpuUsage(cpu0);
  return { wall: Number(process.hrtime.bigint() - start) / 1e6, cpu: (cpu.user + cpu.system) / 1e3 };
}

async function benchInProcess(name: string, dir: string): Promise<void> {
  const variants: Array<[string, ReadDeviceHistoriesOptions]> = [
    ['1 at a time + day dicts (old CLI)', { concurrency: 1, cephDayDict: true }],
    ['16 in flight, no day dicts', { cephDayDict: false }],
    ['blocking reads, no day dicts (CLI)', { cephDayDict: false, blocking: true }],
  ];
  for (const [, o] of variants) await timeRead(dir, o); // warm-up
  const ms = variants.map(() => [] as number[]);
  const cpu = variants.map(() => [] as number[]);
  for (let r = 0; r < ROUNDS; r++)
    for (const [i, [, o]] of variants.entries()) {
      const t = await timeRead(dir, o);
      ms[i]!.push(t.wall);
      cpu[i]!.push(t.cpu);
    }
  const base = median(ms[0]!);
  const cpuBase = median(cpu[0]!);
  console.log(`readDeviceHistories, ${name}: median of ${ROUNDS} rounds`);
  variants.forEach(([label], i) =>
    console.log(
      `  ${label.padEnd(36)} ${median(ms[i]!).toFixed(1).padStart(8)} ms   ${(median(ms[i]!) / base).toFixed(2)}x the old way;` +
        ` cpu ${median(cpu[i]!).toFixed(1).padStart(8)} ms   ${(median(cpu[i]!) / cpuBase).toFixed(2)}x`,
    ),
  );
}

function wallMs(args: string[]): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { stdio: 'ignore' });
  if (r.error) throw r.error;
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function benchWholeProcess(name: string, dir: string): void {
  const commands: Array<[string, string[]]> = [
    ['node -e 0 (baseline)', ['-e', '0']],
    [`predict ${name}`, [cli, 'predict', dir]],
  ];
  for (const [, args] of commands) wallMs(args); // warm-up (page cache, compile cache)
  const ms = commands.map(() => [] as number[]);
  for (let r = 0; r < PROCESS_RUNS; r++) commands.forEach(([, args], i) => ms[i]!.push(wallMs(args)));
  const base = median(ms[0]!);
  console.log(`whole process, ${name}: wall, median of ${PROCESS_RUNS}`);
  commands.forEach(([label], i) => console.log(`  ${label.padEnd(36)} ${median(ms[i]!).toFixed(0).padStart(8)} ms   ${(median(ms[i]!) / base).toFixed(2)}x Node's bare start-up`));
}

export async function runBenchmark(): Promise<void> {
  if (!hasShared) {
    console.log('read many files: skipped (../shared/data not found)');
    return;
  }
  const dirs: Array<[string, string]> = [
    ['323 golden dumps', sharedPath('golden', 'cases')],
    ['smartctl folder', sharedPath('smartctl')],
  ].filter(([, d]) => existsSync(d!)) as Array<[string, string]>;
  for (const [name, dir] of dirs) await benchInProcess(name, dir);
  if (!existsSync(cli)) {
    console.log('whole process: skipped (dist/ not built: npm run build:ts)');
    return;
  }
  for (const [name, dir] of dirs) benchWholeProcess(name, dir);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runBenchmark();
