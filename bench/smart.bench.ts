/**
 * SMART reading throughput. Run: `npx tsx bench/smart.bench.ts` (or all benches: `npx tsx bench/run.ts`).
 *
 *  - smartctl JSON: every file of ../shared/data/smartctl (incl. edge_cases) — or, without
 *    ../shared, generated fixtures — read as text → SmartSample, in MB/s and documents/s, against
 *    plain `JSON.parse` of the same texts measured in the same run (rounds alternate, so machine
 *    load hits both alike). Also the exact parser alone, to split the cost.
 *  - Backblaze CSV: rows/s through `streamBackblazeRows`, against reading the same file's lines
 *    (gunzip + line split only) in the same run.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { streamBackblazeRows } from '../lib/smart/backblazeCsv.js';
import { readCsvLines } from '../lib/smart/csvLines.js';
import { SmartParseError } from '../lib/smart/errors.js';
import { readSmartctlJsonText } from '../lib/smart/readSmartctlJson.js';
import { parseJsonExact, stringifyJsonExact } from '../lib/util/json.js';
import { hasShared, sharedPath } from '../test/helpers/shared.js';
import { makeAtaHdd, makeAtaSsd, makeNvme, makeScsi } from '../test/fixtures/makeSmartctlFixtures.js';

const MIN_ROUND_MS = 200;
const ROUNDS = 7;

function smartctlTexts(): { texts: string[]; origin: string } {
  if (!hasShared) {
    const docs = [makeAtaHdd(), makeAtaSsd(), makeNvme(), makeScsi({ version: [7, 1] }), makeScsi()];
    return { texts: docs.map((d) => stringifyJsonExact(d, 2)), origin: 'generated fixtures (../shared not found)' };
  }
  const dir = sharedPath('smartctl');
  const edge = join(dir, 'edge_cases');
  const files = [...readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => join(dir, f)), ...readdirSync(edge).map((f) => join(edge, f))];
  return { texts: files.map((f) => readFileSync(f, 'utf8')), origin: `${files.length} files of ../shared/data/smartctl` };
}

/** Runs `pass` over all texts as many times as fit in MIN_ROUND_MS; returns passes per second. */
function round(texts: readonly string[], pass: (text: string) => void): number {
  let passes = 0;
  const start = process.hrtime.bigint();
  let elapsedMs = 0;
  while (elapsedMs < MIN_ROUND_MS) {
    for (const t of texts) pass(t);
    passes++;
    elapsedMs = Number(process.hrtime.bigint() - start) / 1e6;
  }
  return passes / (elapsedMs / 1000);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function readOrNoData(text: string): void {
  try {
    readSmartctlJsonText(text);
  } catch (err) {
    if (!(err instanceof SmartParseError)) throw err; // edge cases without data are part of the load
  }
}

function benchSmartctl(): void {
  const { texts, origin } = smartctlTexts();
  const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t), 0);
  const variants: Array<[string, (t: string) => void]> = [
    ['JSON.parse (baseline)', (t) => void JSON.parse(t)],
    ['parseJsonExact', (t) => void parseJsonExact(t)],
    ['readSmartctlJsonText', readOrNoData],
  ];
  for (const [, pass] of variants) round(texts, pass); // warm-up
  const rates = variants.map(() => [] as number[]);
  for (let r = 0; r < ROUNDS; r++) variants.forEach(([, pass], i) => rates[i]!.push(round(texts, pass)));
  console.log(`smartctl JSON: ${origin}, ${(bytes / 1e6).toFixed(2)} MB, median of ${ROUNDS} rounds`);
  const base = median(rates[0]!);
  variants.forEach(([name], i) => {
    const passes = median(rates[i]!);
    const mbps = (passes * bytes) / 1e6;
    const docs = passes * texts.length;
    console.log(`  ${name.padEnd(22)} ${mbps.toFixed(1).padStart(8)} MB/s ${docs.toFixed(0).padStart(9)} docs/s   ${(base / passes).toFixed(2)}x JSON.parse time`);
  });
}

async function timeAsync(fn: () => Promise<number>): Promise<{ count: number; seconds: number }> {
  const start = process.hrtime.bigint();
  const count = await fn();
  return { count, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
}

async function benchBackblaze(): Promise<void> {
  const files = ['bb_2019-01-01_2019-03-30_failed_drives_sampled_days__mitter99.csv', 'bb_2020-2025_failure_day_snapshots_only__rochit02.csv'].map((f) =>
    sharedPath('backblaze', f),
  );
  if (!hasShared || !files.every(existsSync)) {
    console.log('Backblaze CSV: skipped (../shared/data/backblaze not found)');
    return;
  }
  console.log('Backblaze CSV: rows/s through streamBackblazeRows vs. line reading of the same file');
  for (const file of files) {
    const lines = async (): Promise<number> => {
      let n = 0;
      for await (const _ of readCsvLines(file)) n++;
      return n - 1;
    };
    const rows = async (): Promise<number> => {
      let n = 0;
      for await (const _ of streamBackblazeRows(file)) n++;
      return n;
    };
    await lines(); // warm the page cache
    const base = await timeAsync(lines);
    const parsed = await timeAsync(rows);
    const name = file.split('/').pop()!.replace(/__.*/, '');
    console.log(
      `  ${name.padEnd(48)} ${(parsed.count / parsed.seconds).toFixed(0).padStart(8)} rows/s (${parsed.count} rows)   lines only ${(base.count / base.seconds).toFixed(0)} lines/s   ${(parsed.seconds / base.seconds).toFixed(2)}x line-reading time`,
    );
  }
}

export async function runBenchmark(): Promise<void> {
  benchSmartctl();
  await benchBackblaze();
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runBenchmark();
