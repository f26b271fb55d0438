/**
 * What a user sees when something is wrong: exit codes, one-line errors in one style, paths checked
 * before the work, a quiet end when the reader of stdout goes away, flags named as the CLI spells them.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { stringifyJsonExact } from '../../lib/util/json.js';
import { backblazeCsv, dailyRows, tempDir, writeFixture } from '../evaluate/backblazeFixture.js';
import { makeAtaHdd, makeScsi } from '../fixtures/makeSmartctlFixtures.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const main = join(root, 'lib/cli/main.ts');

function cli(args: string[], env: NodeJS.ProcessEnv = {}): { status: number | null; stdout: string; stderr: string } {
  const { DISKPREDICT_CEPH_MODELS: _unset, ...rest } = process.env;
  return spawnSync(process.execPath, ['--import', 'tsx', main, ...args], { encoding: 'utf8', cwd: root, timeout: 120_000, env: { ...rest, ...env } });
}

/** stderr as lines, without npm's own warnings. */
const errLines = (stderr: string): string[] => stderr.trim().split('\n').filter((l) => l !== '' && !/^npm warn/.test(l));

const dir = tempDir('cli-errors');
const labelled = writeFixture(dir, 'labelled.csv', backblazeCsv([...dailyRows('F1', 17532, 12, (i) => ({ 5: i > 8 ? 3 : 0 }), true), ...dailyRows('H1', 17532, 12, () => ({ 5: 0 }))]));
const smartctl = writeFixture(dir, 'sda.json', stringifyJsonExact(makeAtaHdd({ reallocated: 0 })));
const smartctlScsi = writeFixture(dir, 'sdb.json', stringifyJsonExact(makeScsi({ grownDefects: 0 })));

describe('unreadable or unusable input exits non-zero with one line (item 6)', () => {
  it('score --data /nonexistent.csv', () => {
    const r = cli(['score', '--data', '/nonexistent.csv', '--out', join(dir, 'never.csv')]);
    expect(r.status).toBe(1);
    expect(errLines(r.stderr)).toEqual(['diskpredict score: --data /nonexistent.csv: no such file or directory']);
    expect(existsSync(join(dir, 'never.csv'))).toBe(false);
  });

  it('evaluate --data /nonexistent.csv', () => {
    const r = cli(['evaluate', '--data', '/nonexistent.csv']);
    expect(r.status).toBe(1);
    expect(errLines(r.stderr)).toEqual(['diskpredict evaluate: --data /nonexistent.csv: no such file or directory']);
    expect(r.stdout).toBe('');
  });

  it('evaluate --data <a smartctl file> (no failure labels)', () => {
    const r = cli(['evaluate', '--data', smartctl, '--model', 'backblaze-rule']);
    expect(r.status).toBe(1);
    const lines = errLines(r.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^diskpredict evaluate: no usable drive in --data: smartctl file has no failure labels: 1 file \(e\.g\. /);
  });

  it('score --data <a directory with nothing to score>', () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty, { recursive: true });
    const r = cli(['score', '--data', empty, '--model', 'backblaze-rule', '--out', join(dir, 'empty.csv')]);
    expect(r.status).toBe(1);
    expect(errLines(r.stderr)).toEqual([expect.stringMatching(/^diskpredict score: no usable drive in --data: directory without \.json\/\.csv files: 1 file/)]);
    expect(existsSync(join(dir, 'empty.csv'))).toBe(false);
  });

  it('predict <missing file>', () => {
    const r = cli(['predict', join(dir, 'missing.json')]);
    expect(r.status).toBe(1);
    expect(errLines(r.stderr)).toEqual([`diskpredict predict: ${join(dir, 'missing.json')}: no such file or directory`]);
  });
});

describe('output paths are checked before the work starts (item 7)', () => {
  it('score --out in a missing directory', () => {
    const r = cli(['score', '--data', labelled, '--model', 'backblaze-rule', '--out', join(dir, 'no-such-dir', 'x.csv')]);
    expect(r.status).toBe(1);
    expect(errLines(r.stderr)).toEqual([`diskpredict score: --out ${join(dir, 'no-such-dir', 'x.csv')}: directory ${join(dir, 'no-such-dir')} does not exist`]);
  });

  it('evaluate --report naming a directory, before any scoring', () => {
    const r = cli(['evaluate', '--data', labelled, '--model', 'backblaze-rule', '--report', dir, '--progress']);
    expect(r.status).toBe(1);
    expect(errLines(r.stderr)).toEqual([`diskpredict evaluate: --report ${dir} is a directory; give a file name`]);
  });

  it('train --out under a file', () => {
    const r = cli(['train', '--data', labelled, '--out', join(labelled, 'model')]);
    expect(r.status).toBe(1);
    expect(errLines(r.stderr)).toEqual([`diskpredict train: --out ${join(labelled, 'model')}: ${labelled} is not a directory`]);
  });

  it('import-ceph-models --out under a file', () => {
    const r = cli(['import-ceph-models', dir, '--out', join(labelled, 'ceph')]);
    expect(r.status).toBe(1);
    expect(errLines(r.stderr)).toEqual([`diskpredict import-ceph-models: --out ${join(labelled, 'ceph')}: ${labelled} is not a directory`]);
  });
});

