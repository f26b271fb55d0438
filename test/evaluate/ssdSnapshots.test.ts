import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { evaluateSsdSnapshots, NO_HEALTHY_SSD_NOTE, tallySsdSnapshots, type SsdSnapshotResult } from '../../lib/evaluate/ssdSnapshots.js';
import { readAlibabaSsdLines, type AlibabaSsdSnapshot } from '../../lib/smart/alibabaSsdCsv.js';
import { RulesPredictor } from '../../lib/predict/rulesPredictor.js';
import { createPredictor } from '../../lib/predict/registry.js';
import { describeShared, sharedPath } from '../helpers/shared.js';
import { projectRoot } from '../helpers/sharedPaths.js';
import { tempDir } from './backblazeFixture.js';

const HEADER = 'model,failure_time,failure,app,r_5,n_5,r_187,n_187,r_197,n_197,r_program,n_program,n_wearout,disk_id,node_id,rack_id,machine_room_id';
// model, 187, 197, wearout → expected rule status
const ROWS: [string, number, number, number, string][] = [
  ['A1', 0, 0, 90, 'Good'],
  ['A1', 2, 0, 90, 'Warning'], // uncorrectable
  ['A1', 0, 0, 1, 'Warning'], // wear
  ['A2', 0, 1, 5, 'Warning'], // pending and wear
  ['B1', 0, 0, 100, 'Good'],
  ['B1', 9, 0, 100, 'Warning'],
  ['B2', 0, 0, 100, 'Good'],
];
const CSV = [
  HEADER,
  ...ROWS.map(([m, u, p, w], i) => `${m},2019-01-0${(i % 9) + 1} 10:00:00,1,RM,4,100,${u},100,${p},100,7,100,${w},${i + 1},1,1,1`),
  'B2,2019-01-09 10:00:00,1,RM,,,,,,,,,,99,1,1,1', // no SMART value: Unknown
  'B2,not a time,1,RM,0,100,0,100,0,100,0,100,100,98,1,1,1', // garbled: skipped
].join('\n');

async function read(text: string): Promise<AlibabaSsdSnapshot[]> {
  const out: AlibabaSsdSnapshot[] = [];
  for await (const s of readAlibabaSsdLines(text.split('\n'), 'mem.csv')) out.push(s);
  return out;
}

