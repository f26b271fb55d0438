/**
 * The predictors the daemon answers with, each wrapped with the operator's overrides (lib/predict/overrides), so
 * every op that predicts applies them. A ModelSet is immutable once built: reload builds a new one (new models,
 * new overrides) and swaps it in, so a request that already holds the old set finishes on it.
 */
import type { Override } from '../lib/predict/overrides/types.js';
import { withOverrides } from '../lib/predict/overrides/withOverrides.js';
import type { Predictor } from '../lib/predict/types.js';
import { RequestError } from './protocol/errors.js';

export interface PredictorOptions {
  modelDir?: string;
  cephModelDir?: string;
}

export type PredictorFactory = (spec: string | undefined, options: PredictorOptions) => Predictor;

/** Specs a client may name; a path is only accepted from the operator's configuration. */
export const CLIENT_MODEL_SPECS: readonly string[] = ['default', 'rules', 'prophetstor', 'redhat'];

export interface LoadedModel {
  spec: string;
  /** with the overrides applied: what requests predict with */
  predictor: Predictor;
  /** as the factory made it (`info` reads a model file's metadata from it) */
  loaded: Predictor;
}

export class ModelSet {
  private readonly loaded = new Map<string, LoadedModel>();
  readonly defaultModel: LoadedModel;

  constructor(
    private readonly factory: PredictorFactory,
    readonly defaultSpec: string,
    private readonly options: PredictorOptions,
    readonly overrides: readonly Override[] = [],
    private readonly clock: () => number = Date.now,
  ) {
    // The default is loaded now so a broken model fails the start or the reload, not a request.
    this.defaultModel = this.wrapped(defaultSpec, this.factory(defaultSpec, options));
    this.loaded.set(defaultSpec, this.defaultModel);
  }

  /** The predictor for a request's `model` (undefined = the configured default); loads it on first use. */
  get(spec: string | undefined): Predictor {
    if (spec === undefined) return this.defaultModel.predictor;
    const cached = this.loaded.get(spec);
    if (cached) return cached.predictor;
    if (!CLIENT_MODEL_SPECS.includes(spec)) {
      throw new RequestError('BAD_MODEL', `unknown model "${spec}" (known: ${CLIENT_MODEL_SPECS.join(', ')})`);
    }
    let model: LoadedModel;
    try {
      model = this.wrapped(spec, this.factory(spec, this.options));
    } catch (err) {
      throw new RequestError('BAD_MODEL', `model "${spec}" cannot be loaded: ${err instanceof Error ? err.message : String(err)}`);
    }
    this.loaded.set(spec, model);
    return model.predictor;
  }

  private wrapped(spec: string, loaded: Predictor): LoadedModel {
    return { spec, predictor: withOverrides(loaded, this.overrides, { clock: this.clock }), loaded };
  }

  all(): LoadedModel[] {
    return [...this.loaded.values()];
  }
}
