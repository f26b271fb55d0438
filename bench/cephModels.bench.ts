/**
 * Ceph's model sets without Python: load time and memory of the full ProphetStor set (75 SVMs,
 * ≈ 278k support vectors) from Ceph's pickles and from the converted format, and predict time per
 * device over the golden cases (DPL step included). Targets: converted load < 300 ms, predict < 5 ms.
 *
 *   npx tsx bench/cephModels.bench.ts [--reps 5]
 *
 * Baselines measured in the same run: loading the pickles (for the converted load), and a plain
 * per-row SVM evaluation without the repeated-row sharing (for predict). Needs ../shared/data.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { dplDayDicts, importCephModels, loadCephModels, type DplInput, type ProphetStorModels } from '../lib/models/ceph/index.js';
import { predictCephDays } from '../lib/predict/ceph/index.js';
import { prophetStorAttributes, prophetStorDiffs } from '../lib/models/ceph/prophetstor.js';
import { supportVectorRow } from '../lib/models/ceph/svcIndex.js';
import { parseJsonExact } from '../lib/util/json.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const data = process.env['DISKPREDICT_SHARED'] ? join(process.env['DISKPREDICT_SHARED'], 'data') : resolve(root, '..', 'shared', 'data');
const cephDir = join(data, 'ceph-models');
const goldenDir = join(data, 'golden');
const repsArg = process.argv.indexOf('--reps');
const REPS = repsArg >= 0 ? Number(process.argv[repsArg + 1]) : 5;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}

function retainedMb(): number {
  gc();
  const m = process.memoryUsage();
  return (m.heapUsed + m.arrayBuffers) / 1e6;
}

// holds the models being measured, so the collector cannot free them before the measurement
const held: unknown[] = [];

/** median load time (ms) and memory kept by the loaded models (MB) */
function measureLoad(load: () => unknown): { ms: number; mb: number } {
  const times: number[] = [];
  let mb = 0;
  for (let i = 0; i < REPS; i++) {
    held.length = 0;
    const before = retainedMb();
    const t = performance.now();
    held.push(load());
    times.push(performance.now() - t);
    // the first load: later ones overlap with the collector freeing the previous copy
    if (i === 0) mb = retainedMb() - before;
  }
  held.length = 0;
  return { ms: median(times), mb };
}

/** The plain way: every diff row of every selected model through the SVM on its own. */
function naiveProphetStorVotes(models: ProphetStorModels, dpl: DplInput): number {
  const attrs = prophetStorAttributes(dpl.dayDicts);
  const present = new Set(attrs);
  const scores = models.config.map((m) => m.attributes.filter((a) => present.has(a)).length);
  const max = Math.max(...scores);
  if (max < 3) return 0;
  const diffs = prophetStorDiffs(dpl.dayDicts, attrs);
  let votes = 0;
  models.config.forEach((m, i) => {
    if (scores[i]! <= max - 2) return;
    const svm = models.svms.get(m.file)!;
    let vote = 0;
    for (const row of diffs) {
      const x = m.attributes.map((a) => Number(row.get(a) ?? 0n));
      let sum = 0;
      for (let j = 0; j < svm.nSupport; j++) {
        let dist = 0;
        for (let k = 0; k < svm.nFeatures; k++) {
          const d = x[k]! - svm.supportVectors[supportVectorRow(svm, j) * svm.nFeatures + k]!;
          dist += d * d;
        }
        sum += svm.dualCoef[j]! * Math.exp(-svm.gamma * dist);
      }
      if (sum + svm.intercept <= 0) vote = 1;
    }
    votes += vote;
  });
  return votes;
}

