import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { backblazeRule, smartctlHealth } from '../../lib/evaluate/baselines/index.js';
import { runEvaluate } from '../../lib/evaluate/evaluateRun.js';
import { renderHtmlReport } from '../../lib/evaluate/report/htmlReport.js';
import type { Predictor } from '../../lib/predict/types.js';
import { backblazeCsv, dailyRows, tempDir, writeFixture, type FixtureRow } from './backblazeFixture.js';
import { chromiumBinary, dumpDom, screenshot } from './chromium.js';

const artifacts = resolve(fileURLToPath(new URL('../../artifacts', import.meta.url)));
const START = 17532;

/** A scored stand-in model: p14 rises with raw 5 and 197; Bad from 0.5. */
const countersModel: Predictor = {
  model: { name: 'counters-test-model', version: '0' },
  predict(history) {
    const last = history.samples[history.samples.length - 1]!;
    const bad = Number(last.ata?.[5]?.raw ?? 0) + Number(last.ata?.[197]?.raw ?? 0);
    const p14 = Math.min(1, bad / 40);
    return { ...backblazeRule.predict(history), p14, p42: p14, status: p14 >= 0.5 ? 'Bad' : 'Good', model: this.model };
  },
};

function population(): FixtureRow[] {
  const rows: FixtureRow[] = [];
  for (let d = 0; d < 300; d++) rows.push(...dailyRows(`H${d}`, START, 40, (i) => ({ 5: d % 37 === 0 && i > 20 ? (d % 5) * 4 + 1 : 0 })));
  for (let d = 0; d < 30; d++) {
    rows.push(...dailyRows(`F${d}`, START, 25 + (d % 10), (i) => ({ 197: i > 10 + (d % 9) ? (i - 10) * (d % 4) : 0, 5: d % 6 === 0 ? 0 : i % 3 }), true));
  }
  return rows;
}

describe('HTML report', () => {
  let html = '';
  const file = join(artifacts, 'report.html');

  beforeAll(async () => {
    const dir = tempDir('report');
    const data = writeFixture(dir, 'population.csv', backblazeCsv(population()));
    const result = await runEvaluate(
      [data],
      [
        { id: 'model', kind: 'model', predictor: countersModel },
        { id: 'backblaze-rule', kind: 'baseline', predictor: backblazeRule },
        { id: 'smartctl-health', kind: 'baseline', predictor: smartctlHealth },
      ],
      { bootstrapReplicates: 100, healthyWeight: 6.7 },
    );
    html = renderHtmlReport({ result, generated: '2026-01-01T00:00:00Z', modelMetadata: { created: '2025-12-31', note: '<b>escaped</b>' } });
    mkdirSync(artifacts, { recursive: true });
    writeFileSync(file, html);
  });

  it('is one self-contained file with the charts and tables', () => {
    // Self-contained: no external fetches of any kind.
    expect(html).not.toMatch(/<script[^>]+src=|<link|<img|url\(|https?:\/\//i);
    for (const id of ['fdr-far-curve', 'lead-time-histogram', 'confusion-matrix', 'summary', 'vendors', 'skipped', 'model-metadata']) {
      expect(html).toContain(`id="${id}"`);
    }
    expect(html).toContain('&lt;b&gt;escaped&lt;/b&gt;');
    expect((html.match(/class="curve"/g) ?? []).length).toBe(3);
  });

  it.skipIf(!chromiumBinary)(
    `renders in headless Chromium and saves artifacts/report.png${chromiumBinary ? '' : ' [skipped: chromium not installed — apt-get install -y chromium]'}`,
    () => {
      const dom = dumpDom(file);
      expect(dom).toMatch(/data-charts-rendered="2"/);
      const png = join(artifacts, 'report.png');
      rmSync(png, { force: true });
      screenshot(file, png);
      expect(readFileSync(png).subarray(1, 4).toString('latin1')).toBe('PNG');
      expect(statSync(png).size).toBeGreaterThan(30_000);
    },
  );
});
