/**
 * The upstream algorithms on small hand-made models (no shared data needed): DPL selection,
 * ProphetStor attribute/diff/vote rules, the RBF decision, Red Hat vendor table, features, forest.
 */
import { describe, expect, it } from 'vitest';
import type { CephDayDict } from '../../lib/smart/cephDayDict.js';
import { dplDayDicts } from '../../lib/models/ceph/dplDayDicts.js';
import { predictProphetStor, prophetStorAttributes, prophetStorDiffMatrix, prophetStorDiffs } from '../../lib/models/ceph/prophetstor.js';
import { predictRedHat, redHatFeatures, redHatVendor } from '../../lib/models/ceph/redhat.js';
import { forestPredict } from '../../lib/models/ceph/forest.js';
import { svcDecisions } from '../../lib/models/ceph/svc.js';
import { predictCephDump, formatCephPrediction } from '../../lib/predict/ceph/index.js';
import type { ProphetStorModels, RedHatModels, SvcModel, TreeModel } from '../../lib/models/ceph/modelTypes.js';

function smartctl(attrs: Record<number, number | string>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ata_smart_attributes: { table: Object.entries(attrs).map(([id, raw]) => ({ id: Number(id), value: 100, raw: { value: raw, string: String(raw) } })) },
    ...extra,
  };
}

/** one SV at the origin: decision = exp(−γ‖x‖²) − ½ → class 0 near 0, class 1 far away */
function svm(file: string, nFeatures: number): SvcModel {
  return { file, nFeatures, nSupport: 1, gamma: 1 / nFeatures, intercept: -0.5, dualCoef: Float64Array.of(1), supportVectors: new Float64Array(nFeatures) };
}

describe('DPL day dicts', () => {
  it('needs 6 entries, counts error objects, keeps 12 non-empty dicts newest first (keys sorted as strings)', () => {
    const map: Record<string, unknown> = {};
    for (let d = 10; d <= 29; d++) map[`202401${d}-000000`] = smartctl({ 5: d });
    map['20240115-000001'] = { error: 'smartctl failed' };
    const dpl = dplDayDicts(map as never);
    expect(dpl.nSamples).toBe(21);
    expect(dpl.dayDicts).toHaveLength(12);
    expect(dpl.keysUsed[0]).toBe('20240129-000000');
    expect(dpl.dayDicts[0]!['smart_5_raw']).toBe(29);
    expect(dplDayDicts({ a: {}, b: {}, c: {}, d: {}, e: {} }).reason).toBe('insufficient_samples');
    const fiveUsable: Record<string, unknown> = { x1: { error: 'e' }, x2: { error: 'e' }, x3: { error: 'e' } };
    for (let d = 0; d < 5; d++) fiveUsable[`y${d}`] = smartctl({ 5: d });
    expect(dplDayDicts(fiveUsable as never).reason).toBe('insufficient_usable_samples');
    expect(predictCephDump({ kind: 'prophetstor', config: [], svms: new Map(), version: 'v' }, fiveUsable as never).upstreamVerdict).toBe('');
  });
});

