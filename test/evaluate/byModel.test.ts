import { createReadStream } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { ByModelAccumulator, errorCounterSum, type ByModelRow } from '../../lib/evaluate/byModel.js';
import type { HealthStatus } from '../../lib/predict/types.js';
import type { SmartSample } from '../../lib/smart/types.js';
import { describeShared, sharedPath } from '../helpers/shared.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));

function sample(day: number, realloc?: number, pending?: number): SmartSample {
  const ata: NonNullable<SmartSample['ata']> = new Map();
  if (realloc !== undefined) ata.set(5, { id: 5, value: 100, raw: realloc } as never);
  if (pending !== undefined) ata.set(197, { id: 197, value: 100, raw: pending } as never);
  return { device: { model: 'M', vendor: 'seagate' }, time: day * 86_400_000, ata };
}

function add(acc: ByModelAccumulator, failDay: number | undefined, days: number[], statuses: HealthStatus[], sums: number[]): void {
  const d = Int32Array.from(days);
  acc.addDrive('M', 'seagate', failDay, d, days.map((x, i) => sample(x, sums[i])));
  acc.addStatuses('p', 'M', 'seagate', failDay, d, statuses);
}

describe('per drive model tallies', () => {
  it('counts failed drives caught in [F−window, F], healthy drives and days, and the heuristic at the same rate', () => {
    const acc = new ByModelAccumulator(30);
    add(acc, 100, [60, 80, 100], ['Bad', 'Good', 'Good'], [0, 0, 50]); // Bad 40 days before: outside the window
    add(acc, 100, [90, 100], ['Warning', 'Bad'], [5, 60]); // caught on the failure day
    add(acc, 100, [100], ['Warning'], [2]); // alarm, not Bad
    for (let i = 0; i < 199; i++) add(acc, undefined, [10], ['Good'], [i === 0 ? 40 : 0]);
    add(acc, undefined, [10, 11], ['Bad', 'Unknown'], [70, 70]);
    const [row] = acc.rows() as [ByModelRow];
    const t = row.perPredictor['p']!;
    expect([t.failedDrives, t.failedBad, t.failedAlarm]).toEqual([3, 1, 2]);
    expect([t.failureDayScored, t.failureDayBad, t.failureDayAlarm]).toEqual([3, 1, 2]);
    expect([t.healthyDrives, t.healthyBadDrives, t.healthyDays, t.healthyBadDays]).toEqual([200, 1, 200, 1]);
    // our healthy Bad-day rate is 1/200; the heuristic may flag 1 of its 201 healthy values: 70 and 70 tie, so only ≥ 71
    const h = t.heuristic!;
    expect(h.threshold).toBe(71);
    expect(h.healthyDayRate).toBe(0);
    expect(h.failedCaught).toBe(0);
  });

  it('sums raw 5/187/197/198 and says "no value" when none is reported', () => {
    expect(errorCounterSum(sample(1, 3, 4))).toBe(7);
    expect(errorCounterSum(sample(1))).toBeNaN();
  });
});

describeShared('evaluate --by-model on the shared Toshiba file', () => {
  const file = 'backblaze/bb_2019_TOSHIBA_MQ01ABF050_last_10_days__karthikna.csv';
  let rows: ByModelRow[];
  beforeAll(() => {
    const r = spawnSync(process.execPath, [join(root, 'dist/lib/cli/main.js'), 'evaluate', '--data', sharedPath(file), '--by-model', '--bootstrap', '10', '--json'], {
      encoding: 'utf8',
      cwd: root,
      timeout: 120_000,
      maxBuffer: 64 << 20,
    });
    if (r.status !== 0) throw new Error(`evaluate exited ${r.status}: ${r.stderr}`);
    rows = (JSON.parse(r.stdout) as { byModel: ByModelRow[] }).byModel;
  }, 130_000);

  it('has one row for the drive model with the failed and healthy drives counted straight from the CSV', async () => {
    const failed = new Set<string>();
    const all = new Set<string>();
    let header: string[] | undefined;
    for await (const line of createInterface({ input: createReadStream(sharedPath(file)), crlfDelay: Infinity })) {
      const cells = line.split(',');
      if (!header) {
        header = cells;
        continue;
      }
      all.add(cells[header.indexOf('serial_number')]!);
      if (cells[header.indexOf('failure')] === '1') failed.add(cells[header.indexOf('serial_number')]!);
    }
    expect(rows.map((r) => r.model)).toEqual(['TOSHIBA MQ01ABF050']);
    for (const id of ['model', 'backblaze-rule']) {
      const t = rows[0]!.perPredictor[id]!;
      expect(t.failedDrives).toBe(failed.size);
      expect(t.healthyDrives).toBe(all.size - failed.size);
    }
  });
});
