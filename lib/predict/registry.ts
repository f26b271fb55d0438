/**
 * Predictors by name: `default` (our shipped model, models/default/model.json), a path to one of
 * our model files (or a directory holding model.json), `rules`, and Ceph's old models
 * `prophetstor` / `redhat` (their directory from options.cephModelDir or DISKPREDICT_CEPH_MODELS).
 * Loaded models are cached per resolved file, so repeated calls are cheap.
 */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadCephPredictor } from '../models/ceph/index.js';
import type { DeviceHistory } from '../smart/types.js';
import { packageRoot } from '../util/packageInfo.js';
import { ModelPredictor } from './modelPredictor.js';
import { RulesPredictor } from './rulesPredictor.js';
import type { Prediction, PredictOptions, Predictor } from './types.js';

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

const cache = new Map<string, ModelPredictor>();

function modelFileFor(spec: string): string {
  const path = resolve(spec);
  if (!existsSync(path)) throw new PredictorSpecError(`model "${spec}" not found: not a known name (default, rules, prophetstor, redhat) nor an existing file or directory`);
  return statSync(path).isDirectory() ? join(path, MODEL_FILE_NAME) : path;
}

export function loadModelPredictor(file: string): ModelPredictor {
  let p = cache.get(file);
  if (p === undefined) {
    p = ModelPredictor.fromFile(file);
    cache.set(file, p);
  }
  return p;
}

export function createPredictor(spec?: string, options: PredictorOptions = {}): Predictor {
  switch (spec) {
    case undefined:
    case 'default':
      return loadModelPredictor(defaultModelPath());
    case 'rules':
      return new RulesPredictor();
    case 'prophetstor':
    case 'redhat': {
      const dir = options.cephModelDir ?? process.env['DISKPREDICT_CEPH_MODELS'];
      if (!dir) throw new PredictorSpecError(`model "${spec}" needs Ceph's model directory: the cephModelDir option (command line: --ceph-models DIR) or DISKPREDICT_CEPH_MODELS`);
      return loadCephPredictor(spec, dir);
    }
    default:
      return loadModelPredictor(modelFileFor(spec));
  }
}

/** One prediction for one device history with the given (or default) model. */
export function predict(history: DeviceHistory, options: PredictOptions & { model?: Predictor | string } = {}): Prediction {
  const { model, ...rest } = options;
  const predictor = typeof model === 'object' ? model : createPredictor(model);
  return predictor.predict(history, rest);
}

/** Forgets the loaded model files, so the next createPredictor re-reads them (the daemon's reload). */
export function clearModelCache(): void {
  cache.clear();
}