describe('ProphetStor rules', () => {
  const days: CephDayDict[] = [
    { smart_5_raw: 2n ** 60n + 1n, smart_9_raw: 100, smart_187_raw: 3, smart_197_raw: 0, smart_241_raw: 7, smart_1_raw: 0, user_capacity: 1 },
    { smart_5_raw: 2n ** 60n, smart_9_raw: 99, smart_187_raw: -1, smart_197_raw: 0, smart_241_raw: 6, smart_1_raw: 0, user_capacity: 1 },
  ];

  it('keeps raw attributes of every day, minus 9/241/242 and attributes negative on any day', () => {
    expect(prophetStorAttributes(days)).toEqual(['smart_1_raw', 'smart_5_raw', 'smart_197_raw']);
  });

  it('diffs are older minus newer, exact beyond 2^53', () => {
    const [row] = prophetStorDiffs(days, ['smart_5_raw']);
    expect(row!.get('smart_5_raw')).toBe(-1n); // doubles would say 0
  });

  it('gives the SVMs Number of each exact difference, with the errors int() raises in the same order', () => {
    const values: Array<number | bigint | string> = [0, -0, -0.5, 0.3, 7.9, -7.9, 2 ** 53, 2 ** 53 + 2, -(2 ** 53), 1.5e300, -1.5e300, 1.7e308, -1.7e308, 2n ** 64n + 1n, 2n ** 1030n, 3n, ' 12 ', '-4'];
    // every ordered pair of values (older, newer) as one attribute, over three days
    const attrs: string[] = [];
    const days: CephDayDict[] = [{}, {}, {}];
    values.forEach((older, i) =>
      values.forEach((newer, j) => {
        const a = `smart_${i * values.length + j + 1}_raw`;
        attrs.push(a);
        days[0]![a] = newer;
        days[1]![a] = older;
        days[2]![a] = values[(i + j) % values.length]!;
      }),
    );
    // Object.is per value: a −0 where Number(bigint) gives 0 (−0.5 and 0.3 both truncate to zero) is a difference
    const exact = prophetStorDiffs(days, attrs).flatMap((row) => attrs.map((a) => Number(row.get(a)!)));
    const ours = [...prophetStorDiffMatrix(days, attrs)];
    expect(ours.length).toBe(exact.length);
    ours.forEach((v, i) => expect(Object.is(v, exact[i]), `${attrs[i % attrs.length]}: ${v} vs ${exact[i]}`).toBe(true));
    const bad = (v: number | string): CephDayDict[] => [{ smart_1_raw: 1, smart_5_raw: 1 }, { smart_1_raw: v, smart_5_raw: Infinity }];
    for (const v of [NaN, 'x', 1]) {
      const message = (f: () => unknown): string => {
        try {
          f();
          return 'no error';
        } catch (e) {
          return (e as Error).message;
        }
      };
      expect(message(() => prophetStorDiffMatrix(bad(v), ['smart_1_raw', 'smart_5_raw']))).toBe(message(() => prophetStorDiffs(bad(v), ['smart_1_raw', 'smart_5_raw'])));
    }
  });

  it('selects models scoring > max − 2, votes on any row, and maps 2^k − n to a verdict', () => {
    const day = (v: number): CephDayDict => ({ smart_1_raw: v, smart_5_raw: v, smart_7_raw: 0, smart_197_raw: 0 });
    const models: ProphetStorModels = {
      kind: 'prophetstor',
      version: 'test',
      config: [
        { file: 'a.pkl', attributes: ['smart_1_raw', 'smart_5_raw', 'smart_7_raw', 'smart_197_raw'] },
        { file: 'b.pkl', attributes: ['smart_5_raw', 'smart_7_raw', 'smart_197_raw', 'smart_999_raw'] },
        { file: 'c.pkl', attributes: ['smart_1_raw', 'smart_999_raw', 'smart_998_raw', 'smart_997_raw'] },
      ],
      svms: new Map(['a.pkl', 'b.pkl', 'c.pkl'].map((f) => [f, svm(f, 4)])),
    };
    const quiet = predictProphetStor(models, [day(5), day(5), day(5)]);
    expect(quiet.maxScore).toBe(4);
    expect(quiet.modelsUsed).toEqual(['a.pkl', 'b.pkl']);
    expect(quiet.votes).toEqual({ 'a.pkl': 0, 'b.pkl': 0 });
    expect(quiet.score).toBe(2 ** 0 - 2);
    expect(quiet.verdict).toBe('Good');
    const jump = predictProphetStor(models, [day(100), day(5), day(5)]);
    expect(jump.votes).toEqual({ 'a.pkl': 1, 'b.pkl': 1 });
    expect(jump.score).toBe(2 ** 2 - 2);
    const few = predictProphetStor(models, [{ smart_1_raw: 1 }, { smart_1_raw: 1 }]);
    expect(few.verdict).toBe('Unknown');
    expect(few.reason).toBe('too_few_matched_attributes');
  });

  it('gives each model its rows in its own attribute order (absent ⇒ 0), the same values when asked again', () => {
    // two support vectors off the origin, so the attribute order matters
    const sv: SvcModel = { file: 'o.pkl', nFeatures: 4, nSupport: 2, gamma: 0.25, intercept: -0.1, dualCoef: Float64Array.of(0.7, -0.4), supportVectors: Float64Array.of(1, 2, 0, 0, -1, 0, 3, 1) };
    const models: ProphetStorModels = { kind: 'prophetstor', config: [{ file: 'o.pkl', attributes: ['smart_7_raw', 'smart_99_raw', 'smart_5_raw', 'smart_1_raw'] }], svms: new Map([['o.pkl', sv]]), version: 't' };
    const day = (a: number, b: number, c: number): CephDayDict => ({ smart_1_raw: a, smart_5_raw: b, smart_7_raw: c });
    const days = [day(9, 4, 7), day(9, 3, 5), day(9, 3, 5), day(9, 1, 5)];
    const first = predictProphetStor(models, days);
    // rows: day[i+1] − day[i] as [smart_7, smart_99 (absent), smart_5, smart_1]
    const expected = svcDecisions(sv, Float64Array.of(-2, 0, -1, 0, 0, 0, 0, 0, 0, 0, -2, 0), 3);
    expect(first.decisions['o.pkl']).toEqual([...expected].map((v) => -v));
    expect(predictProphetStor(models, days)).toEqual(first);
  });

  it('remembers decisions of rows wider than fit in one call’s arguments (a model of 50,000 attributes)', () => {
    const d = 50_000;
    const attributes = Array.from({ length: d }, (_, i) => `smart_${i + 1}_raw`);
    const sv: SvcModel = { file: 'w.pkl', nFeatures: d, nSupport: 1, gamma: 1e-4, intercept: -0.5, dualCoef: Float64Array.of(1), supportVectors: new Float64Array(d).fill(1) };
    const models: ProphetStorModels = { kind: 'prophetstor', config: [{ file: 'w.pkl', attributes }], svms: new Map([['w.pkl', sv]]), version: 't' };
    const day = (v: number): CephDayDict => Object.fromEntries(attributes.map((a, i) => [a, v + (i % 3)]));
    const days = [day(5), day(4), day(4), day(5)];
    // ProphetStor leaves out 9, 241 and 242: absent, so 0
    const rows = [-1, 0, 1].flatMap((step) => attributes.map((a) => (['smart_9_raw', 'smart_241_raw', 'smart_242_raw'].includes(a) ? 0 : step)));
    const expected = [...svcDecisions(sv, Float64Array.from(rows), 3)].map((v) => -v);
    expect(predictProphetStor(models, days).decisions['w.pkl']).toEqual(expected);
    expect(predictProphetStor(models, days).decisions['w.pkl']).toEqual(expected);
  });

  it('evaluates the RBF decision as libsvm does', () => {
    const m = svm('x', 2);
    const d = svcDecisions(m, Float64Array.of(0, 0, 1, 1), 2);
    expect(d[0]).toBe(0.5);
    expect(d[1]).toBe(Math.exp(-1) - 0.5);
  });
});

