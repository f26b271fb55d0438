/**
 * Every Unknown says why: each predictor (our model, the rules, the baselines), one device at a time
 * and day by day, on the inputs that give Unknown — Backblaze rows whose SMART cells are all empty,
 * devices whose sample carries no health data, no samples at all — and the score CSV that carries it.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { backblazeRule, smartctlHealth } from '../../lib/evaluate/baselines/index.js';
import { runScore, SCORE_COLUMNS } from '../../lib/evaluate/scoreRun.js';
import { scoreEachDay } from '../../lib/evaluate/scoreEachDay.js';
import { createPredictor } from '../../lib/predict/registry.js';
import type { Predictor } from '../../lib/predict/types.js';
import { streamBackblazeRows } from '../../lib/smart/backblazeCsv.js';
import type { DeviceHistory, SmartSample } from '../../lib/smart/types.js';

const dir = mkdtempSync(join(tmpdir(), 'dp-unknown-'));
const csv = join(dir, 'empty-cells.csv');
// Backblaze's header; the SMART cells of every row are empty (as on some real rows).
writeFileSync(
  csv,
  'date,serial_number,model,capacity_bytes,failure,smart_1_normalized,smart_1_raw,smart_5_normalized,smart_5_raw,smart_9_raw,smart_197_raw\n' +
    '2024-01-01,EMPTY1,ST4000DM000,4000787030016,0,,,,,,\n' +
    '2024-01-02,EMPTY1,ST4000DM000,4000787030016,0,,,,,,\n' +
    '2024-01-01,EMPTY2,CT250MX500SSD1,250059350016,0,,,,,,\n',
);

async function csvHistories(): Promise<DeviceHistory[]> {
  const bySerial = new Map<string, SmartSample[]>();
  for await (const s of streamBackblazeRows(csv)) bySerial.set(s.device.serial!, [...(bySerial.get(s.device.serial!) ?? []), s]);
  return [...bySerial.values()].map((samples) => ({ samples, errors: [] }));
}

const t0 = Date.UTC(2024, 0, 1);
const handmade: DeviceHistory[] = [
  { samples: [], errors: [] },
  { samples: [], errors: [{ time: t0, message: 'smartctl failed' }] },
  { samples: [{ device: { vendor: 'samsung', protocol: 'nvme' }, time: t0 }], errors: [] },
  { samples: [{ device: { vendor: 'seagate', protocol: 'scsi' }, time: t0 }], errors: [] },
  { samples: [{ device: { vendor: 'crucial', protocol: 'ata', ssd: true }, time: t0 }], errors: [] },
  { samples: [{ device: { vendor: 'seagate', protocol: 'ata' }, time: t0, ata: new Map([[250, { id: 250, raw: 1 }]]) }], errors: [] },
];

const predictors: Predictor[] = [createPredictor('default'), createPredictor('rules'), backblazeRule, smartctlHealth];

describe('every Unknown says why', () => {
  it('one prediction per device and one per day, for every predictor', async () => {
    const histories = [...(await csvHistories()), ...handmade];
    let unknowns = 0;
    for (const p of predictors) {
      for (const h of histories) {
        const one = p.predict(h);
        if (one.status === 'Unknown') {
          unknowns++;
          expect([p.model.name, one.reason]).toEqual([p.model.name, expect.stringMatching(/\S/)]);
        }
        for (const day of scoreEachDay(p, h)) {
          if (day.status !== 'Unknown') continue;
          unknowns++;
          expect([p.model.name, day.reason]).toEqual([p.model.name, expect.stringMatching(/\S/)]);
        }
      }
    }
    expect(unknowns).toBeGreaterThan(20);
  });

  it('the default model says which attributes it missed on all-empty Backblaze rows', async () => {
    const [h] = await csvHistories();
    const model = createPredictor('default');
    expect(model.predict(h!)).toMatchObject({ status: 'Unknown', reason: expect.stringMatching(/no usable ATA attribute/) });
    expect(scoreEachDay(model, h!).map((d) => d.reason)).toEqual([expect.stringMatching(/no usable ATA attribute/), expect.stringMatching(/no usable ATA attribute/)]);
  });

  it('score writes the reason of every Unknown day into its CSV and summary', async () => {
    const out = join(dir, 'scores.csv');
    const r = await runScore([csv], createPredictor('default'), out, {});
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe(SCORE_COLUMNS);
    expect(lines.slice(1).sort()).toEqual([
      "EMPTY1,2024-01-01,,,Unknown,no usable ATA attribute (none of the model's 24 attributes reported a value)",
      "EMPTY1,2024-01-02,,,Unknown,no usable ATA attribute (none of the model's 24 attributes reported a value)",
      "EMPTY2,2024-01-01,,,Unknown,no usable ATA attribute (none of the model's 24 attributes reported a value)",
    ]);
    expect(r.unknownReasons).toEqual([{ reason: "no usable ATA attribute (none of the model's 24 attributes reported a value)", count: 3 }]);
  });
});
