/**
 * `npm run bench:native`: featurise 100k drive histories × 12 days and score them, native addon vs TypeScript in the
 * same run. Figures are medians of REPEATS timed runs after a warm-up, reported as ratios against the TypeScript
 * function (featurizeColumns per drive, the path training and scoring take without the addon).
 *
 * Env: BENCH_HISTORIES (default 100000), BENCH_DAYS (default 12).
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { FEATURE_ATTRIBUTES, FEATURE_COUNT, featurizeColumns, type FeatureColumns } from '../lib/features/featurizeColumns.js';
import { Calibration } from '../lib/models/calibration.js';
import { GbdtModel, type TreeArrays } from '../lib/models/gbdt/index.js';
import type { ScoringModel } from '../lib/predict/scoringModel.js';
import { defaultAddonPath, loadAddonFile, type NativeAddon } from '../lib/native/addon.js';
import { featurizeBatchTs, packFeatureBatch } from '../lib/native/featureBatch.js';
import { featurizeBatchVia, featurizeColumnsVia } from '../lib/native/featurize.js';
import { predictRawRowsVia } from '../lib/native/forestScores.js';

const REPEATS = 5;
/** Scoring 1.2M rows takes tens of seconds in TypeScript: fewer repeats, and a warm-up on a slice. */
const SCORE_REPEATS = 3;

/** Deterministic xorshift PRNG: the same fleet every run. */
function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
}

/**
 * A fleet shaped like Backblaze data: about half the attributes reported per drive, counters mostly flat with
 * occasional growth, power-on hours rising daily, temperatures in the 20s–40s, a missing day now and then.
 */
function makeFleet(histories: number, days: number): FeatureColumns[] {
  const random = prng(42);
  const fleet: FeatureColumns[] = [];
  for (let h = 0; h < histories; h++) {
    const dayNumbers = new Int32Array(days);
    let day = 19_000 + Math.floor(random() * 300);
    for (let i = 0; i < days; i++) {
      day += random() < 0.05 ? 2 : 1;
      dayNumbers[i] = day;
    }
    const raw: Float64Array[] = [];
    const norm: Float64Array[] = [];
    for (let a = 0; a < FEATURE_ATTRIBUTES.length; a++) {
      const r = new Float64Array(days).fill(NaN);
      const m = new Float64Array(days).fill(NaN);
      if (random() < 0.55) {
        const id = FEATURE_ATTRIBUTES[a]!;
        let value = id === 9 ? 10_000 + random() * 30_000 : id === 194 || id === 190 ? 25 + random() * 15 : random() < 0.9 ? 0 : Math.floor(random() * 50);
        for (let i = 0; i < days; i++) {
          if (random() < 0.03) continue;
          if (id === 9) value += 24;
          else if (id === 194 || id === 190) value = Math.round(value + (random() - 0.5) * 4);
          else if (random() < 0.05) value += Math.floor(random() * 8);
          r[i] = Math.round(value);
          m[i] = 100 - Math.min(99, Math.floor(value / 1000));
        }
      }
      raw.push(r);
      norm.push(m);
    }
    fleet.push({ days: dayNumbers, raw, norm, capacityBytes: random() < 0.5 ? 4e12 : 1.2e13, vendorCode: Math.floor(random() * 6) });
  }
  return fleet;
}

/**
 * Two forests the size of the default training parameters (200 rounds, depth 6), split on real feature values of
 * the fleet so rows take varied paths. Scoring cost depends on size and depth, not on how the trees were learnt.
 */