function main(): void {
  if (!existsSync(join(cephDir, 'prophetstor', 'config.json'))) {
    process.stdout.write(`cephModels bench skipped: ${cephDir} not found (needs the shared data beside the project)\n`);
    return;
  }
  process.stdout.write(`cephModels bench — node ${process.version}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}, ${REPS} reps\n`);
  const out = mkdtempSync(join(tmpdir(), 'diskpredict-ceph-bench-'));
  try {
    let t = performance.now();
    importCephModels(cephDir, out);
    process.stdout.write(`import-ceph-models (both kinds, once): ${(performance.now() - t).toFixed(0)} ms\n`);

    const pickles = measureLoad(() => loadCephModels('prophetstor', cephDir));
    const converted = measureLoad(() => loadCephModels('prophetstor', out));
    const ps = loadCephModels('prophetstor', out).models as ProphetStorModels;
    const nSv = [...ps.svms.values()].reduce((a, m) => a + m.nSupport, 0);
    process.stdout.write(`\nProphetStor set: ${ps.svms.size} SVMs, ${nSv} support vectors\n`);
    process.stdout.write(`  load from pickles   (baseline): ${pickles.ms.toFixed(1)} ms, ${pickles.mb.toFixed(1)} MB retained\n`);
    process.stdout.write(
      `  load from converted            : ${converted.ms.toFixed(1)} ms (${(pickles.ms / converted.ms).toFixed(1)}× faster), ${converted.mb.toFixed(1)} MB retained` +
        `  [target < 300 ms: ${converted.ms < 300 ? 'met' : 'NOT met'}]\n`,
    );
    const rhLoad = measureLoad(() => loadCephModels('redhat', out));
    const rhPickles = measureLoad(() => loadCephModels('redhat', cephDir));
    process.stdout.write(`Red Hat set: load from pickles ${rhPickles.ms.toFixed(1)} ms, converted ${rhLoad.ms.toFixed(1)} ms, ${rhLoad.mb.toFixed(1)} MB\n`);

    const rh = loadCephModels('redhat', out).models;
    const cases = readdirSync(join(goldenDir, 'cases')).map((f) => parseJsonExact(readFileSync(join(goldenDir, 'cases', f), 'utf8')));
    const dpls = cases.map((c) => dplDayDicts(c));
    // warm-up, then timed passes; DPL extraction timed separately
    for (const d of dpls) predictCephDays(ps, d);
    t = performance.now();
    for (let r = 0; r < REPS; r++) for (const c of cases) dplDayDicts(c);
    const dplMs = (performance.now() - t) / (REPS * cases.length);
    const psTimes: number[] = [];
    const rhTimes: number[] = [];
    for (let r = 0; r < REPS; r++) {
      for (const d of dpls) {
        let s = performance.now();
        predictCephDays(ps, d);
        psTimes.push(performance.now() - s);
        s = performance.now();
        predictCephDays(rh, d);
        rhTimes.push(performance.now() - s);
      }
    }
    t = performance.now();
    for (const d of dpls) if (d.reason === null) naiveProphetStorVotes(ps, d);
    const naiveMs = (performance.now() - t) / dpls.length;
    const psMean = psTimes.reduce((a, b) => a + b, 0) / psTimes.length;
    const rhMean = rhTimes.reduce((a, b) => a + b, 0) / rhTimes.length;
    process.stdout.write(`\nPredict per device (${cases.length} golden devices × ${REPS}; DPL day dicts ${dplMs.toFixed(3)} ms per device on top):\n`);
    process.stdout.write(`  ProphetStor naive per-row SVM (baseline): ${naiveMs.toFixed(2)} ms\n`);
    process.stdout.write(
      `  ProphetStor: mean ${psMean.toFixed(2)} ms, p50 ${quantile(psTimes, 0.5).toFixed(2)}, p99 ${quantile(psTimes, 0.99).toFixed(2)} ms` +
        ` (${(naiveMs / psMean).toFixed(1)}× the baseline)  [target < 5 ms: ${psMean + dplMs < 5 ? 'met' : 'NOT met'}]\n`,
    );
    process.stdout.write(`  Red Hat:     mean ${rhMean.toFixed(3)} ms, p99 ${quantile(rhTimes, 0.99).toFixed(3)} ms\n`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

main();
