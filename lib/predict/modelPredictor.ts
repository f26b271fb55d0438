/**
 * Our failure model as a Predictor: ATA hard drives are featurized (featurizeColumns, the same
 * function training used) and scored by the p14/p42 heads; the status follows the thresholds
 * stored in the model. Every other kind of device goes to the rule scorer, so nothing gets a
 * silent Unknown. A failed SMART overall-health self-assessment makes any drive Bad.
 *
 * Familiarity: when the model file lists its training drive models, every prediction says how close the drive
 * is to them (lib/predict/familiarity.ts), whichever scorer answered (it describes the drive against this
 * model's training set, not the scorer), and a drive that is not a trained model gets the model's thresholds
 * for its familiarity when the file has them (`thresholds.byFamiliarity`). Without the list: no familiarity.
 * A drive of a model the file has thresholds of its own for (`thresholds.byDriveModel`, matched by part number
 * like familiarity) gets those.
 */
import { columnsFromSamples, type HistoryColumns } from '../features/columnsFromHistory.js';
import { FEATURE_ATTRIBUTES, FEATURE_COUNT, FEATURE_NAMES } from '../features/featurizeColumns.js';
import { featurizeColumns } from '../native/index.js'; // the addon when built, else the TypeScript function
import { loadModel } from '../models/modelFile.js';
import type { FamiliarityThresholds, ModelDocument, ValidatedModel } from '../models/modelSchema.js';
import type { DeviceHistory } from '../smart/types.js';
import { countNoun } from '../util/plural.js';
import { badSectorsOn, coldStartFloorApplies, COLD_START_DAYS, COLD_START_SECTORS } from './coldStartFloor.js';
import { deviceKind, type DeviceKind } from './deviceKind.js';
import { driveIdentityOf, familiarityOf, normalizeDriveModel, trainedDriveModels, type DriveIdentity, type Familiarity, type TrainedDriveModels } from './familiarity.js';
import { featureCoverage } from './featureCoverage.js';
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
  /** undefined: the model file does not say which drive models it was fitted on */
  private readonly trained: TrainedDriveModels | undefined;
  /** `thresholds.byDriveModel` by normalized part number, with the model string the file uses */
  private readonly byDriveModel: ReadonlyMap<string, { model: string; thresholds: FamiliarityThresholds }>;
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
    this.trained = doc.training.driveModels ? trainedDriveModels(doc.training.driveModels) : undefined;
    this.byDriveModel = new Map(Object.entries(doc.thresholds.byDriveModel ?? {}).map(([model, thresholds]) => [normalizeDriveModel(model), { model, thresholds }]));
  }

  static fromFile(path: string): ModelPredictor {
    return new ModelPredictor(loadModel(path), path);
  }

  // ---- familiarity (see the file comment) ----
  /**
   * The cut-offs for a drive: its drive model's own if the file has them, else its familiarity's if the file has
   * them, else the global ones; `scope` says which (empty for the global ones).
   */
  thresholdsFor(identity: DriveIdentity, familiarity: Familiarity | undefined): { thresholds: FamiliarityThresholds; scope: string } {
    const own = identity.model?.trim() ? this.byDriveModel.get(normalizeDriveModel(identity.model)) : undefined;
    if (own) return { thresholds: own.thresholds, scope: ` (the model's thresholds for ${own.model})` };
    const t = this.document.thresholds;
    const byClass = familiarity !== undefined && familiarity !== 'model' ? t.byFamiliarity?.[familiarity] : undefined;
    return byClass ? { thresholds: byClass, scope: ` (the model's thresholds for ${familiarity} familiarity)` } : { thresholds: t, scope: '' };
  }

  /** The drive's familiarity (undefined: the file does not list its training drive models) and its cut-offs. */
  private judgedBy(history: DeviceHistory): { familiarity: Familiarity | undefined; thresholds: FamiliarityThresholds; scope: string } {
    const identity = driveIdentityOf(history);
    const familiarity = this.trained && familiarityOf(identity, this.trained);
    return { familiarity, ...this.thresholdsFor(identity, familiarity) };
  }

  predict(history: DeviceHistory): Prediction {
    const judged = this.judgedBy(history);
    const p = this.scoreHistory(history, judged);
    if (judged.familiarity !== undefined) p.familiarity = judged.familiarity;
    return p;
  }
  // ---- end familiarity ----

  private statusFor(p14: number, p42: number, t: FamiliarityThresholds): HealthStatus {
    return p14 >= t.bad ? 'Bad' : p42 >= t.warning ? 'Warning' : 'Good';
  }

  /** statusFor plus the cold-start floor (coldStartFloor.ts), as predict applies them. */
  private dayStatus(p14: number, p42: number, t: FamiliarityThresholds, cols: HistoryColumns, i: number): HealthStatus {
    const s = this.statusFor(p14, p42, t);
    return s === 'Good' && coldStartFloorApplies(cols, i) ? 'Warning' : s;
  }

  private scoreHistory(history: DeviceHistory, { thresholds: t, scope }: { thresholds: FamiliarityThresholds; scope: string }): Prediction {
    if (ruleScored(deviceKind(history))) return this.rules.predict(history);
    if (history.samples.length === 0) return noSamplesPrediction(this.model, history);
    const cols = columnsFromSamples(history.samples);
    const n = cols.days.length;
    const last = n - 1;
    const lastSample = history.samples.reduce((a, b) => (b.time >= a.time ? b : a));
    if (cols.usableRows === 0) {
      if (lastSample.healthPassed === false) return this.rules.predict(history);
      return unknownPrediction(this.model, NO_ATTRIBUTE_REASON, history.samples.length);
    }
    const matrix = featurizeColumns(cols, n <= SCRATCH_ROWS ? (this.scratch ??= new Float64Array(SCRATCH_ROWS * FEATURE_COUNT)) : undefined);
    const row = matrix.subarray(last * FEATURE_COUNT, (last + 1) * FEATURE_COUNT);
    const p14 = scoreRow(this.scoring.p14, row);
    const p42 = scoreRow(this.scoring.p42, row);
    // A failed overall-health self-assessment overrides the score; the reasons then explain p14.
    const healthFailed = lastSample.healthPassed === false;
    const scored = healthFailed ? 'Bad' : this.statusFor(p14, p42, t);
    const floor = scored === 'Good' && coldStartFloorApplies(cols, last);
    const status = floor ? 'Warning' : scored;
    const reasons = this.explain(status, row, cols, last);
    let note = healthFailed
      ? `SMART overall health failed: Bad regardless of the model score (p14 ${p14.toFixed(4)}, p42 ${p42.toFixed(4)}); further reasons: the features that raised p14 most`
      : this.thresholdNote(scored, p14, p42, reasons.length, t, scope);
    if (healthFailed) reasons.unshift({ feature: 'smart_status', text: 'SMART overall health self-assessment failed', contribution: Number.MAX_VALUE });
    if (floor) {
      const sectors = badSectorsOn(cols, last);
      const span = cols.days[last]! - cols.days[0]!;
      note = `first days: ${sectors} reallocated, pending and offline-uncorrectable sectors on a drive seen for ${countNoun(span + 1, 'days')} make it Warning at least (the model alone said Good: p14 ${p14.toFixed(4)} < ${t.bad.toFixed(4)}, p42 ${p42.toFixed(4)} < ${t.warning.toFixed(4)}); further reasons: the features that raised p42 most`;
      reasons.unshift({
        feature: 'cold_start_bad_sectors',
        text: `${sectors} reallocated, pending and offline-uncorrectable sectors (5/197/198) on a drive seen for ${countNoun(span + 1, 'days')}: watch it until its history shows whether they grow`,
        contribution: 1,
        value: sectors,
        rule: `first ${COLD_START_DAYS} days: Σ raw 5/197/198 ≥ ${COLD_START_SECTORS} → Warning`,
      });
    }
    return predictionFor(status, p14, p42, reasons, this.model, n, note);
  }

  predictEachDay(history: DeviceHistory): DailyPrediction[] {
    if (ruleScored(deviceKind(history))) return this.rules.predictEachDay(history);
    const cols = columnsFromSamples(history.samples);
    const n = cols.days.length;
    if (n === 0) return [];
    const { p14, p42 } = scoreMatrix(this.scoring, featurizeColumns(cols), n);
    const t = this.judgedBy(history).thresholds;
    // A day without any model attribute has no score (the features would all be carried-over NaN).
    const usable = usableDays(cols.raw, cols.norm, n);
    return Array.from({ length: n }, (_, i) =>
      usable[i] ? { time: cols.times[i]!, p14: p14[i]!, p42: p42[i]!, status: this.dayStatus(p14[i]!, p42[i]!, t, cols, i) } : { time: cols.times[i]!, p14: null, p42: null, status: 'Unknown' as HealthStatus, reason: NO_ATTRIBUTE_REASON },
    );
  }

  /** Which threshold set the status, and what the reasons are. */
  private thresholdNote(status: HealthStatus, p14: number, p42: number, reasons: number, t: FamiliarityThresholds, scope: string): string {
    const listed = reasons === 0 ? 'no feature moved it much' : 'reasons: the features that';
    if (status === 'Bad') return `p14 ${p14.toFixed(4)} ≥ Bad threshold ${t.bad.toFixed(4)}${scope}; ${listed}${reasons ? ' raised p14 most' : ''}`;
    if (status === 'Warning') return `p42 ${p42.toFixed(4)} ≥ Warning threshold ${t.warning.toFixed(4)} (p14 ${p14.toFixed(4)} < ${t.bad.toFixed(4)})${scope}; ${listed}${reasons ? ' raised p42 most' : ''}`;
    return `p14 ${p14.toFixed(4)} < Bad threshold ${t.bad.toFixed(4)} and p42 ${p42.toFixed(4)} < Warning threshold ${t.warning.toFixed(4)}${scope}; ${listed}${reasons ? ' lowered p42 most' : ''}`;
  }

  /**
   * The path contributions that explain the status, strongest first (ties: lower feature index first):
   * those that RAISED the risk of the head that set it (p14 for Bad, p42 for Warning), and for Good those
   * that lowered p42 (the head whose threshold was not reached). A contribution pushing the other way
   * never explains a verdict.
   */
  private explain(status: HealthStatus, row: Float64Array, cols: HistoryColumns, last: number): PredictionReason[] {
    const head = status === 'Bad' ? this.scoring.p14 : this.scoring.p42;
    const days = status === 'Bad' ? 14 : 42;
    const sign = status === 'Good' ? -1 : 1;
    const c = head.gbdt.contributions(row);
    // Partial selection of the MAX_REASONS largest signed contributions: cheaper than sorting 222 entries.
    const top: number[] = [];
    for (let i = 0; i < FEATURE_COUNT; i++) {
      const m = sign * c[i]!;
      if (!(m > 1e-9)) continue;
      if (top.length === MAX_REASONS && m <= sign * c[top[top.length - 1]!]!) continue;
      let k = top.length < MAX_REASONS ? top.length : top.length - 1;
      while (k > 0 && sign * c[top[k - 1]!]! < m) k--;
      top.splice(k, 0, i);
      if (top.length > MAX_REASONS) top.pop();
    }
    const direction = `${sign > 0 ? 'raises' : 'lowers'} the ${days}-day risk`;
    return top.map((i) => {
      const name = FEATURE_NAMES[i]!;
      const value = row[i]!;
      const text = `${featureText(name, value, featureCoverage(cols, name, last))} (${direction})`;
      const r: PredictionReason = { feature: name, text, contribution: c[i]! };
      if (Number.isFinite(value)) r.value = value;
      return r;
    });
  }
}

const NO_ATTRIBUTE_REASON = `no usable ATA attribute (none of the model's ${FEATURE_ATTRIBUTES.length} attributes reported a value)`;

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
