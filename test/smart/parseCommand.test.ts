import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runParse } from '../../lib/cli/parseCommand.js';
import { parseJsonExact, stringifyJsonExact } from '../../lib/util/json.js';
import { makeCephDump, makeNvme, makeAtaHdd } from '../fixtures/makeSmartctlFixtures.js';
import { describeShared, sharedPath } from '../helpers/shared.js';

const dir = mkdtempSync(join(tmpdir(), 'diskpredict-parse-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(files: string[], json: boolean, format: 'auto' | 'smartctl' | 'ceph' | 'backblaze' = 'auto', stdin?: string) {
  const out: string[] = [];
  const err: string[] = [];
  const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l), ...(stdin !== undefined && { stdin: () => Promise.resolve(stdin) }) };
  const code = await runParse(files, { format, json }, io);
  return { code, out, err };
}

describe('diskpredict parse', () => {
  const nvme = join(dir, 'nvme.json');
  writeFileSync(nvme, stringifyJsonExact(makeNvme()));
  const dump = join(dir, 'dump.json');
  writeFileSync(
    dump,
    stringifyJsonExact(
      makeCephDump([
        [new Date(Date.UTC(2024, 0, 1)), makeAtaHdd()],
        [new Date(Date.UTC(2024, 0, 2)), { error: 'smartctl timed out' }],
      ]),
    ),
  );

  it('--json: one object per sample per line, 64-bit counters as decimal strings', async () => {
    const r = await run([nvme, dump], true);
    expect(r.code).toBe(0);
    expect(r.out).toHaveLength(2);
    const first = JSON.parse(r.out[0]!) as { nvme: { dataUnitsWritten: unknown; mediaErrors: unknown } };
    expect(first.nvme.dataUnitsWritten).toBe((2n ** 60n + 12345n).toString());
    expect(first.nvme.mediaErrors).toBe(2);
    expect(parseJsonExact(r.out[1]!)).toMatchObject({ source: { format: 'ceph', pointer: '/20240101-000000' } });
    expect(r.err).toEqual([`${dump} 20240102-000000: no SMART data: smartctl timed out`]);
  });

  it('table: a header and one row per sample', async () => {
    const r = await run([nvme], false);
    expect(r.code).toBe(0);
    expect(r.out[0]).toMatch(/^TIME\s+PROTO\s+VENDOR\s+MODEL/);
    expect(r.out[1]).toMatch(/nvme\s+samsung\s+SAMSUNG MZQL21T9HCJR-00A07\s+S64GTEST\s+PASSED\s+20001\s+41\s+spare=97% used=3% media_err=2/);
  });

  it('unreadable input: exit code 1 and a one-line reason', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"smartctl": {');
    const r = await run([nvme, bad], true);
    expect(r.code).toBe(1);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toMatch(/^diskpredict parse: .*bad\.json.*truncated JSON/);
  });

  it('a directory is read recursively in name order, hidden entries skipped; an unreadable file is named and the rest still read', async () => {
    const tree = mkdtempSync(join(dir, 'tree-'));
    mkdirSync(join(tree, 'sub'));
    writeFileSync(join(tree, 'b.json'), stringifyJsonExact(makeNvme()));
    writeFileSync(join(tree, 'sub', 'a.json'), stringifyJsonExact(makeAtaHdd()));
    writeFileSync(join(tree, 'a-bad.json'), 'not json');
    writeFileSync(join(tree, '.hidden.json'), 'not json either');
    const r = await run([tree], true);
    expect(r.code).toBe(1);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toMatch(/^diskpredict parse: .*a-bad\.json/);
    expect(r.out.map((l) => (JSON.parse(l) as { source: { file: string } }).source.file)).toEqual([join(tree, 'b.json'), join(tree, 'sub', 'a.json')]);
  });

  it('- reads one JSON document from stdin', async () => {
    const r = await run(['-'], true, 'auto', stringifyJsonExact(makeNvme()));
    expect(r.code).toBe(0);
    expect(r.out).toHaveLength(1);
    expect(JSON.parse(r.out[0]!)).toMatchObject({ source: { file: '<stdin>', format: 'smartctl' } });
  });
});

describeShared('diskpredict parse DIR on the shared smartctl folder', () => {
  it('prints one sample per device file and names each unreadable file', async () => {
    const root = sharedPath('smartctl');
    const r = await run([root], true);
    const top = r.out.map((l) => (JSON.parse(l) as { source: { file: string } }).source.file).filter((f) => f.startsWith(root + '/') && !f.includes('/edge_cases/'));
    expect(top).toHaveLength(154);
    expect(r.code).toBe(1); // manifest.csv and the edge cases without data
    expect(r.err.some((l) => l.includes('manifest.csv'))).toBe(true);
    expect(r.err.some((l) => l.includes('standby-sdc'))).toBe(true);
  });
});

