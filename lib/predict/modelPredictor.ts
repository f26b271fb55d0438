/**
 * Our failure model as a Predictor: ATA hard drives are featurized (featurizeColumns, the same
 * function training used) and scored by the p14/p42 heads; the status follows the thresholds
 * stored in the model. Every other kind of device goes to the rule scorer, so nothing gets a
 * silent Unknown. A failed SMART overall-health self-assessment makes any drive Bad.
 */
import { columnsFromSamples } from '../features/columnsFromHistory.js';
import { FEATURE_COUNT, FEATURE_NAMES } from '../features/featurizeColumns.js';
import { featurizeColumns } from '../native/index.js'; // the addon when built, else the TypeScript function
import { loadModel } from '../models/modelFile.js';
import type { ModelDocument, ValidatedModel } from '../models/modelSchema.js';
import type { DeviceHistory } from '../smart/types.js';
import { deviceKind, type DeviceKind } from './deviceKind.js';
import { featureText } from './featureText.js';
import { noSamplesPrediction, predictionFor, unknownPrediction } from './predictionFor.js';
import { RulesPredictor } from './rulesPredictor.js';
import { scoreMatrix, scoreRow, type ScoringModel } from './scoringModel.js';
import type { BatchPredictor, DailyPrediction, HealthStatus, ModelRef, Prediction, PredictionReason } from './types.js';

/** The model was trained on another feature layout than this build computes. */
export class ModelFeatureMismatchError extends Error {
  override readonly name = 'ModelFeatureMismatchError';
}

export const MAX_REASONS = 5;

export class ModelPredictor implements BatchPredictor {
  readonly model: ModelRef;
  readonly document: ModelDocument;
  private readonly scoring: ScoringModel;
  private readonly rules = new RulesPredictor();
  /**
   * Feature matrix reused by predict (synchronous; nothing keeps a view of it): a fresh 21 kB ArrayBuffer per
   * request was most of the daemon's off-heap churn, and that churn is what starts V8's full collections.
   */
  private scratch: Float64Array | undefined;

  constructor(validated: ValidatedModel, source = 'model') {
    const doc = validated.document;
    const names = doc.features;
    if (names.length !== FEATURE_COUNT || names.some((n, i) => n !== FEATURE_NAMES[i]))
      throw new ModelFeatureMismatchError(`${source}: its ${names.length} features do not match this build's ${FEATURE_COUNT} (retrain it with this version)`);
    this.document = doc;
    this.model = { name: doc.name, version: doc.version };
    this.scoring = { p14: validated.p14, p42: validated.p42 };
  }

  static fromFile(path: string): ModelPredictor {
    return new ModelPredictor(loadModel(path), path);
  }

  private statusFor(p14: number, p42: number): HealthStatus {
    const t = this.document.thresholds;
    return p14 >= t.bad ? 'Bad' : p42 >= t.warning ? 'Warning' : 'Good';
  }

  predict(history: DeviceHistory): Prediction {
    if (ruleScored(deviceKind(history))) return this.rules.predict(history);
    if (history.samples.length === 0) return noSamplesPrediction(this.model, history);
    const cols = columnsFromSamples(history.samples);
    const n = cols.days.length;
    const last = n - 1;
    const lastSample = history.samples.reduce((a, b) => (b.time >= a.time ? b : a));
    if (cols.usableRows === 0) {
      if (lastSample.healthPassed === false) return this.rules.predict(history);
      return unknownPrediction(this.model, 'no usable ATA attribute (none of the model attributes reported a value)', history.samples.length);
    }
    const matrix = featurizeColumns(cols, n <= SCRATCH_ROWS ? (this.scratch ??= new Float64Array(SCRATCH_ROWS * FEATURE_COUNT)) : undefined);
    const row = matrix.subarray(last * FEATURE_COUNT, (last + 1) * FEATURE_COUNT);
    const p14 = scoreRow(this.scoring.p14, row);
    const p42 = scoreRow(this.scoring.p42, row);
    let status = this.statusFor(p14, p42);
    const reasons = this.explain(row);
    let note: string | undefined;
    if (lastSample.healthPassed === false) {
      status = 'Bad';
      reasons.unshift({ feature: 'smart_status', text: 'SMART overall health self-assessment failed', contribution: Infinity });
      note = 'SMART overall health failed: Bad regardless of the model score';
    }
    if (reasons[0]?.contribution === Infinity) reasons[0].contribution = Number.MAX_VALUE;
    return predictionFor(status, p14, p42, reasons, this.model, n, note);
  }

  predictEachDay(history: DeviceHistory): DailyPrediction[] {
    if (ruleScored(deviceKind(history))) return this.rules.predictEachDay(history);
    const cols = columnsFromSamples(history.samples);
    const n = cols.days.length;
    if (n === 0) return [];
    const { p14, p42 } = scoreMatrix(this.scoring, featurizeColumns(cols), n);
    // A day without any model attribute has no score (the features would all be carried-over NaN).
    const usable = usableDays(cols.raw, cols.norm, n);
    return Array.from({ length: n }, (_, i) =>
      usable[i] ? { time: cols.times[i]!, p14: p14[i]!, p42: p42[i]!, status: this.statusFor(p14[i]!, p42[i]!) } : { time: cols.times[i]!, p14: null, p42: null, status: 'Unknown' as HealthStatus },
    );
  }

  /** Top path contributions of the p14 head, strongest first (ties: lower feature index first). */
  private explain(row: Float64Array): PredictionReason[] {
    const c = this.scoring.p14.gbdt.contributions(row);
    // Partial selection of the MAX_REASONS largest |contribution|: cheaper than sorting 222 entries.
    const top: number[] = [];
    for (let i = 0; i < FEATURE_COUNT; i++) {
      const m = Math.abs(c[i]!);
      if (!(m > 1e-9)) continue;
      if (top.length === MAX_REASONS && m <= Math.abs(c[top[top.length - 1]!]!)) continue;
      let k = top.length < MAX_REASONS ? top.length : top.length - 1;
      while (k > 0 && Math.abs(c[top[k - 1]!]!) < m) k--;
      top.splice(k, 0, i);
      if (top.length > MAX_REASONS) top.pop();
    }
    return top.map((i) => {
      const value = row[i]!;
      const r: PredictionReason = { feature: FEATURE_NAMES[i]!, text: featureText(FEATURE_NAMES[i]!, value), contribution: c[i]! };
      if (Number.isFinite(value)) r.value = value;
      return r;
    });
  }
}

/** Histories up to this many days (Ceph keeps 180) use the scratch matrix: 455 kB kept per loaded model. */
const SCRATCH_ROWS = 256;

/** Kinds the model was not trained on (see the file comment). */
function ruleScored(kind: DeviceKind): boolean {
  return kind === 'nvme' || kind === 'scsi' || kind === 'ata-ssd';
}

function usableDays(raw: Float64Array[], norm: Float64Array[], n: number): Uint8Array {
  const u = new Uint8Array(n);
  for (let a = 0; a < raw.length; a++) {
    const r = raw[a]!;
    const m = norm[a]!;
    for (let i = 0; i < n; i++) if (r[i] === r[i] || m[i] === m[i]) u[i] = 1;
  }
  return u;
}
