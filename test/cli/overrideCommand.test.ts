/**
 * `diskpredict override add|ls|rm` and `predict --overrides`, run as the built CLI (dist/lib/cli/main.js, which
 * `npm test` builds first) on temporary files.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeShared, sharedPath } from '../helpers/shared.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const main = join(root, 'dist/lib/cli/main.js');
const dir = mkdtempSync(join(tmpdir(), 'dp-override-cli-'));

function cli(args: string[], cwd = dir): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, [main, ...args], { encoding: 'utf8', cwd, timeout: 60_000 });
}

beforeAll(() => {
  if (!existsSync(main)) throw new Error(`${main} is missing: build first (npm run build:ts; npm test does)`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('diskpredict override', () => {
  it('add, ls, ls --json, rm: a round trip with stable ids', () => {
    const file = join(dir, 'round.json');
    const a = cli(['override', 'add', '--file', file, '--device', 'ZLW26G7Q', '--ignore', 'smart_188_raw']);
    expect(a.status, a.stderr).toBe(0);
    const idA = /^added ([0-9a-f]{8}): device ZLW26G7Q: ignore smart_188 to /.exec(a.stdout)?.[1];
    expect(idA).toBeDefined();
    const b = cli(['override', 'add', '--file', file, '--model', 'ST4000DM000-1F2168', '--baseline', 'smart_5=8', '--note', 'known since 2025']);
    expect(b.status, b.stderr).toBe(0);
    const c = cli(['override', 'add', '--file', file, '--device', 'Z300K1Z7', '--force-status', 'Warning', '--note', 'replacement ordered', '--expires', '2099-01-31T12:00:00Z']);
    expect(c.status, c.stderr).toBe(0);
    const idC = /^added (\S+):/.exec(c.stdout)![1]!;

    const ls = cli(['override', 'ls', '--file', file]);
    expect(ls.status).toBe(0);
    const lines = ls.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe(`${idA}  device ZLW26G7Q: ignore smart_188`);
    expect(lines[1]).toMatch(/^[0-9a-f]{8} {2}model ST4000DM000-1F2168: baseline smart_5=8 — known since 2025$/);
    expect(lines[2]).toBe(`${idC}  device Z300K1Z7: force Warning (until 2099-01-31T12:00:00Z) — replacement ordered`);

    const json = cli(['override', 'ls', '--json', '--file', file]).stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(json[1]).toMatchObject({ model: 'ST4000DM000-1F2168', kind: 'baseline', attribute: 'smart_5', value: 8, expired: false, note: 'known since 2025' });
    expect(json[2]).toMatchObject({ id: idC, device: 'Z300K1Z7', kind: 'force', status: 'Warning', expires: '2099-01-31T12:00:00Z', expired: false });
    expect(typeof json[0]!['created']).toBe('string');

    // the same override again is refused, naming the one there
    const again = cli(['override', 'add', '--file', file, '--device', 'ZLW26G7Q', '--ignore', 'smart_188']);
    expect(again.status).toBe(1);
    expect(again.stderr).toBe(`diskpredict override: ${file} already has this override: ${idA}  device ZLW26G7Q: ignore smart_188\n`);

    const rm = cli(['override', 'rm', idA!, '--file', file]);
    expect(rm.status, rm.stderr).toBe(0);
    expect(rm.stdout).toMatch(new RegExp(`^removed ${idA}: device ZLW26G7Q: ignore smart_188 from `));
    expect(cli(['override', 'ls', '--file', file]).stdout.trim().split('\n').map((l) => l.split(' ')[0])).toEqual([json[1]!['id'], idC]);
    const gone = cli(['override', 'rm', idA!, '--file', file]);
    expect(gone.status).toBe(1);
    expect(gone.stderr).toMatch(/^diskpredict override: no override [0-9a-f]{8} in .* \(ids: [0-9a-f]{8}, /);
  });

  it('lists an expired override as expired (it is ignored)', () => {
    const file = join(dir, 'expired.json');
    writeFileSync(file, JSON.stringify({ overrides: [{ id: 'old', device: 'S1', forceStatus: 'Good', note: 'was fine', expires: '2020-01-01' }] }));
    expect(cli(['override', 'ls', '--file', file]).stdout).toBe('old  device S1: force Good (expired 2020-01-01: ignored) — was fine\n');
    expect(JSON.parse(cli(['override', 'ls', '--json', '--file', file]).stdout)).toMatchObject({ id: 'old', expired: true });
  });

  it.each([
    [['--device', 'S1'], /give exactly one of --ignore ATTR, --baseline ATTR=VALUE, --force-status STATUS/],
    [['--ignore', 'smart_5'], /give exactly one of --device SERIAL\|WWN\|DEVID and --model MODEL/],
    [['--device', 'S1', '--model', 'M', '--ignore', 'smart_5'], /give exactly one of --device/],
    [['--device', 'S1', '--ignore', 'smart_5', '--baseline', 'smart_5=1'], /give exactly one of --ignore/],
    [['--device', 'S1', '--baseline', 'smart_5'], /--baseline must be ATTR=VALUE/],
    [['--device', 'S1', '--baseline', 'nvme.percentage_used=3'], /--baseline: attribute "nvme.percentage_used" is not a counter/],
    [['--device', 'S1', '--ignore', 'bogus'], /--ignore: unknown attribute "bogus"/],
    [['--device', 'S1', '--force-status', 'Good'], /--force-status needs --note TEXT/],
    [['--device', 'S1', '--force-status', 'Fine', '--note', 'x'], /option '--force-status <status>' argument 'Fine' is invalid/],
    [['--device', 'S1', '--ignore', 'smart_5', '--expires', '2020-01-01'], /--expires 2020-01-01 is already past/],
    [['--device', 'S1', '--ignore', 'smart_5', '--expires', 'next week'], /--expires "next week" is not an ISO date/],
  ])('add %j is refused with one line naming the problem, and writes nothing', (args, message) => {
    const file = join(dir, 'refused.json');
    const r = cli(['override', 'add', '--file', file, ...args]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^diskpredict override: .*\n$/);
    expect(r.stderr).toMatch(message);
    expect(existsSync(file)).toBe(false);
  });

  it('a broken file is reported naming the entry, and left as it was', () => {
    const file = join(dir, 'broken.json');
    const text = JSON.stringify({ overrides: [{ id: 'e1', device: 'S1', ignore: 'smart_5', until: 'later' }] });
    writeFileSync(file, text);
    for (const args of [['ls'], ['add', '--device', 'S2', '--ignore', 'smart_5'], ['rm', 'e1']]) {
      const r = cli(['override', ...args, '--file', file]);
      expect(r.status).toBe(1);
      expect(r.stderr).toBe(`diskpredict override: overrides ${file}: overrides[0] (id e1): unknown key "until" (known: id, device, model, ignore, baseline, forceStatus, note, expires, created)\n`);
    }
    expect(readFileSync(file, 'utf8')).toBe(text);
  });

  it('without --file: ./var/overrides.json (beside the daemon\'s default database) comes first, and add creates it there', () => {
    const cwd = mkdtempSync(join(dir, 'cwd-'));
    mkdirSync(join(cwd, 'var'));
    const file = join(cwd, 'var', 'overrides.json');
    writeFileSync(file, JSON.stringify({ overrides: [{ id: 'here', device: 'S1', ignore: 'smart_5' }] }));
    expect(cli(['override', 'ls'], cwd).stdout).toBe('here  device S1: ignore smart_5\n');
    rmSync(file);
    // Only when no later default exists on this machine (the package folder's var/, /etc/diskpredict) is ./var's the one to create.
    if ([join(root, 'var', 'overrides.json'), '/etc/diskpredict/overrides.json'].some((f) => existsSync(f))) return;
    const a = cli(['override', 'add', '--device', 'S1', '--ignore', 'smart_5'], cwd);
    expect(a.status, a.stderr).toBe(0);
    expect(a.stdout).toContain(` to ${file};`);
    expect(existsSync(file)).toBe(true);
  });
});

describeShared('diskpredict predict --overrides', () => {
  const scsi = sharedPath('smartctl', 'scsi__SEAGATE_ST4000NM0043__scrutiny-51fbf4.json');

  it('applies the file and lists what applied in --json and in text', () => {
    const file = join(dir, 'predict.json');
    expect(cli(['override', 'add', '--file', file, '--device', 'Z1Z5DWJK0000XXXXXXXX', '--baseline', 'scsi.grown_defects=56']).status).toBe(0);
    const plain = JSON.parse(cli(['predict', '--json', scsi]).stdout) as { prediction: { status: string; overrides?: unknown } };
    expect(plain.prediction.status).toBe('Warning');
    expect(plain.prediction.overrides).toBeUndefined();
    const r = cli(['predict', '--json', '--overrides', file, scsi]);
    expect(r.status, r.stderr).toBe(0);
    const p = (JSON.parse(r.stdout) as { prediction: { status: string; overrides: Record<string, unknown>[] } }).prediction;
    expect(p.status).toBe('Good');
    expect(p.overrides).toEqual([expect.objectContaining({ action: 'baseline', attribute: 'scsi.grown_defects', baseline: 56, reported: 56, device: 'Z1Z5DWJK0000XXXXXXXX' })]);
    const text = cli(['predict', '--overrides', file, scsi]).stdout;
    expect(text).toMatch(/: Good \(>6w\) .*\{overrides: SCSI grown defect list \(scsi\.grown_defects\): 56 accepted by override [0-9a-f]{8} \(reported 56, read as 0\)\}\n$/);
  });

  it('a bad or missing overrides file stops predict before any work, in one line', () => {
    const bad = join(dir, 'bad-predict.json');
    writeFileSync(bad, JSON.stringify({ overrides: [{ device: 'S1', ignore: 'smart_5', expires: '2027-13-01' }] }));
    const r = cli(['predict', '--overrides', bad, scsi]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^diskpredict predict: overrides .*bad-predict\.json: overrides\[0\]: expires "2027-13-01" is not an ISO date/);
    const missing = cli(['predict', '--overrides', join(dir, 'nope.json'), scsi]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/^diskpredict predict: --overrides .*nope\.json/);
  });
});
