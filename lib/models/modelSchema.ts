/**
 * The model file, schema version 1: its TypeScript shape and the validator that turns untrusted
 * parsed JSON into it (or throws ModelFormatError naming the field). Trees and calibrations are
 * instantiated while validating, so a document that passes can always be scored safely.
 */
import { calibrationFromJson, type Calibration, type CalibrationJson } from './calibration.js';
import { array, describe, finite, integer, isRecord, ModelFormatError, string, type Json } from './gbdt/formatError.js';
import type { GbdtModel } from './gbdt/model.js';
import { gbdtModelFromJson } from './gbdt/serialization.js';
import type { GbdtModelJson, GbdtParams } from './gbdt/types.js';

export const MODEL_SCHEMA = 'diskpredict-model';
export const MODEL_SCHEMA_VERSION = 1;

export interface ModelHeadJson {
  trees: GbdtModelJson;
  calibration: CalibrationJson;
}

export interface TrainingFile {
  name: string;
  /** lower-case hex */
  sha256: string;
  rows: number;
  /** the file's role in training (lib/train/recipe.ts); 'evaluation' = measured on, never trained on */
  role?: 'population' | 'snapshots' | 'failed-histories' | 'evaluation';
}

export interface ModelDocument {
  schema: typeof MODEL_SCHEMA;
  schemaVersion: typeof MODEL_SCHEMA_VERSION;
  name: string;
  /** semver */
  version: string;
  /** ISO 8601 timestamp, supplied by the caller (never the clock, so builds are reproducible) */
  created: string;
  /** model input columns, in the order the trees index them */
  features: string[];
  /** p14: failure within 14 days; p42: within 42 days */
  heads: { p14: ModelHeadJson; p42: ModelHeadJson };
  /** probability cut-offs: >= bad → Bad, >= warning → Warning */
  thresholds: {
    bad: number;
    warning: number;
    falseAlarmBudget: number;
    /** cut-offs for drives whose exact model was not in training (lib/predict/familiarity.ts); absent: the global ones */
    byFamiliarity?: Partial<Record<ThresholdFamiliarity, FamiliarityThresholds>>;
    /**
     * cut-offs of their own for trained drive models, by the model string as `training.driveModels` spells it
     * (lib/train/driveModelThresholds.ts); a drive of another model uses the ones above
     */
    byDriveModel?: Record<string, FamiliarityThresholds>;
  };
  training: {
    files: TrainingFile[];
    drives: number;
    failures: number;
    /** first and last sample dates, ISO */
    dateRange: [string, string];
    seed: number;
    params: GbdtParams;
    /** the recipe the files came from (e.g. "models/default/recipe.json") */
    recipe?: string;
    /** drive models left out of training (leave-one-model-out runs) */
    excludedModels?: string[];
    /** Backblaze `model` strings of the drives fitted on (familiarity); absent in older files */
    driveModels?: string[];
  };
  validation: Record<string, unknown>;
  /** sha256 (lower-case hex) of the canonical serialization of every other field */
  checksum: string;
}

/** Familiarities that can have thresholds of their own ('model' always uses the global ones). */
export type ThresholdFamiliarity = 'family' | 'vendor' | 'none';
export const THRESHOLD_FAMILIARITIES: readonly ThresholdFamiliarity[] = ['family', 'vendor', 'none'];

export interface FamiliarityThresholds {
  bad: number;
  warning: number;
}

/** Bounds one file's list: Backblaze has a few hundred models. */
export const MAX_DRIVE_MODELS = 10_000;

export type ModelDocumentBody = Omit<ModelDocument, 'checksum'>;

export interface ModelHead {
  gbdt: GbdtModel;
  calibration: Calibration;
}

export interface ValidatedModel {
  document: ModelDocument;
  p14: ModelHead;
  p42: ModelHead;
}

