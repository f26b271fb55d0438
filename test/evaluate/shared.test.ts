import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createGunzip } from 'node:zlib';
import { spawnSync } from 'node:child_process';
import { beforeAll, expect, it } from 'vitest';
import { describeShared, sharedPath } from '../helpers/shared.js';
import { tempDir } from './backblazeFixture.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const FILE_2018 = 'backblaze/bb_2018-01-01_2018-09-30_ST4000DM000_allfailed_plus_healthy15pct__disk-failure-prediction.csv.gz';
const CUTOFF = '2018-02-15'; // the file is in date order: the first 45 days, ≈140k rows

/** Copies the rows before `cutoff` of a date-ordered Backblaze file to a temporary CSV. */
async function sliceByDate(source: string, target: string, cutoff: string): Promise<void> {
  const out = createWriteStream(target);
  const lines = createInterface({ input: createReadStream(source).pipe(createGunzip()), crlfDelay: Infinity });
  let first = true;
  for await (const line of lines) {
    if (!first && line.slice(0, 10) >= cutoff) break;
    first = false;
    out.write(`${line}\n`);
  }
  lines.close();
  await new Promise<void>((done, fail) => out.end((err?: Error | null) => (err ? fail(err) : done())));
}

describeShared('evaluate end to end on a slice of the shared 2018 Backblaze file', () => {
  const dir = tempDir('shared');
  const slice = join(dir, 'bb_2018_slice.csv');
  const report = join(dir, 'report.html');
  let json: {
    failedDrives: number;
    healthyDrives: number;
    predictors: Array<{ id: string; operatingPoint: { fdr: number; farAchieved: number; detected: number }; coverage: { scoredDays: number; driveDays: number } }>;
    issues: Array<{ reason: string; count: number }>;
  };

  beforeAll(async () => {
    await sliceByDate(sharedPath(FILE_2018), slice, CUTOFF);
    const model = existsSync(join(root, 'models', 'default', 'model.json')) ? [] : ['--model', 'backblaze-rule'];
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(root, 'lib/cli/main.ts'), 'evaluate', '--data', slice, ...model, '--healthy-weight', '6.7', '--bootstrap', '200', '--json', '--report', report],
      { encoding: 'utf8', cwd: root, timeout: 300_000, maxBuffer: 64 << 20 },
    );
    if (r.status !== 0) throw new Error(`evaluate exited ${r.status}: ${r.stderr}`);
    json = JSON.parse(r.stdout) as typeof json;
  }, 320_000);

  it('scores the same drives with every predictor and finds the failures of the slice', () => {
    expect(json.failedDrives).toBeGreaterThan(30);
    expect(json.healthyDrives).toBeGreaterThan(3000);
    const rule = json.predictors.find((p) => p.id === 'backblaze-rule')!;
    // Backblaze's own rule catches a good part of the failures at a FAR of a few percent.
    expect(rule.operatingPoint.fdr).toBeGreaterThan(0.3);
    expect(rule.operatingPoint.farAchieved).toBeLessThan(0.15);
    expect(rule.coverage.scoredDays / rule.coverage.driveDays).toBeGreaterThan(0.99);
    const health = json.predictors.find((p) => p.id === 'smartctl-health')!;
    expect(health.coverage.scoredDays).toBe(0); // Backblaze files carry no overall-health flag
    expect(existsSync(report)).toBe(true);
  });

  it('skips exactly the failed drives without a row in the 30 days before their failure', async () => {
    // Independent count straight from the CSV text: first day seen and failure day per serial.
    const first = new Map<string, string>();
    const failedOn = new Map<string, string>();
    const lines = createInterface({ input: createReadStream(slice), crlfDelay: Infinity });
    let header: string[] | undefined;
    for await (const line of lines) {
      const cells = line.split(',');
      if (!header) {
        header = cells;
        continue;
      }
      const [date, serial] = [cells[header.indexOf('date')]!, cells[header.indexOf('serial_number')]!];
      if (!first.has(serial) || date < first.get(serial)!) first.set(serial, date);
      if (cells[header.indexOf('failure')] === '1' && (!failedOn.has(serial) || date < failedOn.get(serial)!)) failedOn.set(serial, date);
    }
    let noPriorDay = 0;
    for (const [serial, day] of failedOn) if (first.get(serial) === day) noPriorDay++;
    const skipped = json.issues.find((i) => i.reason === 'failed drive without any day before its failure')?.count ?? 0;
    expect(skipped).toBe(noPriorDay);
    expect(json.failedDrives).toBe(failedOn.size - noPriorDay);
    expect(json.failedDrives + json.healthyDrives).toBe(first.size - noPriorDay);
  });
});
