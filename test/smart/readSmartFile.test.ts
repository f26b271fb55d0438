import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { detectJsonFormat } from '../../lib/smart/detectFormat.js';
import { SmartParseError } from '../../lib/smart/errors.js';
import { readSmartFile } from '../../lib/smart/readSmartFile.js';
import { stringifyJsonExact } from '../../lib/util/json.js';
import { makeAtaHdd, makeCephDump, makeNvme, makeScsi } from '../fixtures/makeSmartctlFixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'diskpredict-smartfile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

async function errorOf(p: Promise<unknown>): Promise<SmartParseError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof SmartParseError) return err;
    throw err;
  }
  throw new Error('expected a SmartParseError');
}

const dump = makeCephDump([
  [new Date(Date.UTC(2024, 0, 2)), makeAtaHdd({ reallocated: 9 })],
  [new Date(Date.UTC(2024, 0, 1)), makeAtaHdd({ reallocated: 8 })],
  [new Date(Date.UTC(2024, 0, 3)), { error: 'smartctl timed out' }],
]);

describe('detectJsonFormat', () => {
  it('tells the three JSON shapes apart', () => {
    expect(detectJsonFormat(makeNvme())).toBe('smartctl');
    expect(detectJsonFormat(dump)).toBe('ceph');
    expect(detectJsonFormat({ '2018-01-01': { model_name: 'x' } })).toBe('ceph');
    expect(detectJsonFormat({ devA: makeScsi(), devB: { error: 'x' } })).toBe('dashboard');
  });
  it.each([[[1, 2]], [{}], [{ a: 1 }], [{ a: { b: 1 } }], ['text']])('rejects %j', (value) => {
    expect(() => detectJsonFormat(value)).toThrow(SmartParseError);
  });
});

describe('readSmartFile', () => {
  it('smartctl JSON → one history with one sample', async () => {
    const r = await readSmartFile(file('hdd.json', stringifyJsonExact(makeAtaHdd())));
    expect(r.format).toBe('smartctl');
    expect(r.histories).toHaveLength(1);
    expect(r.histories[0]!.samples[0]!.device.serial).toBe('ZL2TEST1');
  });

  it('gzipped JSON is read too', async () => {
    const r = await readSmartFile(file('nvme.json.gz', gzipSync(stringifyJsonExact(makeNvme()))));
    expect(r.histories[0]!.samples[0]!.nvme?.dataUnitsWritten).toBe(2n ** 60n + 12345n);
  });

  it('Ceph dump → one ordered history; --format ceph accepts dashboard maps too', async () => {
    const r = await readSmartFile(file('dump.json', stringifyJsonExact(dump)));
    expect(r.format).toBe('ceph');
    expect(r.histories[0]!.samples.map((s) => s.ata?.get(5)?.raw)).toEqual([8, 9]);
    expect(r.histories[0]!.errors).toHaveLength(1);
    const dash = await readSmartFile(file('dash.json', stringifyJsonExact({ d1: makeNvme(), d2: makeScsi() })), { format: 'ceph' });
    expect(dash.format).toBe('dashboard');
    expect(dash.histories.map((h) => h.devid)).toEqual(['d1', 'd2']);
  });

  it('Backblaze CSV rows are grouped by serial into ordered histories named by the devid rule', async () => {
    const csv = [
      'date,serial_number,model,capacity_bytes,failure,smart_5_normalized,smart_5_raw,smart_9_raw',
      '2024-01-02,S1,ST4000DM000,4000787030016,0,100,3,100',
      '2024-01-01,S1,ST4000DM000,4000787030016,0,100,2,76',
      '2024-01-01,S2,HGST HMS5C4040ALE640,4000787030016,0,100,0,5000',
    ].join('\n');
    const r = await readSmartFile(file('rows.csv', csv + '\n'));
    expect(r.format).toBe('backblaze');
    const s1 = r.histories.find((h) => h.devid === 'ST4000DM000_S1')!;
    expect(s1.samples.map((s) => s.ata?.get(5)?.raw)).toEqual([2, 3]);
    expect(r.histories.find((h) => h.devid === 'HGST_HMS5C4040ALE640_S2')!.samples[0]!.device.vendor).toBe('hgst');
  });

  it.each([
    ['missing.json', undefined, 'IO'],
    ['empty.json', '', 'EMPTY'],
    ['truncated.json', '{"smartctl": {"exit_status": 0}, "model_name": "ST4', 'TRUNCATED'],
    ['garbage.json', 'not json', 'SYNTAX'],
    ['other.json', '{"hello": "world"}', 'FORMAT'],
    ['bad.json.gz', 'not gzip', 'FORMAT'],
  ] as const)('%s → SmartParseError %s naming the file', async (name, content, code) => {
    const path = content === undefined ? join(dir, name) : file(name, content);
    const e = await errorOf(readSmartFile(path));
    expect(e.code).toBe(code);
    expect(e.file).toBe(path);
    expect(e.message).toContain(path);
  });

  it('a forced format that does not fit is a FORMAT error', async () => {
    const path = file('forced.json', stringifyJsonExact(makeAtaHdd()));
    expect((await errorOf(readSmartFile(path, { format: 'ceph' }))).code).toBe('FORMAT');
    const dumpPath = file('forced-dump.json', stringifyJsonExact(dump));
    expect((await errorOf(readSmartFile(dumpPath, { format: 'smartctl' }))).code).toBe('MISSING');
    const badKey = file('bad-key.json', stringifyJsonExact({ '20240101-000000': makeAtaHdd(), latest: makeAtaHdd() }));
    expect(await errorOf(readSmartFile(badKey, { format: 'ceph' }))).toMatchObject({ code: 'FORMAT', pointer: '/latest' });
  });
});

describe('readDeviceHistories with blocking reads', () => {
  it('gives what the thread-pool reads give: same devices, same failures, a FIFO refused without waiting', async () => {
    const { readDeviceHistories } = await import('../../lib/smart/readDeviceHistories.js');
    const { execFileSync } = await import('node:child_process');
    const { mkdirSync } = await import('node:fs');
    const sub = join(dir, 'blocking');
    mkdirSync(sub);
    writeFileSync(join(sub, 'a.json'), stringifyJsonExact(dump));
    writeFileSync(join(sub, 'b.json.gz'), gzipSync(stringifyJsonExact(makeAtaHdd({ reallocated: 3 }))));
    writeFileSync(join(sub, 'c.json'), '{"truncated": ');
    execFileSync('mkfifo', [join(sub, 'd.json')]);
    const threadPool = await readDeviceHistories(sub);
    const blocking = await readDeviceHistories(sub, { blocking: true });
    expect(blocking).toEqual(threadPool);
    expect(blocking.devices.map((d) => d.files.map((f) => f.slice(sub.length + 1)))).toEqual([['a.json', 'b.json.gz']]);
    expect(blocking.failures.map((f) => f.message)).toEqual([expect.stringContaining('c.json'), expect.stringMatching(/d\.json.*FIFO/)]);
  });
});
