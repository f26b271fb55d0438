import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { backblazeCsv, dailyRows, tempDir, writeFixture } from './backblazeFixture.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));

function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, ['--import', 'tsx', join(root, 'lib/cli/main.ts'), ...args], { encoding: 'utf8', cwd: root, timeout: 120_000 });
}

describe('diskpredict score / evaluate (CLI)', () => {
  const dir = tempDir('cli');
  const data = writeFixture(
    dir,
    'data.csv',
    backblazeCsv([
      ...dailyRows('F1', 17532, 12, (i) => ({ 5: i > 8 ? 3 : 0 }), true),
      ...dailyRows('H1', 17532, 12, () => ({ 5: 0 })),
      ...dailyRows('H2', 17532, 12, () => ({ 5: 0, 197: 0 })),
    ]),
  );

  it('score writes the CSV and a summary', () => {
    const out = join(dir, 'scores.csv');
    const r = cli(['score', '--data', data, '--model', 'backblaze-rule', '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/scored 36 drive-days of 3 drives with backblaze-rule/);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('serial_number,date,p14,p42,status,reason');
    expect(lines).toContain('F1,2018-01-10,,,Bad,');
  });

  it('evaluate --json gives the per-drive result', () => {
    const r = cli(['evaluate', '--data', data, '--model', 'backblaze-rule', '--json', '--bootstrap', '50']);
    expect(r.status, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout) as { failedDrives: number; healthyDrives: number; predictors: Array<{ id: string; operatingPoint: { detected: number; leadDays: { median: number } } }> };
    expect([json.failedDrives, json.healthyDrives]).toEqual([1, 2]);
    const rule = json.predictors.find((p) => p.id === 'backblaze-rule')!;
    expect(rule.operatingPoint.detected).toBe(1);
    expect(rule.operatingPoint.leadDays.median).toBe(2); // alarms from day 9, fails on day 11
  });

  it('an unknown model is a one-line error, not a crash', () => {
    const r = cli(['evaluate', '--data', data, '--model', join(dir, 'no-such-model')]);
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n').filter((l) => !/npm warn/.test(l))).toHaveLength(1);
    expect(r.stderr).toMatch(/^diskpredict evaluate: .*no-such-model/m);
  });
});
