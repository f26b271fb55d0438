import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readAlibabaSsdLines, streamAlibabaSsdRows, parseAlibabaTime, type AlibabaSsdBadRow, type AlibabaSsdSnapshot } from '../../lib/smart/alibabaSsdCsv.js';
import { SmartParseError } from '../../lib/smart/errors.js';
import { deviceKind } from '../../lib/predict/deviceKind.js';
import { describeShared, sharedPath } from '../helpers/shared.js';

const HEADER =
  'model,failure_time,failure,app,r_5,n_5,r_187,n_187,r_program,n_program,n_blocks,n_wearout,r_9,n_9,r_241,r_xyz,disk_id,node_id,rack_id,machine_room_id';
const ROWS = [
  'C1,2018-01-03 05:03:03,1,NAS,12,99,0,100,3,100,100,97,431,100,9007199254740993,5,199348,237451,22765,137',
  'A2,2018-01-02 19:15:32,1,RM,,,,,,,,,,,,,33722,66688,11488,455',
  'C1,2018-02-30 00:00:00,1,NAS,0,100,0,100,0,100,100,97,1,100,1,0,1,2,3,4', // no such date
  'C1,2018-01-04 00:00:00,1,NAS,1.5,100,0,100,0,100,100,97,1,100,1,0,2,2,3,4', // non-integer raw
  'C1,2018-01-04 00:00:00,1,NAS,-3,100,0,100,0,100,100,97,1,100,1,0,3,2,3,4', // negative
  'C1,2018-01-04 00:00:00,1,NAS,0,300,0,100,0,100,100,97,1,100,1,0,4,2,3,4', // normalized out of range
  'C1,2018-01-04 00:00:00,1,NAS,0,100', // cut short
  'C1,2018-01-04 00:00:00,1,NAS,0,100,0,100,0,100,100,97,1,100,1,0,,2,3,4', // no disk id
  ',2018-01-04 00:00:00,1,NAS,0,100,0,100,0,100,100,97,1,100,1,0,5,2,3,4', // no model
  '',
  'B3,2019-12-31 22:58:47,1,WSM,0,100,7,100,0,100,100,98,1000,97,1,0,199348,1,2,3',
];

async function collect(lines: Iterable<string> | string, bad: AlibabaSsdBadRow[] = [], strict = false): Promise<AlibabaSsdSnapshot[]> {
  const out: AlibabaSsdSnapshot[] = [];
  const it = typeof lines === 'string' ? streamAlibabaSsdRows(lines, { onBadRow: (b) => bad.push(b), strict }) : readAlibabaSsdLines(lines, 'mem.csv', { onBadRow: (b) => bad.push(b), strict });
  for await (const s of it) out.push(s);
  return out;
}

