/**
 * Learner and predictor speed on a synthetic SMART-like matrix (mostly-zero counters, continuous
 * columns, missing values, ~1:1000 positives).
 *
 *   npx tsx bench/gbdt.bench.ts [--rows 1500000] [--features 100] [--rounds 200] [--depth 6] [--row-subsample 1]
 *
 * Baseline measured in the same run: a naive exact-greedy learner (sorts every feature at every
 * node, no binning) on a small subset, reported as rows·rounds/s like the histogram learner.
 */
import { performance } from 'node:perf_hooks';
import { trainGbdt, type GbdtDataset, type GbdtParams } from '../lib/models/index.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

function smartLike(nRows: number, nFeatures: number, seed: number): GbdtDataset {
  const rnd = lcg(seed);
  const x = new Float32Array(nRows * nFeatures);
  const y = new Uint8Array(nRows);
  for (let r = 0; r < nRows; r++) {
    const o = r * nFeatures;
    for (let f = 0; f < nFeatures; f++) {
      const u = rnd();
      if (u < 0.05) x[o + f] = NaN;
      else if (f % 2 === 0) x[o + f] = u < 0.9 ? 0 : Math.floor(-Math.log(rnd()) * 50); // error counters
      else x[o + f] = rnd() * 100; // temperatures, hours, normalized values
    }
    const risk = (x[o]! > 0 ? 2 : 0) + (x[o + 2]! > 50 ? 2 : 0) + (x[o + 3]! > 95 ? 1 : 0);
    y[r] = rnd() < 0.0003 * Math.exp(risk) ? 1 : 0;
  }
  return { x, nRows, nFeatures, y };
}

/** Exact greedy boosting without binning: the textbook algorithm, as the speed baseline. */
function naiveExactRounds(d: GbdtDataset, rounds: number, depth: number, lr: number, l2: number): void {
  const { x, nRows, nFeatures, y } = d;
  const score = new Float64Array(nRows);
  const g = new Float64Array(nRows);
  const h = new Float64Array(nRows);
  const grow = (rows: number[], level: number): void => {
    let G = 0;
    let H = 0;
    for (const r of rows) {
      G += g[r]!;
      H += h[r]!;
    }
    let best = { gain: 1e-10, f: -1, t: 0 };
    if (level < depth) {
      for (let f = 0; f < nFeatures; f++) {
        const present = rows.filter((r) => x[r * nFeatures + f] === x[r * nFeatures + f]).sort((a, b) => x[a * nFeatures + f]! - x[b * nFeatures + f]!);
        let gl = 0;
        let hl = 0;
        for (let i = 0; i + 1 < present.length; i++) {
          gl += g[present[i]!]!;
          hl += h[present[i]!]!;
          const v = x[present[i]! * nFeatures + f]!;
          if (v === x[present[i + 1]! * nFeatures + f]) continue;
          const gain = (gl * gl) / (hl + l2) + ((G - gl) * (G - gl)) / (H - hl + l2) - (G * G) / (H + l2);
          if (gain > best.gain) best = { gain, f, t: v };
        }
      }
    }
    if (best.f < 0) {
      for (const r of rows) score[r] += (-G / (H + l2)) * lr;
      return;
    }
    const goLeft = (r: number): boolean => x[r * nFeatures + best.f]! <= best.t;
    grow(rows.filter(goLeft), level + 1);
    grow(rows.filter((r) => !goLeft(r)), level + 1);
  };
  for (let round = 0; round < rounds; round++) {
    for (let r = 0; r < nRows; r++) {
      const p = 1 / (1 + Math.exp(-score[r]!));
      g[r] = p - y[r]!;
      h[r] = Math.max(p * (1 - p), 1e-16);
    }
    grow(Array.from({ length: nRows }, (_, i) => i), 0);
  }
}

const rows = arg('rows', 1_500_000);
const features = arg('features', 100);
const rounds = arg('rounds', 200);
const depth = arg('depth', 6);
const params: GbdtParams = {
  seed: 1,
  learningRate: 0.1,
  maxDepth: depth,
  minChildWeight: 1,
  nRounds: rounds,
  earlyStoppingRounds: 0,
  maxBins: 255,
  l2: 1,
  positiveWeight: 20,
  rowSubsample: arg('row-subsample', 1),
};

/** CPU time of this process in ms: the machine is shared, so wall time would measure the neighbours. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

let t = cpuMs();
const data = smartLike(rows, features, 42);
console.log(`data: ${rows} rows × ${features} features, ${data.y.reduce((a, b) => a + b, 0)} positives (generated in ${((cpuMs() - t) / 1000).toFixed(1)} s CPU)`);

const wall = performance.now();
t = cpuMs();
let firstRoundMs = 0;
const model = trainGbdt(data, undefined, params, (round) => {
  if (round === 0) firstRoundMs = cpuMs() - t;
  if ((round + 1) % 25 === 0) process.stderr.write(`  round ${round + 1}/${rounds}: ${((cpuMs() - t) / 1000).toFixed(1)} s CPU\n`);
});
const trainMs = cpuMs() - t;
const histRate = (rows * rounds) / (trainMs / 1000);
console.log(
  `histogram learner: ${rounds} rounds depth ${depth}, row subsample ${params.rowSubsample} in ${(trainMs / 1000).toFixed(1)} s CPU (${((performance.now() - wall) / 1000).toFixed(1)} s wall; ` +
    `binning + first round ${(firstRoundMs / 1000).toFixed(1)} s, then ${((trainMs - firstRoundMs) / Math.max(1, rounds - 1)).toFixed(0)} ms/round) ` +
    `= ${(histRate / 1e6).toFixed(2)} M rows·rounds/s`,
);

const baseRows = Math.min(rows, arg('baseline-rows', 20_000));
const baseRounds = 3;
const subset: GbdtDataset = { x: data.x.subarray(0, baseRows * features), nRows: baseRows, nFeatures: features, y: data.y.subarray(0, baseRows) };
t = cpuMs();
naiveExactRounds(subset, baseRounds, depth, 0.1, 1);
const naiveRate = (baseRows * baseRounds) / ((cpuMs() - t) / 1000);
console.log(`baseline naive exact greedy: ${baseRows} rows × ${baseRounds} rounds = ${(naiveRate / 1e6).toFixed(3)} M rows·rounds/s`);
console.log(`speed-up over baseline: ${(histRate / naiveRate).toFixed(1)}×`);

// Prediction: one row through a head, raw score and with explanation.
const probe = data.x.subarray(0, features * 1000);
let sink = 0;
const reps = 50_000;
const perRowUs = (fn: (offset: number) => number): number => {
  for (let i = 0; i < 5000; i++) sink += fn((i % 1000) * features);
  const t0 = cpuMs();
  for (let i = 0; i < reps; i++) sink += fn((i % 1000) * features);
  return ((cpuMs() - t0) * 1000) / reps;
};
const predictUs = perRowUs((o) => model.predictRaw(probe, o));
const contribUs = perRowUs((o) => model.contributions(probe, o)[features]!);
console.log(
  `predict: ${model.trees.length} trees, ${predictUs.toFixed(2)} µs/row raw score, ${contribUs.toFixed(2)} µs/row contributions; ` +
    `p14 explained + p42 raw ≈ ${(contribUs + predictUs).toFixed(1)} µs (budget 50 µs for the whole prediction) [checksum ${sink.toFixed(3)}]`,
);