describe('the rule scorer on failed-SSD snapshots', () => {
  it('counts Bad / Warning / Unknown per model, vendor and rule family from the verdicts', async () => {
    const r = tallySsdSnapshots(await read(CSV));
    expect(r.note).toBe(NO_HEALTHY_SSD_NOTE);
    expect(r.note).toMatch(/no healthy SSDs/);
    expect(r.healthySnapshots).toBe(0);
    expect([r.snapshots, r.withoutSmart]).toEqual([8, 1]);
    expect(r.overall).toMatchObject({ group: 'all', snapshots: 8, bad: 0, warning: 4, good: 3, unknown: 1, warningShare: 0.5, flaggedShare: 0.5 });
    expect(r.byModel.map((m) => [m.group, m.snapshots, m.warning, m.unknown])).toEqual([
      ['A1', 3, 2, 0],
      ['A2', 1, 1, 0],
      ['B1', 2, 1, 0],
      ['B2', 2, 0, 1],
    ]);
    expect(r.byVendor.map((v) => [v.group, v.snapshots, v.flaggedShare])).toEqual([
      ['A', 4, 0.75],
      ['B', 4, 0.25],
    ]);
    // a snapshot counts once per family; the A2 row fired both families
    expect(r.byFamily.map((f) => [f.family, f.fired, f.firedBad, f.byModel])).toEqual([
      ['uncorrectable', 3, 0, { A1: 1, A2: 1, B1: 1 }],
      ['wear', 2, 0, { A1: 1, A2: 1 }],
    ]);
    expect(r.attributes.find((a) => a.id === 171)).toEqual({ id: 171, name: expect.stringMatching(/merged/), present: 7, rawAboveZero: 7, normalizedAtMost10: 0 });
    expect(r.unknownReasons).toEqual([{ reason: expect.stringMatching(/no usable ata-ssd health data/), count: 1 }]);
  });

  it('leaves a row labelled healthy out of the detection shares, counts it and says so', async () => {
    const healthyRow = `A1,2019-01-01 10:00:00,0,RM,4,100,5,100,0,100,7,100,90,500,1,1,1`;
    const r = tallySsdSnapshots(await read(`${CSV}\n${healthyRow}`));
    expect([r.snapshots, r.healthySnapshots, r.overall.warning]).toEqual([8, 1, 4]);
    expect(r.note).toBe('1 rows labelled healthy (failure 0) were left out: this measures detection on the failed SSDs only, not false alarms');
  });

  it('the default model answers these SSDs with the rule scorer: same verdicts', async () => {
    const snaps = await read(CSV);
    const viaDefault = tallySsdSnapshots(snaps, { predictor: createPredictor() });
    const viaRules = tallySsdSnapshots(snaps, { predictor: new RulesPredictor() });
    expect(viaDefault.overall).toEqual(viaRules.overall);
    expect(viaDefault.model.name).not.toBe('rules');
  });

  describe('evaluate --ssd-snapshots (CLI)', () => {
    const dir = tempDir('ssd');
    const file = join(dir, 'tags.csv');
    writeFileSync(file, CSV);
    const cli = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', join(projectRoot, 'lib/cli/main.ts'), 'evaluate', ...args], { encoding: 'utf8', cwd: projectRoot, timeout: 60_000 });

    it('--json gives the figures; the table says there are no healthy SSDs; a garbled row is reported as skipped', () => {
      const j = cli(['--ssd-snapshots', file, '--json']);
      expect(j.status, j.stderr).toBe(0);
      const r = JSON.parse(j.stdout) as SsdSnapshotResult;
      expect(r.overall).toMatchObject({ snapshots: 8, warning: 4, unknown: 1 });
      expect(r.issues).toEqual([{ kind: 'skipped', reason: 'garbled row: bad failure_time "…"', unit: 'rows', count: 1, examples: ['line 10'] }]);
      const t = cli(['--ssd-snapshots', file]);
      expect(t.status, t.stderr).toBe(0);
      expect(t.stdout).toContain('NOTE: every snapshot is of a failed SSD: there are no healthy SSDs in this data');
      expect(t.stdout).toMatch(/^all\s+8\s+0\.0%\s+50\.0%\s+50\.0%\s+1$/m);
      expect(t.stdout).toMatch(/^A1\s+3\s+0\.0%\s+66\.7%\s+66\.7%\s+0$/m);
      expect(t.stdout).toMatch(/^uncorrectable \/ pending \(187, 197, 198\)\s+37\.5%/m);
    });

    it('options of the Backblaze evaluation are refused by name; a missing file and no input at all are one-line errors', () => {
      const both = cli(['--ssd-snapshots', file, '--data', file, '--report', join(dir, 'r.html')]);
      expect(both.status).toBe(1);
      expect(both.stderr.trim()).toBe('diskpredict evaluate: --ssd-snapshots is evaluated on its own with the rule scorer (which answers for SSDs under every model); --data, --report do not apply');
      // an option with a default counts only when given
      const one = cli(['--ssd-snapshots', file, '--bootstrap', '10']);
      expect(one.stderr.trim()).toBe('diskpredict evaluate: --ssd-snapshots is evaluated on its own with the rule scorer (which answers for SSDs under every model); --bootstrap does not apply');
      const missing = cli(['--ssd-snapshots', join(dir, 'absent.csv')]);
      expect(missing.status).toBe(1);
      expect(missing.stderr.trim()).toBe(`diskpredict evaluate: --ssd-snapshots ${join(dir, 'absent.csv')}: no such file or directory`);
      const none = cli([]);
      expect(none.status).toBe(1);
      expect(none.stderr.trim()).toBe("diskpredict evaluate: required option '--data <paths...>' not specified (or --ssd-snapshots <file>)");
      const wrong = join(dir, 'backblaze.csv');
      writeFileSync(wrong, 'date,serial_number,model,failure\n2020-01-01,S,M,0\n');
      const notThis = cli(['--ssd-snapshots', wrong]);
      expect(notThis.status).toBe(1);
      expect(notThis.stderr).toMatch(/^diskpredict evaluate: .*backblaze\.csv, line 1: header lacks model, failure_time or disk_id/);
    });
  });
});

describeShared("the rule scorer on Alibaba's failed-SSD snapshots (shared data)", () => {
  const file = sharedPath('ssd', 'alibaba_ssd_2018-2019_failure_tags__dcbrain.csv.gz');

  it('its shares match a recount straight from the CSV, per model (what the version 3 rules read: 187/197/198 > 0, wearout ≤ 10)', async () => {
    const r = await evaluateSsdSnapshots(file);
    expect(r.snapshots).toBe(12_853);
    expect(r.issues).toEqual([]);
    // Independent recount: plain CSV split, no reader, no scorer.
    const [head, ...lines] = gunzipSync(readFileSync(file)).toString('utf8').trim().split('\n');
    const col = new Map(head!.split(',').map((n, i) => [n, i]));
    const cell = (cells: string[], name: string): number | undefined => {
      const i = col.get(name);
      const v = i === undefined ? '' : cells[i]!;
      return v === '' ? undefined : Number(v);
    };
    const expected = new Map<string, { n: number; flagged: number }>();
    for (const line of lines) {
      const c = line.split(',');
      const model = c[col.get('model')!]!;
      const flagged = ['r_187', 'r_197', 'r_198'].some((k) => (cell(c, k) ?? 0) > 0) || (cell(c, 'n_wearout') ?? 100) <= 10;
      const e = expected.get(model) ?? { n: 0, flagged: 0 };
      e.n++;
      if (flagged) e.flagged++;
      expected.set(model, e);
    }
    for (const row of r.byModel) {
      const e = expected.get(row.group)!;
      expect([row.group, row.snapshots, row.bad + row.warning]).toEqual([row.group, e.n, e.flagged]);
    }
    const all = [...expected.values()].reduce((a, e) => a + e.flagged, 0);
    expect(r.overall.flaggedShare).toBeCloseTo(all / 12_853, 12);
    // One snapshot, no thresholds, no health result: no Bad rule can fire.
    expect(r.overall.bad).toBe(0);
    expect(r.overall.unknown).toBe(6);
  });
});
