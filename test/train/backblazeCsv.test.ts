import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { streamBackblazeRows, type BackblazeBadRow } from '../../lib/smart/backblazeCsv.js';
import { loadBackblazeDrives } from '../../lib/smart/backblazeColumns.js';
import { SmartParseError } from '../../lib/smart/errors.js';
import { describeShared, sharedPath } from '../helpers/shared.js';

const dir = mkdtempSync(join(tmpdir(), 'dp-bb-'));
const CSV = [
  'date,serial_number,model,capacity_bytes,failure,smart_5_normalized,smart_5_raw,smart_194_raw,smart_241_raw',
  '2021-01-01, S1 ,ST4000DM000,4000787030016,0,100,0,30,12345678901234567890',
  '2021-01-02,S1,ST4000DM000,4000787030016,0,,8.0,31,',
  '2021-01-03,S1,ST4000DM000,4000787030016,oops,100,0,30,1',
  '2021-02-30,S2,WDC WD40EFRX,-1,0,100,0,30,1',
  '2021-01-03,S2,WDC WD40EFRX,-1,1,100,abc,30,1',
  '2021-01-03,S2,WDC WD40EFRX',
  '2021-01-04,S2,WDC WD40EFRX,-1,1,100,3,30,1',
  '2021-01-02,S2,WDC WD40EFRX,-1,0,100,1,30,1',
].join('\n');

async function collect(file: string, bad: BackblazeBadRow[] = []) {
  const out = [];
  for await (const s of streamBackblazeRows(file, { onBadRow: (b) => bad.push(b) })) out.push(s);
  return out;
}

describe('streamBackblazeRows', () => {
  it('reads plain and gzipped files by header, trims serials, keeps exact raws and line numbers', async () => {
    const plain = join(dir, 'a.csv');
    writeFileSync(plain, CSV);
    const gz = join(dir, 'a.csv.gz');
    writeFileSync(gz, gzipSync(CSV));
    for (const file of [plain, gz]) {
      const bad: BackblazeBadRow[] = [];
      const rows = await collect(file, bad);
      expect(rows.map((r) => r.source?.line)).toEqual([2, 3, 8, 9]);
      expect(rows[0]!.device).toMatchObject({ serial: 'S1', vendor: 'seagate', capacityBytes: 4000787030016, model: 'ST4000DM000' });
      expect(rows[0]!.ata!.get(241)!.raw).toBe(12345678901234567890n);
      expect(rows[1]!.ata!.get(5)).toEqual({ id: 5, raw: 8 });
      expect(rows[2]!.failure).toBe(true);
      expect(rows[2]!.device.capacityBytes).toBeUndefined();
      expect(bad.map((b) => b.line)).toEqual([4, 5, 6, 7]);
      expect(bad[1]!.message).toMatch(/bad date/);
    }
  });

  it('throws SmartParseError with the line in strict mode, and for a file without a Backblaze header', async () => {
    const plain = join(dir, 'b.csv');
    writeFileSync(plain, CSV);
    const strict = async () => {
      for await (const _ of streamBackblazeRows(plain, { strict: true })) void _;
    };
    await expect(strict()).rejects.toMatchObject({ name: 'SmartParseError', code: 'FORMAT', line: 4 });
    const other = join(dir, 'c.csv');
    writeFileSync(other, 'a,b\n1,2\n');
    await expect(collect(other)).rejects.toBeInstanceOf(SmartParseError);
    const truncated = join(dir, 'd.csv.gz');
    writeFileSync(truncated, gzipSync(CSV).subarray(0, 40));
    await expect(collect(truncated)).rejects.toMatchObject({ code: 'TRUNCATED' });
  });
});

describe('loadBackblazeDrives', () => {
  it('groups rows per drive by day, cuts after the first failure, counts bad rows, hashes the file', async () => {
    const plain = join(dir, 'e.csv');
    writeFileSync(plain, CSV);
    const { drives, files } = await loadBackblazeDrives([plain], [5, 197]);
    expect(drives.map((d) => d.serial)).toEqual(['S1', 'S2']);
    const s2 = drives[1]!;
    // the columnar loader keeps a non-numeric SMART cell as a missing value (the row is otherwise fine)
    expect(s2.failDay).toBe(Date.UTC(2021, 0, 3) / 86_400_000);
    expect(Array.from(s2.days)).toEqual([Date.UTC(2021, 0, 2) / 86_400_000, Date.UTC(2021, 0, 3) / 86_400_000]);
    expect(s2.raw[1]).toBeUndefined();
    expect(s2.raw[0]![0]).toBe(1);
    expect(Number.isNaN(s2.raw[0]![1]!)).toBe(true);
    expect(files[0]).toMatchObject({ rows: 5, badRows: 3, badLines: [4, 5, 7], drives: 2, failedDrives: 1 });
    expect(files[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});

describeShared('Backblaze reader on the shared files', () => {
  it('reads the 2019 failed-drives file: every row, one failure per drive', async () => {
    const file = sharedPath('backblaze', 'bb_2019-01-01_2019-03-30_failed_drives_sampled_days__mitter99.csv');
    const bad: BackblazeBadRow[] = [];
    const rows = await collect(file, bad);
    expect(rows.length).toBe(10_624);
    expect(bad).toEqual([]);
    const { drives } = await loadBackblazeDrives([file], [5]);
    expect(drives.every((d) => d.failDay >= 0)).toBe(true);
  });
});