/** schemaVersion is newer than this build reads. */
export class ModelVersionError extends Error {
  override readonly name = 'ModelVersionError';
  constructor(readonly found: number) {
    super(`model schema version ${found} is newer than this diskpredict supports (${MODEL_SCHEMA_VERSION})`);
  }
}

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:T[0-9:.]+(?:Z|[+-]\d{2}:\d{2}))?$/;
const SHA256 = /^[0-9a-f]{64}$/;
const TOP_LEVEL_KEYS = ['schema', 'schemaVersion', 'name', 'version', 'created', 'features', 'heads', 'thresholds', 'training', 'validation', 'checksum'];
const FILE_ROLES: readonly string[] = ['population', 'snapshots', 'failed-histories', 'evaluation'];
const REQUIRED_PARAMS = ['seed', 'learningRate', 'maxDepth', 'minChildWeight', 'nRounds', 'earlyStoppingRounds', 'maxBins', 'l2'];

function object(v: Json, field: string, keys?: readonly string[]): Record<string, Json> {
  if (!isRecord(v)) throw new ModelFormatError(field, `expected an object, got ${describe(v)}`);
  if (keys) {
    const unknown = Object.keys(v).filter((k) => !keys.includes(k));
    if (unknown.length) throw new ModelFormatError(`${field}/${unknown[0]}`, `unknown field (schema version ${MODEL_SCHEMA_VERSION} has: ${keys.join(', ')})`);
  }
  return v;
}

function matching(v: Json, field: string, pattern: RegExp, what: string): string {
  const s = string(v, field);
  if (!pattern.test(s)) throw new ModelFormatError(field, `expected ${what}, got ${describe(s)}`);
  return s;
}

function isoDate(v: Json, field: string): string {
  const s = matching(v, field, ISO_DATE, 'an ISO 8601 date or timestamp');
  if (!Number.isFinite(Date.parse(s))) throw new ModelFormatError(field, `not a valid date: ${describe(s)}`);
  return s;
}

function probability(v: Json, field: string): number {
  const p = finite(v, field);
  if (p < 0 || p > 1) throw new ModelFormatError(field, `expected a probability in [0, 1], got ${p}`);
  return p;
}

/** Checks the schema name and version first, so a newer file gets the version message. */
export function checkSchemaHeader(v: Json): void {
  const doc = object(v, '');
  if (doc['schema'] !== MODEL_SCHEMA) throw new ModelFormatError('/schema', `expected "${MODEL_SCHEMA}", got ${describe(doc['schema'])} — not a diskpredict model file`);
  const version = integer(doc['schemaVersion'], '/schemaVersion', 1, Number.MAX_SAFE_INTEGER);
  if (version > MODEL_SCHEMA_VERSION) throw new ModelVersionError(version);
}

export function validateModelDocument(v: Json): ValidatedModel {
  checkSchemaHeader(v);
  const doc = object(v, '', TOP_LEVEL_KEYS);
  string(doc['name'], '/name');
  if (!doc['name']) throw new ModelFormatError('/name', 'must not be empty');
  matching(doc['version'], '/version', SEMVER, 'a semver version like 1.2.0');
  isoDate(doc['created'], '/created');
  matching(doc['checksum'], '/checksum', SHA256, '64 lower-case hex digits');

  const features = array(doc['features'], '/features').map((f, i) => string(f, `/features/${i}`));
  if (features.length === 0) throw new ModelFormatError('/features', 'must list at least one feature');
  const seen = new Set<string>();
  features.forEach((f, i) => {
    if (seen.has(f)) throw new ModelFormatError(`/features/${i}`, `duplicate feature ${describe(f)}`);
    seen.add(f);
  });

  const heads = object(doc['heads'], '/heads', ['p14', 'p42']);
  const head = (key: 'p14' | 'p42'): ModelHead => {
    const at = `/heads/${key}`;
    const h = object(heads[key], at, ['trees', 'calibration']);
    const gbdt = gbdtModelFromJson(h['trees'], `${at}/trees`);
    if (gbdt.nFeatures !== features.length)
      throw new ModelFormatError(`${at}/trees/nFeatures`, `trees use ${gbdt.nFeatures} features but /features lists ${features.length}`);
    return { gbdt, calibration: calibrationFromJson(h['calibration'], `${at}/calibration`) };
  };
  const p14 = head('p14');
  const p42 = head('p42');

  const thresholds = object(doc['thresholds'], '/thresholds', ['bad', 'warning', 'falseAlarmBudget', 'byFamiliarity', 'byDriveModel']);
  checkThresholdPair(thresholds, '/thresholds');
  if (finite(thresholds['falseAlarmBudget'], '/thresholds/falseAlarmBudget') < 0)
    throw new ModelFormatError('/thresholds/falseAlarmBudget', 'must be >= 0');
  if (thresholds['byFamiliarity'] !== undefined) {
    const byFamiliarity = object(thresholds['byFamiliarity'], '/thresholds/byFamiliarity', THRESHOLD_FAMILIARITIES);
    for (const [key, pair] of Object.entries(byFamiliarity)) {
      const at = `/thresholds/byFamiliarity/${key}`;
      checkThresholdPair(object(pair, at, ['bad', 'warning']), at);
    }
  }
  if (thresholds['byDriveModel'] !== undefined) {
    const byDriveModel = object(thresholds['byDriveModel'], '/thresholds/byDriveModel');
    const models = Object.keys(byDriveModel);
    if (models.length > MAX_DRIVE_MODELS) throw new ModelFormatError('/thresholds/byDriveModel', `lists ${models.length} models; at most ${MAX_DRIVE_MODELS}`);
    for (const model of models) {
      const at = `/thresholds/byDriveModel/${model}`;
      if (model.trim() === '') throw new ModelFormatError(at, 'a drive model must not be empty');
      checkThresholdPair(object(byDriveModel[model]!, at, ['bad', 'warning']), at);
    }
  }

  checkTraining(doc['training']);
  object(doc['validation'], '/validation');
  return { document: v as ModelDocument, p14, p42 };
}