describe('Alibaba SSD failure-tag reader', () => {
  it('turns a row into a one-sample ATA SSD history with its anonymised tags; merged fields at 170–173', async () => {
    const [c1] = await collect([HEADER, ROWS[0]!]);
    expect(c1).toMatchObject({ model: 'C1', vendor: 'C', app: 'NAS', diskId: '199348', nodeId: '237451', rackId: '22765', machineRoomId: '137', hasSmart: true, line: 2 });
    expect(c1!.history.devid).toBe('C1_199348');
    expect(c1!.history.samples).toHaveLength(1);
    const s = c1!.history.samples[0]!;
    expect(s.device).toEqual({ model: 'C1', serial: '199348', vendor: 'unknown', protocol: 'ata', ssd: true, rotationRate: 0 });
    expect(deviceKind(c1!.history)).toBe('ata-ssd');
    expect(s.time).toBe(Date.UTC(2018, 0, 3, 5, 3, 3));
    expect(s.failure).toBe(true);
    expect(s.powerOnHours).toBe(431);
    expect(s.source).toEqual({ file: 'mem.csv', line: 2, format: 'alibaba-ssd' });
    expect(s.ata!.get(5)).toEqual({ id: 5, raw: 12, value: 99 });
    expect(s.ata!.get(187)).toEqual({ id: 187, raw: 0, value: 100 });
    expect(s.ata!.get(171)).toMatchObject({ id: 171, raw: 3, value: 100, name: expect.stringMatching(/S171\/S181 merged/) });
    expect(s.ata!.get(170)).toMatchObject({ id: 170, value: 100, name: expect.stringMatching(/S170\/S180/) });
    expect(s.ata!.get(170)!.raw).toBeUndefined();
    expect(s.ata!.get(173)).toMatchObject({ id: 173, value: 97, name: expect.stringMatching(/S173\/S177\/S233/) });
    // above 2^53 the raw stays exact
    expect(s.ata!.get(241)!.raw).toBe(9007199254740993n);
    // a merged name the reader does not know is left out, never put at a guessed ID
    expect([...s.ata!.keys()]).toEqual([5, 9, 170, 171, 173, 187, 241]); // in id order
  });

  it('keeps a row without SMART values (hasSmart false, no attributes) and skips garbled rows with their line and why', async () => {
    const bad: AlibabaSsdBadRow[] = [];
    const rows = await collect([HEADER, ...ROWS], bad);
    expect(rows.map((r) => [r.model, r.line, r.hasSmart])).toEqual([
      ['C1', 2, true],
      ['A2', 3, false],
      ['B3', 12, true],
    ]);
    expect(rows[1]!.history.samples[0]!.ata).toBeUndefined();
    expect(bad.map((b) => [b.line, b.message])).toEqual([
      [4, 'bad failure_time "2018-02-30 00:00:00"'],
      [5, 'r_5 is not a non-negative integer: "1.5"'],
      [6, 'r_5 is not a non-negative integer: "-3"'],
      [7, 'n_5 is not a normalized value (0–255): "300"'],
      [8, 'expected 20 fields, found 6'],
      [9, 'empty disk_id'],
      [10, 'empty model'],
    ]);
    expect(bad.every((b) => b.file === 'mem.csv')).toBe(true);
  });

  it('reads the failure label: 1 failed, 0 healthy, anything else a bad row; no column means the failure-tag file (all failed)', async () => {
    const bad: AlibabaSsdBadRow[] = [];
    const rows = await collect([HEADER, ROWS[0]!, ROWS[0]!.replace(',1,NAS,', ',0,NAS,'), ROWS[0]!.replace(',1,NAS,', ',yes,NAS,')], bad);
    expect(rows.map((r) => r.history.samples[0]!.failure)).toEqual([true, false]);
    expect(bad.map((b) => [b.line, b.message])).toEqual([[4, 'bad failure value "yes"']]);
    const drop = (line: string): string => line.split(',').filter((_, i) => i !== 2).join(',');
    const [noColumn] = await collect([drop(HEADER), drop(ROWS[0]!)]);
    expect(noColumn!.history.samples[0]!.failure).toBe(true);
  });

  it('strict: the first garbled row is a SmartParseError naming file and line', async () => {
    const err = await collect([HEADER, ROWS[0]!, ROWS[2]!], [], true).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SmartParseError);
    expect(err).toMatchObject({ code: 'FORMAT', file: 'mem.csv', line: 3 });
  });

  it('refuses a file that is not this format, an empty one, a truncated .gz and a missing file, each typed', async () => {
    await expect(collect(['date,serial_number,model,failure', '2021-01-01,S,M,0'])).rejects.toMatchObject({ name: 'SmartParseError', code: 'MISSING', line: 1 });
    await expect(collect([])).rejects.toMatchObject({ code: 'EMPTY' });
    const dir = mkdtempSync(join(tmpdir(), 'dp-alibaba-'));
    const text = [HEADER, ...ROWS].join('\n');
    const gz = join(dir, 'tags.csv.gz');
    writeFileSync(gz, gzipSync(text));
    expect((await collect(gz)).map((r) => r.model)).toEqual(['C1', 'A2', 'B3']);
    const cut = join(dir, 'cut.csv.gz');
    writeFileSync(cut, gzipSync(text).subarray(0, 60));
    await expect(collect(cut)).rejects.toMatchObject({ code: 'TRUNCATED' });
    await expect(collect(join(dir, 'absent.csv'))).rejects.toMatchObject({ code: 'IO' });
    // a byte-order mark before the header is not part of the first column's name
    expect(await collect([`\uFEFF${HEADER}`, ROWS[0]!])).toHaveLength(1);
  });

  it('reads failure times as UTC and refuses impossible ones', () => {
    expect(parseAlibabaTime('2019-12-31 22:58:47')).toBe(Date.UTC(2019, 11, 31, 22, 58, 47));
    for (const bad of ['2019-12-31', '2019-13-01 00:00:00', '2019-12-31 24:00:00', '2019-12-31 23:60:00', 'yesterday']) expect(parseAlibabaTime(bad)).toBeUndefined();
  });
});

describeShared("Alibaba's SSD failure tags (shared data)", () => {
  const file = sharedPath('ssd', 'alibaba_ssd_2018-2019_failure_tags__dcbrain.csv.gz');

  it('reads every row: 11 models of 3 vendors, every device an ATA SSD, one failed sample each', async () => {
    const bad: AlibabaSsdBadRow[] = [];
    const rows = await collect(file, bad);
    expect(bad).toEqual([]);
    expect(rows).toHaveLength(12_853);
    expect(new Set(rows.map((r) => r.model))).toEqual(new Set(['A1', 'A2', 'A3', 'A4', 'A5', 'A6', 'B1', 'B2', 'B3', 'C1', 'C2']));
    expect(new Set(rows.map((r) => r.vendor))).toEqual(new Set(['A', 'B', 'C']));
    // disk ids repeat across models, never within one: the devid is unique
    expect(new Set(rows.map((r) => r.history.devid)).size).toBe(rows.length);
    expect(rows.every((r) => deviceKind(r.history) === 'ata-ssd' && r.history.samples.length === 1 && r.history.samples[0]!.failure === true)).toBe(true);
    // the data README counts 12 rows without SMART values in the whole file; this share holds 6
    expect(rows.filter((r) => !r.hasSmart).map((r) => r.model).sort()).toEqual(['A2', 'A2', 'A2', 'A2', 'A2', 'A4']);
    // the file's first SMART row, line 4: A3, 2018-01-03 03:29:27
    const a3 = rows.find((r) => r.line === 4)!;
    expect(a3.model).toBe('A3');
    expect(a3.history.samples[0]!.time).toBe(Date.UTC(2018, 0, 3, 3, 29, 27));
    expect(Object.fromEntries(a3.history.samples[0]!.ata!)).toMatchObject({ 5: { raw: 0, value: 98 }, 170: { value: 130 }, 173: { value: 1 }, 195: { raw: 523030, value: 100 }, 9: { raw: 30522 } });
  });
});
