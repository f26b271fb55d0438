/**
 * From a predictor spec (`default`, `rules`, `prophetstor`, `redhat`, or a path to one of our model
 * files or a directory holding model.json) to a Predictor, without loading Ceph's model code
 * unless the spec names one of Ceph's models: `openPredictor` imports it on demand, so a command
 * that predicts with our own model does not pay for the pickle reader at start-up.
 * Loaded model files are cached per resolved file and its identity on disk (device, inode, size, change times), so
 * repeated calls, and a daemon's reload while the file is unchanged, cost a stat; a replaced or rewritten file is
 * read again.
 */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CephModelKind } from '../models/ceph/modelTypes.js';
import { readCompiledModel } from '../models/compiledModel.js';
import { fileIdentity } from '../util/fileIdentity.js';
import { packageRoot } from '../util/packageInfo.js';
import { ModelPredictor } from './modelPredictor.js';
import { RulesPredictor } from './rulesPredictor.js';
import type { Predictor } from './types.js';

export interface PredictorOptions {
  /** directory of Ceph's model files, for `prophetstor` / `redhat` */
  cephModelDir?: string;
}

/** A predictor name or path that cannot be resolved. */
export class PredictorSpecError extends Error {
  override readonly name = 'PredictorSpecError';
}

export const MODEL_FILE_NAME = 'model.json';

export function defaultModelPath(): string {
  return join(packageRoot(), 'models', 'default', MODEL_FILE_NAME);
}

/** The default model compiled at build time (lib/models/compiledModel.ts), used while it matches the model file. */
export function compiledDefaultModelPath(): string {
  return join(packageRoot(), 'dist', 'models', 'default', 'model.v8');
}

const cache = new Map<string, { identity: string; predictor: ModelPredictor }>();


function modelFileFor(spec: string): string {
  const path = resolve(spec);
  if (!existsSync(path)) throw new PredictorSpecError(`model "${spec}" not found: not a known name (default, rules, prophetstor, redhat) nor an existing file or directory`);
  return statSync(path).isDirectory() ? join(path, MODEL_FILE_NAME) : path;
}

export function loadModelPredictor(file: string): ModelPredictor {
  const identity = fileIdentity(file) ?? 'missing';
  const cached = cache.get(file);
  if (cached?.identity === identity) return cached.predictor;
  // A reload of a missing or broken file throws here, and the daemon keeps the predictor it holds.
  const compiled = file === defaultModelPath() ? readCompiledModel(file, compiledDefaultModelPath()) : undefined;
  const predictor = compiled !== undefined ? new ModelPredictor(compiled, file) : ModelPredictor.fromFile(file);
  cache.set(file, { identity, predictor });
  return predictor;
}

export function isCephModelSpec(spec: string | undefined): spec is CephModelKind {
  return spec === 'prophetstor' || spec === 'redhat';
}

/** Where Ceph's model files are for a `prophetstor` / `redhat` spec. */
export function cephModelDirFor(spec: CephModelKind, options: PredictorOptions): string {
  const dir = options.cephModelDir ?? process.env['DISKPREDICT_CEPH_MODELS'];
  if (!dir) throw new PredictorSpecError(`model "${spec}" needs Ceph's model directory: the cephModelDir option (command line: --ceph-models DIR) or DISKPREDICT_CEPH_MODELS`);
  return dir;
}

/** Our own predictors: every spec except Ceph's model names. */
export function ownPredictor(spec: string | undefined): Predictor {
  switch (spec) {
    case undefined:
    case 'default':
      return loadModelPredictor(defaultModelPath());
    case 'rules':
      return new RulesPredictor();
    default:
      return loadModelPredictor(modelFileFor(spec));
  }
}

/** Any predictor spec; Ceph's model code is imported only when the spec names it. */
export async function openPredictor(spec?: string, options: PredictorOptions = {}): Promise<Predictor> {
  if (!isCephModelSpec(spec)) return ownPredictor(spec);
  const dir = cephModelDirFor(spec, options);
  const { loadCephPredictor } = await import('./ceph/cephPredictor.js');
  return loadCephPredictor(spec, dir);
}