function syntheticScoringModel(sample: Float64Array, rows: number): ScoringModel {
  const random = prng(7);
  const forest = (): GbdtModel => {
    const trees: TreeArrays[] = [];
    const depth = 6;
    const nodes = 2 ** (depth + 1) - 1;
    for (let t = 0; t < 200; t++) {
      const tree: TreeArrays = {
        feature: new Int32Array(nodes).fill(-1),
        threshold: new Float64Array(nodes),
        left: new Int32Array(nodes).fill(-1),
        right: new Int32Array(nodes).fill(-1),
        defaultLeft: new Uint8Array(nodes),
        value: new Float64Array(nodes),
        cover: new Float64Array(nodes).fill(1),
      };
      for (let node = 0; node < nodes; node++) {
        tree.value[node] = (random() - 0.5) * 0.1;
        if (2 * node + 2 >= nodes) continue;
        const feature = Math.floor(random() * FEATURE_COUNT);
        tree.feature[node] = feature;
        tree.threshold[node] = sample[Math.floor(random() * rows) * FEATURE_COUNT + feature]!;
        if (tree.threshold[node] !== tree.threshold[node]) tree.threshold[node] = 0;
        tree.left[node] = 2 * node + 1;
        tree.right[node] = 2 * node + 2;
        tree.defaultLeft[node] = random() < 0.5 ? 1 : 0;
      }
      trees.push(tree);
    }
    return new GbdtModel(FEATURE_COUNT, -3, trees, 200);
  };
  return { p14: { gbdt: forest(), calibration: new Calibration(1, 0) }, p42: { gbdt: forest(), calibration: new Calibration(1, 0) } };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function time(run: () => void, repeats = REPEATS, warmUp: () => void = run): number {
  warmUp(); // JIT, page faults
  const samples: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const start = performance.now();
    run();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

function sameBits(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  const x = new BigUint64Array(a.buffer, a.byteOffset, a.length);
  const y = new BigUint64Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

export async function runBenchmark(): Promise<void> {
  const load = loadAddonFile(defaultAddonPath());
  if (!('addon' in load)) {
    console.log(`native addon not available (${load.error}); nothing to compare`);
    process.exitCode = 1;
    return;
  }
  const addon: NativeAddon = load.addon;
  const histories = Number(process.env['BENCH_HISTORIES'] ?? 100_000);
  const days = Number(process.env['BENCH_DAYS'] ?? 12);
  const fleet = makeFleet(histories, days);
  const rows = histories * days;
  const tsMatrix = new Float64Array(rows * FEATURE_COUNT);
  const nativeMatrix = new Float64Array(rows * FEATURE_COUNT);
  const perDrive = (featurize: (h: FeatureColumns, out: Float64Array) => void, matrix: Float64Array) => () => {
    for (let h = 0; h < fleet.length; h++) featurize(fleet[h]!, matrix.subarray(h * days * FEATURE_COUNT));
  };

  const tsMs = time(perDrive((h, out) => featurizeColumns(h, out), tsMatrix));
  const nativePerDriveMs = time(perDrive((h, out) => featurizeColumnsVia(addon, h, out), nativeMatrix));
  const perDriveIdentical = sameBits(nativeMatrix, tsMatrix);
  nativeMatrix.fill(0);
  let batch = packFeatureBatch(fleet);
  const packMs = time(() => {
    batch = packFeatureBatch(fleet);
  });
  const nativeBatchMs = time(() => featurizeBatchVia(addon, batch, nativeMatrix));
  const batchIdentical = sameBits(nativeMatrix, tsMatrix);
  const tsBatchMs = time(() => featurizeBatchTs(batch, tsMatrix));

  const model = syntheticScoringModel(tsMatrix, rows);
  const rawTs: { p14: Float64Array<ArrayBufferLike>; p42: Float64Array<ArrayBufferLike> } = { p14: new Float64Array(0), p42: new Float64Array(0) };
  const rawNative: typeof rawTs = { p14: new Float64Array(0), p42: new Float64Array(0) };
  const warmRows = Math.min(rows, 20_000);
  const scoreWith = (impl: NativeAddon | null, into: typeof rawTs, n: number) => () => {
    into.p14 = predictRawRowsVia(impl, model.p14.gbdt, tsMatrix, n);
    into.p42 = predictRawRowsVia(impl, model.p42.gbdt, tsMatrix, n);
  };
  const rawTsMs = time(scoreWith(null, rawTs, rows), SCORE_REPEATS, scoreWith(null, rawTs, warmRows));
  const rawNativeMs = time(scoreWith(addon, rawNative, rows), SCORE_REPEATS, scoreWith(addon, rawNative, warmRows));
  const scoresIdentical = sameBits(rawNative.p14, rawTs.p14) && sameBits(rawNative.p42, rawTs.p42);

  const fmt = (ms: number): string => `${ms.toFixed(1).padStart(8)} ms`;
  const ratio = (ms: number): string => `${(tsMs / ms).toFixed(2)}×`;
  console.log(`native addon ${load.addon.builder} (${load.path})`);
  console.log(`${histories} histories × ${days} days = ${rows} rows × ${FEATURE_COUNT} features; median of ${REPEATS} runs`);
  console.log(`featurise, TypeScript featurizeColumns per drive (baseline) ${fmt(tsMs)}  1.00×`);
  console.log(`featurise, TypeScript over a packed batch                   ${fmt(tsBatchMs)}  ${ratio(tsBatchMs)}`);
  console.log(`featurise, native per drive (one call per history)          ${fmt(nativePerDriveMs)}  ${ratio(nativePerDriveMs)}  identical=${perDriveIdentical}`);
  console.log(`featurise, native batch (one call)                          ${fmt(nativeBatchMs)}  ${ratio(nativeBatchMs)}  identical=${batchIdentical}`);
  console.log(`featurise, native batch + packing the batch                 ${fmt(packMs + nativeBatchMs)}  ${ratio(packMs + nativeBatchMs)}`);
  console.log(`score (2 forests × 200 trees, depth 6; median of ${SCORE_REPEATS}):`);
  console.log(`score, TypeScript GbdtModel.predictRaw per row (baseline)  ${fmt(rawTsMs)}  1.00×`);
  console.log(
    `score, native forestRawScores                               ${fmt(rawNativeMs)}  ` +
      `${(rawTsMs / rawNativeMs).toFixed(2)}×  identical=${scoresIdentical}`,
  );
  const tsTotal = tsMs + rawTsMs;
  const nativeTotal = Math.min(nativePerDriveMs, nativeBatchMs + packMs) + rawNativeMs;
  console.log(
    `featurise + raw scores: TypeScript ${fmt(tsTotal)}, native (featurise incl. any packing) ${fmt(nativeTotal)} ` +
      `(${(tsTotal / nativeTotal).toFixed(2)}×)`,
  );
  if (!perDriveIdentical || !batchIdentical || !scoresIdentical) {
    console.log('MISMATCH: native results differ from the TypeScript implementation');
    process.exitCode = 1;
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await runBenchmark();