function checkThresholdPair(t: Record<string, Json>, at: string): void {
  const bad = probability(t['bad'], `${at}/bad`);
  const warning = probability(t['warning'], `${at}/warning`);
  if (warning > bad) throw new ModelFormatError(`${at}/warning`, `warning (${warning}) must not exceed bad (${bad})`);
}

function checkTraining(v: Json): void {
  const t = object(v, '/training', ['files', 'drives', 'failures', 'dateRange', 'seed', 'params', 'recipe', 'excludedModels', 'driveModels']);
  if (t['driveModels'] !== undefined) {
    const models = array(t['driveModels'], '/training/driveModels');
    if (models.length > MAX_DRIVE_MODELS) throw new ModelFormatError('/training/driveModels', `lists ${models.length} models; at most ${MAX_DRIVE_MODELS}`);
    models.forEach((m, i) => {
      if (string(m, `/training/driveModels/${i}`).trim() === '') throw new ModelFormatError(`/training/driveModels/${i}`, 'must not be empty');
    });
  }
  array(t['files'], '/training/files').forEach((f, i) => {
    const at = `/training/files/${i}`;
    const file = object(f, at, ['name', 'sha256', 'rows', 'role']);
    string(file['name'], `${at}/name`);
    if (file['role'] !== undefined && !FILE_ROLES.includes(string(file['role'], `${at}/role`)))
      throw new ModelFormatError(`${at}/role`, `expected one of ${FILE_ROLES.join(', ')}, got ${describe(file['role'])}`);
    matching(file['sha256'], `${at}/sha256`, SHA256, '64 lower-case hex digits');
    integer(file['rows'], `${at}/rows`, 0, Number.MAX_SAFE_INTEGER);
  });
  if (t['recipe'] !== undefined) string(t['recipe'], '/training/recipe');
  if (t['excludedModels'] !== undefined) array(t['excludedModels'], '/training/excludedModels').forEach((m, i) => string(m, `/training/excludedModels/${i}`));
  integer(t['drives'], '/training/drives', 0, Number.MAX_SAFE_INTEGER);
  integer(t['failures'], '/training/failures', 0, Number.MAX_SAFE_INTEGER);
  const range = array(t['dateRange'], '/training/dateRange', 2);
  const from = isoDate(range[0], '/training/dateRange/0');
  const to = isoDate(range[1], '/training/dateRange/1');
  if (Date.parse(from) > Date.parse(to)) throw new ModelFormatError('/training/dateRange', `starts (${from}) after it ends (${to})`);
  finite(t['seed'], '/training/seed');
  const params = object(t['params'], '/training/params');
  for (const key of REQUIRED_PARAMS) finite(params[key], `/training/params/${key}`);
  for (const [key, value] of Object.entries(params)) finite(value, `/training/params/${key}`);
}

