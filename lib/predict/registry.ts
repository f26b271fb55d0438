/**
 * Predictors by name: `default` (our shipped model, models/default/model.json), a path to one of
 * our model files (or a directory holding model.json), `rules`, and Ceph's old models
 * `prophetstor` / `redhat` (their directory from options.cephModelDir or DISKPREDICT_CEPH_MODELS).
 * Synchronous, so it loads Ceph's model code with it; `openPredictor` (predictorSpec.ts) is the
 * asynchronous twin that imports it only when asked for.
 */
import { loadCephPredictor } from './ceph/cephPredictor.js';
import type { DeviceHistory } from '../smart/types.js';
import { cephModelDirFor, isCephModelSpec, ownPredictor, type PredictorOptions } from './predictorSpec.js';
import type { Prediction, PredictOptions, Predictor } from './types.js';

export {
  defaultModelPath,
  loadModelPredictor,
  MODEL_FILE_NAME,
  openPredictor,
  PredictorSpecError,
  type PredictorOptions,
} from './predictorSpec.js';

export function createPredictor(spec?: string, options: PredictorOptions = {}): Predictor {
  if (isCephModelSpec(spec)) return loadCephPredictor(spec, cephModelDirFor(spec, options));
  return ownPredictor(spec);
}

/** One prediction for one device history with the given (or default) model. */
export function predict(history: DeviceHistory, options: PredictOptions & { model?: Predictor | string } = {}): Prediction {
  const { model, ...rest } = options;
  const predictor = typeof model === 'object' ? model : createPredictor(model);
  return predictor.predict(history, rest);
}