describe('a closed stdout ends the command quietly (item 8)', () => {
  it('parse <big csv> | head -1: no EPIPE trace, exit 0', async () => {
    const big = writeFixture(dir, 'big.csv', backblazeCsv(Array.from({ length: 40 }, (_, d) => dailyRows(`S${d}`, 17532, 200, () => ({ 5: 0 }))).flat()));
    const child = spawn(process.execPath, ['--import', 'tsx', main, 'parse', big], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    // Like `head -1`: read the first chunk, then close the pipe.
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((done) => child.on('close', (c) => done(c)));
    expect(stderr).not.toMatch(/EPIPE|at /);
    expect(code).toBe(0);
  });
});

describe('errors name the CLI flags, one prefix, invisible characters escaped, plurals (item 9)', () => {
  it('a byte-order mark and a control character are shown escaped', () => {
    const bom = writeFixture(dir, 'bom.json', '\ufeff{"a\u0001": 1');
    const r = cli(['parse', bom]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('\\ufeff');
    expect(r.stderr).not.toContain('\ufeff');
    expect(r.stderr).toMatch(/^diskpredict parse: /);
    const p = cli(['predict', bom]);
    expect(p.status).toBe(1);
    expect(errLines(p.stderr)).toEqual([expect.stringMatching(/^diskpredict predict: skipped .*\\ufeff/)]);
  });

  it("commander's own errors use the same prefix", () => {
    const r = cli(['predict', '--bogus', smartctl]);
    expect(r.status).toBe(1);
    expect(errLines(r.stderr)).toEqual(["diskpredict predict: unknown option '--bogus'"]);
  });

  it("Ceph's models without their directory: the message names --ceph-models, not the library's cephModelDir", () => {
    const r = cli(['predict', '--model', 'prophetstor', smartctl]);
    expect(r.status).toBe(1);
    expect(errLines(r.stderr)).toEqual([expect.stringMatching(/^diskpredict predict: --model prophetstor needs --ceph-models DIR/)]);
    expect(r.stderr).not.toMatch(/cephModelDir/);
  });

  it('one day is "1 day"', () => {
    const r = cli(['predict', smartctl]);
    expect(r.stdout).toMatch(/, 1 day(, familiarity: [a-z]+)?\]/);
    expect(r.stdout).not.toMatch(/day\(s\)/);
  });
});

describe('--ceph-models is the one name; --ceph-model-dir stays as a hidden alias (item 10)', () => {
  it('predict takes both and shows only --ceph-models', () => {
    for (const flag of ['--ceph-models', '--ceph-model-dir']) {
      const r = cli(['predict', '--model', 'redhat', flag, join(dir, 'no-models'), smartctl]);
      expect(r.status).toBe(1);
      expect(errLines(r.stderr)).toEqual([expect.stringMatching(new RegExp(`^diskpredict predict: no redhat models in ${join(dir, 'no-models')}`))]);
    }
    const help = cli(['predict', '--help']).stdout;
    expect(help).toContain('--ceph-models <dir>');
    expect(help).not.toContain('--ceph-model-dir');
  });
});

describe('predict --json prints what its help says (item 12)', () => {
  it('one object per device per line', () => {
    const r = cli(['predict', '--json', smartctl, smartctlScsi]);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      const o = JSON.parse(line) as { device: string; prediction: { status: string; samplesUsed: number } };
      expect(typeof o.device).toBe('string');
      expect(o.prediction.samplesUsed).toBe(1);
    }
    expect(cli(['predict', '--help']).stdout).toMatch(/one JSON object per device per line/);
  });
});

describe('--help (item 15)', () => {
  const commands = ['parse', 'predict', 'train', 'score', 'evaluate', 'import-ceph-models', 'daemon', 'client'];
  it('every command: defaults shown one way, exit codes and environment variables listed', () => {
    for (const command of commands) {
      const help = cli([command, '--help']).stdout;
      expect(help, command).toMatch(/Exit codes:\n {2}0 {2}success/);
      for (const v of ['DISKPREDICT_CEPH_MODELS', 'DISKPREDICT_SHARED', 'DISKPREDICT_NATIVE']) expect(help, command).toContain(v);
      expect(help, command).not.toMatch(/\(default "|\(default [^:]/);
    }
    const top = cli(['--help']).stdout;
    expect(top).toMatch(/Exit codes:/);
  });

  it('required options are marked', () => {
    const score = cli(['score', '--help']).stdout.replace(/\s+/g, ' ');
    expect(score).toMatch(/--data <paths\.\.\.> .*\(required\)/);
    expect(score).toMatch(/--out <file> output CSV: serial_number,date,p14,p42,status,reason \(required\)/);
    expect(score).toMatch(/--partitions <n> .*\(default: 32\)/);
    // --data is required unless --ssd-snapshots replaces it (commander cannot mark that itself)
    expect(cli(['evaluate', '--help']).stdout.replace(/\s+/g, ' ')).toMatch(/--data <paths\.\.\.> .*\(required unless --ssd-snapshots\)/);
    expect(cli(['import-ceph-models', '--help']).stdout.replace(/\s+/g, ' ')).toMatch(/--out <dir> .*\(required\)/);
    expect(cli(['parse', '--help']).stdout.replace(/\s+/g, ' ')).toMatch(/--format <format> input format \(one of: auto, smartctl, ceph, backblaze; default: auto\)/);
  });
});

describe('progress on long work (item 16)', () => {
  it('evaluate --progress writes progress lines to a non-terminal stderr; without it, nothing', () => {
    const withFlag = cli(['evaluate', '--data', labelled, '--model', 'backblaze-rule', '--bootstrap', '20', '--progress']);
    expect(withFlag.status, withFlag.stderr).toBe(0);
    expect(withFlag.stderr).toMatch(/^reading: \d+%/m);
    const without = cli(['evaluate', '--data', labelled, '--model', 'backblaze-rule', '--bootstrap', '20']);
    expect(without.status).toBe(0);
    expect(without.stderr).not.toMatch(/reading|scoring|\r/);
    // smartctl-health scores no day of a Backblaze file (no health flag): n/a, not 0 % (item 18, text form)
    expect(without.stdout).toMatch(/^smartctl-health\s+0%\s+n\/a\s+n\/a/m);
  });
});
