/**
 * Runs every benchmark in sequence: `npx tsx bench/run.ts` (`npm run bench`).
 * Each module in BENCHES exports `async function runBenchmark(): Promise<void>` that prints its own
 * figures (ratios against a baseline measured in the same run); it must not run on import — guard a
 * direct-run entry point with `import.meta.url === pathToFileURL(process.argv[1]).href`.
 * To add a bench, append its path (relative to this folder).
 */
const BENCHES = ['./smart.bench.ts'];

for (const path of BENCHES) {
  const mod = (await import(path)) as { runBenchmark?: () => Promise<void> };
  if (typeof mod.runBenchmark !== 'function') throw new Error(`${path} does not export runBenchmark()`);
  console.log(`\n== ${path}`);
  await mod.runBenchmark();
}
