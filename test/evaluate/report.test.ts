import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { backblazeRule, smartctlHealth } from '../../lib/evaluate/baselines/index.js';
import { runEvaluate } from '../../lib/evaluate/evaluateRun.js';
import { renderHtmlReport } from '../../lib/evaluate/report/htmlReport.js';
import { loadModelOrBaseline } from '../../lib/evaluate/loadPredictors.js';
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
    const bad = Number(last.ata?.get(5)?.raw ?? 0) + Number(last.ata?.get(197)?.raw ?? 0);
    const p14 = Math.min(1, bad / 40);
    return { ...backblazeRule.predict(history), p14, p42: p14, status: p14 >= 0.5 ? 'Bad' : 'Good', model: this.model };
  },
};

/** Unknown on every day, as Ceph's models are on drives they have no model for. */
const neverScores: Predictor = {
  model: { name: 'never-scores', version: '0' },
  predict(history) {
    return { ...backblazeRule.predict(history), status: 'Unknown', p14: null, p42: null, model: this.model, reason: 'no model for this vendor' };
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
        { id: 'never-scores', kind: 'baseline', predictor: neverScores },
      ],
      { bootstrapReplicates: 100, healthyWeight: 6.7 },
    );
    // The shipped model's own metadata: thresholds, training files, validation figures.
    const shipped = loadModelOrBaseline('default').metadata ?? {};
    html = renderHtmlReport({ result, generated: '2026-01-01T00:00:00Z', modelMetadata: { ...shipped, note: '<b>escaped</b>' } });
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
    // Curves for the two that scored; smartctl-health (no health flag in Backblaze files) and
    // never-scores scored no day and have none.
    expect((html.match(/class="curve"/g) ?? []).length).toBe(2);
  });

  it('labels the FAR-budget lines and the histogram y-axis', () => {
    expect(html.match(/class="far-mark-label"[^>]*>[^<]*/g)?.map((m) => m.replace(/.*>/, ''))).toEqual(['FAR budget 0.1%', '0.5%', '1%', '2%']);
    const histogram = html.slice(html.indexOf('id="lead-time-histogram"'));
    expect(histogram).toMatch(/rotate\(-90\)" text-anchor="middle">failed drives</);
  });

  it('shows n/a, not 0 %, for a predictor that scored no day', () => {
    for (const name of ['never-scores', 'smartctl-health']) {
      const row = html.match(new RegExp(`<tr><td class="l">${name}</td>.*?</tr>`))?.[0] ?? '';
      // scored days 0.0 %, then n/a in every figure
      const cells = [...row.matchAll(/<td>(.*?)<\/td>/g)].map((m) => m[1]);
      expect(cells[0]).toBe('0.0%');
      expect(cells.slice(1).every((c) => c === '<span class="na">n/a</span>'), row).toBe(true);
      expect(cells).toHaveLength(1 + 4 + 4);
      expect(html).toContain(`${name}: n/a (scored no day)`);
      expect(html).not.toContain(`data-series="${name}"`);
    }
  });

  it('shows the model readably: thresholds rounded, training files as a list', () => {
    const section = html.slice(html.indexOf('id="model-metadata"'));
    expect(section).toMatch(/<dt>bad<\/dt><dd>0\.\d{4}<\/dd>/);
    expect(section).not.toMatch(/<dt>bad<\/dt><dd>0\.\d{5,}/);
    expect(section).toMatch(/<ul class="meta-list"><li><code>bb_2013-04-10_2013-05-19_all_drives__dvarfe\.csv\.gz<\/code>/);
    expect(section).toContain('&lt;b&gt;escaped&lt;/b&gt;');
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
