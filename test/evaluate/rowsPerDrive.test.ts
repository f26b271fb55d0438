/**
 * Memory bounded per drive, not per row (issue 17, item 12: a file of 1 M rows of one drive took 5.4 GB in
 * `predict` and 6.6 GB in `score`/`evaluate`).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_ROWS_PER_DRIVE, streamDrives } from '../../lib/evaluate/driveStream.js';
import { IssueTally } from '../../lib/evaluate/issueTally.js';
import { readSmartFile } from '../../lib/smart/readSmartFile.js';

const dir = mkdtempSync(join(tmpdir(), 'diskpredict-rowsperdrive-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HEADER = 'date,serial_number,model,capacity_bytes,failure,smart_5_raw,smart_9_raw';

function day(i: number): string {
  return new Date(Date.UTC(2000, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
}

describe('rows per drive', () => {
  it('predict keeps the newest samples of each device, whatever the row order', async () => {
    const order = Array.from({ length: 1000 }, (_, i) => (i * 337) % 1000); // every day once, shuffled
    const file = join(dir, 'shuffled.csv');
    writeFileSync(file, [HEADER, ...order.map((i) => `${day(i)},S1,ST4000DM000,4000787030016,0,0,${i}`), `${day(5)},S2,ST4000DM000,4000787030016,0,0,5`].join('\n') + '\n');
    const { histories } = await readSmartFile(file, { newestSamplesPerDevice: 10 });
    const s1 = histories.find((h) => h.samples[0]!.device.serial === 'S1')!;
    expect(s1.samples.map((s) => s.powerOnHours)).toEqual(Array.from({ length: 10 }, (_, i) => 990 + i));
    expect(histories.find((h) => h.samples[0]!.device.serial === 'S2')!.samples).toHaveLength(1);
    // without the option, every row
    expect((await readSmartFile(file)).histories.find((h) => h.samples[0]!.device.serial === 'S1')!.samples).toHaveLength(1000);
  });

  it('score and evaluate leave out, and report, a drive with more rows than any drive lives days', async () => {
    const file = join(dir, 'endless_drive.csv');
    const rows = [HEADER];
    for (let i = 0; i <= MAX_ROWS_PER_DRIVE; i++) rows.push(`${day(i)},BIG,ST4000DM000,4000787030016,0,0,${i}`);
    for (let i = 0; i < 30; i++) rows.push(`${day(i)},SMALL,ST4000DM000,4000787030016,${i === 29 ? 1 : 0},0,${i}`);
    writeFileSync(file, rows.join('\n') + '\n');
    const tally = new IssueTally();
    const drives: string[] = [];
    for await (const d of streamDrives([file], { requireLabels: true, tally, partitions: 2 })) drives.push(d.serial);
    expect(drives).toEqual(['SMALL']);
    const skipped = tally.list().find((e) => e.reason.startsWith('drive with more than'))!;
    expect(skipped).toMatchObject({ kind: 'skipped', unit: 'drives', count: 1 });
    expect(skipped.examples[0]).toBe(`BIG: ${(MAX_ROWS_PER_DRIVE + 1).toLocaleString('en-US')} rows`);
  });
});
