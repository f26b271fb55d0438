/**
 * Training and prediction speed (`npm run bench:train`; not a test).
 * 1. Full training on the default recipe's files, as `train --default` does it, against a
 *    baseline measured in the same run: loading + featurizing the same data.
 * 2. One prediction of a 12-day ATA history in-process with the shipped model (featurize + both
 *    heads + explanation), against featurizing the same history alone. Measured first, before the
 *    training run fills the heap.
 * Also checks that the retrained model is byte-identical to the shipped models/default/model.json.
 * Needs ../shared/data/backblaze (or DISKPREDICT_SHARED).
 */
import { defaultRecipePath, recipeFiles, recipeLeftOutRuns } from '../lib/cli/trainCommand.js';
import { columnsFromBackblazeDrive } from '../lib/features/columnsFromBackblaze.js';
import { columnsFromSamples } from '../lib/features/columnsFromHistory.js';
import { FEATURE_ATTRIBUTES, featurizeColumns } from '../lib/features/featurizeColumns.js';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { serializeModelDocument } from '../lib/models/modelFile.js';
import { defaultModelPath } from '../lib/predict/registry.js';
import { ModelPredictor } from '../lib/predict/modelPredictor.js';
import { loadBackblazeDrives } from '../lib/smart/backblazeColumns.js';
import type { DeviceHistory, SmartSample } from '../lib/smart/types.js';
import { trainModel } from '../lib/train/trainModel.js';

const { recipe, roles } = recipeFiles(defaultRecipePath());
const files = [...roles.keys()];
const leftOutRuns = recipeLeftOutRuns(defaultRecipePath(), recipe);
const seconds = (t: bigint) => Number(process.hrtime.bigint() - t) / 1e9;

function perCall(fn: () => void, minMs = 1500): number {
  for (let i = 0; i < 2000; i++) fn();
  let n = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < minMs * 1e6) {
    for (let i = 0; i < 100; i++) fn();
    n += 100;
    elapsed = Number(process.hrtime.bigint() - start);
  }
  return elapsed / n / 1000; // µs
}

// --- prediction: the last 12 days of the first failed drive with ≥ 12 days in the smallest file
const shipped = defaultModelPath();
if (existsSync(shipped)) {
  const small = files.reduce((a, b) => (statSync(a).size <= statSync(b).size ? a : b));
  const { drives } = await loadBackblazeDrives([small], FEATURE_ATTRIBUTES);
  const drive = drives.find((d) => d.days.length >= 12) ?? drives[0]!;
  const samples: SmartSample[] = [];
  for (let i = Math.max(0, drive.days.length - 12); i < drive.days.length; i++) {
    const ata: NonNullable<SmartSample['ata']> = new Map();
    FEATURE_ATTRIBUTES.forEach((id, a) => {
      const v = drive.raw[a]?.[i];
      if (v !== undefined && v === v) ata.set(id, { id, raw: v });
    });
    samples.push({ device: { vendor: drive.vendor, protocol: 'ata', model: drive.model, serial: drive.serial }, time: drive.days[i]! * 86_400_000, ata });
  }
  const history: DeviceHistory = { samples, errors: [] };
  const predictor = ModelPredictor.fromFile(shipped);
  let sink = 0;
  const featurizeUs = perCall(() => {
    sink += featurizeColumns(columnsFromSamples(samples))[0]!;
  });
  const predictUs = perCall(() => {
    sink += predictor.predict(history).p14 ?? 0;
  });
  console.log(`featurize one ${samples.length}-day history (baseline): ${featurizeUs.toFixed(1)} µs`);
  console.log(`predict one ${samples.length}-day history:              ${predictUs.toFixed(1)} µs = ${(predictUs / featurizeUs).toFixed(1)} × baseline (target < 50 µs)${sink === 0.123 ? '' : ''}`);
} else console.log(`prediction timing skipped: ${shipped} not found (run npm run train:default)`);

// --- training
let t = process.hrtime.bigint();
const load = await loadBackblazeDrives(files, FEATURE_ATTRIBUTES);
let rows = 0;
for (const d of load.drives) {
  featurizeColumns(columnsFromBackblazeDrive(d));
  rows += d.days.length;
}
const baseline = seconds(t);

t = process.hrtime.bigint();
const result = await trainModel({
  files,
  roles,
  recipe: 'models/default/recipe.json',
  seed: recipe.seed,
  name: recipe.name,
  ...(recipe.version !== undefined ? { version: recipe.version } : {}),
  ...(leftOutRuns ? { leftOutRuns } : {}),
});
const training = seconds(t);
console.log(`data: ${files.length} files, ${load.drives.length} drives, ${rows} drive-days`);
console.log(`baseline (load + featurize all rows): ${baseline.toFixed(1)} s`);
console.log(`full training (train --default):      ${training.toFixed(1)} s = ${(training / baseline).toFixed(1)} × baseline (target < 300 s)`);
if (existsSync(shipped)) {
  const same = readFileSync(shipped, 'utf8') === serializeModelDocument(result.document);
  console.log(`retrained model byte-identical to ${shipped}: ${same ? 'yes' : 'NO'}`);
}