describe('Red Hat rules', () => {
  it('reads the vendor from the newest day: vendor field verbatim, else the first matching model prefix', () => {
    expect(redHatVendor({ vendor: 'SEAGATE', model_name: 'ST4000' })).toEqual({ vendor: 'SEAGATE', source: 'vendor_field' });
    expect(redHatVendor({ model_name: 'Samsung SSD 860' }).vendor).toBe('seagate');
    expect(redHatVendor({ model_name: 'HGST HUH721212ALE600' }).source).toBe('model_name_prefix:HGST');
    expect(redHatVendor({ model_name: 'Hitachi HDS5C3030ALA630' }).vendor).toBe('hitachi');
    expect(redHatVendor({ model_name: 'INTEL SSDSC2KB' })).toEqual({ vendor: null, source: 'no_prefix_match' });
    expect(redHatVendor({})).toEqual({ vendor: null, source: 'no_prefix_match' });
  });

  const features = ['user_capacity', 'smart_1_raw', 'smart_5_raw'];
  const day = (a: number, b: number): CephDayDict => ({ user_capacity: 1000, smart_1_raw: a, smart_5_raw: b });

  it('builds [means, stds (ddof=1), cvs (0/0 ⇒ 0), capacity] per 6-day window', () => {
    const days = [day(1, 0), day(2, 0), day(3, 0), day(4, 0), day(5, 0), day(6, 0), day(7, 0)];
    const rows = redHatFeatures(days, features);
    expect(rows).toHaveLength(2);
    const std = Math.sqrt((2.5 ** 2 + 1.5 ** 2 + 0.5 ** 2) * 2 / 5);
    expect([...rows[0]!]).toEqual([3.5, 0, std, 0, std / 3.5, 0, 1000]);
  });

  function oneSplitForest(threshold: number): RedHatModels {
    // feature 0 ≤ threshold ⇒ Bad, else Good
    const tree: TreeModel = {
      left: Int32Array.of(1, -1, -1),
      right: Int32Array.of(2, -1, -1),
      feature: Int32Array.of(0, -2, -2),
      threshold: Float64Array.of(threshold, -2, -2),
      value: Float64Array.of(5, 0, 5, 0, 0, 4, 3, 0, 0),
    };
    return {
      kind: 'redhat',
      version: 'test',
      config: [{ vendor: 'hgst', features }],
      vendors: new Map([['hgst', { scaler: { type: 'robust', center: null, scale: null }, forest: { nFeatures: 7, classes: [0, 1, 2], trees: [tree] }, missingFiles: [] }]]),
    };
  }

  it('compares float32-cast inputs with <= and gives the last (oldest) window the verdict', () => {
    const x = 0.1; // fround(0.1) > 0.1: a threshold of exactly 0.1 sends the float32 value right
    const forest = oneSplitForest(0.1).vendors.get('hgst')!.forest!;
    expect(forestPredict(forest, Float64Array.of(x, 0, 0, 0, 0, 0, 0)).classIndex).toBe(0);
    expect(forestPredict(forest, Float64Array.of(0.09, 0, 0, 0, 0, 0, 0)).classIndex).toBe(2);
    const models = oneSplitForest(3.6);
    const hgst = (v: number): CephDayDict => ({ ...day(v, 0), model_name: 'HGST H' });
    // newest window mean 25/6 > 3.6 ⇒ Good; oldest window mean 1 ⇒ Bad, and the oldest decides
    const r = predictRedHat(models, [hgst(20), hgst(1), hgst(1), hgst(1), hgst(1), hgst(1), hgst(1)]);
    expect(r.windows.map((w) => w.class)).toEqual([0, 2]);
    expect(r.verdict).toBe('Bad');
  });

  it('answers Unknown for missing attributes or model files, error for an infinite cv', () => {
    const models = oneSplitForest(0);
    const hgst = (a: number, b: number): CephDayDict => ({ ...day(a, b), model_name: 'HGST H' });
    const six = [hgst(1, 0), hgst(1, 0), hgst(1, 0), hgst(1, 0), hgst(1, 0), hgst(1, 0)];
    expect(predictRedHat(models, [...six.slice(1), { model_name: 'HGST H', user_capacity: 1 }]).missingAttributes).toEqual(['smart_1_raw', 'smart_5_raw']);
    const inf = predictRedHat(models, [hgst(1, 0), hgst(1, 0), hgst(1, 0), hgst(1, 0), hgst(1, 3), hgst(1, -3)]);
    expect(inf.verdict).toBe('error');
    expect(inf.reason).toBe('scaler_raised');
    models.vendors.get('hgst')!.forest = null;
    models.vendors.get('hgst')!.missingFiles = ['hgst_predictor.pkl'];
    const missing = predictRedHat(models, six);
    expect(missing).toMatchObject({ verdict: 'Unknown', reason: 'model_file_missing', missingFiles: ['hgst_predictor.pkl'] });
    const map = Object.fromEntries(six.map((d, i) => [`k${i}`, { ata_smart_attributes: { table: [1, 5].map((id) => ({ id, raw: { string: String(d[`smart_${id}_raw`]) } })) }, model_name: 'HGST H', user_capacity: { bytes: 1000 } }]));
    const out = formatCephPrediction(predictCephDump(models, map));
    expect(out).toMatchObject({ status: 'Unknown', cli: 'unknown', reasonCode: 'model_file_missing' });
    expect(out['reason']).toContain('model file missing');
  });
});
