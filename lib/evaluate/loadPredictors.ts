/**
 * Which predictors a run uses: the model (`--model NAME|DIR`, resolved by the predictor registry),
 * a baseline by name, and Ceph's ProphetStor / Red Hat models from `--ceph-models DIR`.
 */
import { loadCephPredictor } from '../predict/ceph/index.js';
import { createPredictor, type PredictorOptions } from '../predict/registry.js';
import type { Predictor } from '../predict/types.js';
import { splitSide } from './driveSplit.js';
import { backblazeRule, smartctlHealth } from './baselines/index.js';
import { cephBatchPredictor } from './cephOnSamples.js';
import type { EvaluatedPredictor } from './evaluateRun.js';

export const BASELINES: Readonly<Record<string, Predictor>> = {
  'backblaze-rule': backblazeRule,
  'smartctl-health': smartctlHealth,
};

export interface LoadedModel {
  predictor: Predictor;
  /** the model's own document (our models), for its split and provenance */
  document?: Record<string, unknown>;
  /** the document without its weights, for display */
  metadata?: Record<string, unknown>;
}

function documentOf(predictor: Predictor): Record<string, unknown> | undefined {
  const doc = (predictor as { document?: unknown }).document;
  return typeof doc === 'object' && doc !== null ? (doc as Record<string, unknown>) : undefined;
}

/** Fields of a model document too large to show (forests, calibration tables, feature lists). */
const MAX_METADATA_FIELD_CHARS = 20_000;

/**
 * What the model says about itself (our model document: name, version, created, thresholds,
 * training files, validation), minus the fields that are model weights rather than description.
 */
export function modelMetadata(predictor: Predictor): Record<string, unknown> | undefined {
  const doc = documentOf(predictor);
  if (!doc) return undefined;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(doc)) {
    const text = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? '';
    out[key] = text.length <= MAX_METADATA_FIELD_CHARS ? value : `(${text.length} characters, not shown)`;
  }
  return out;
}

/** A baseline by name, or the registry's model for `spec` (undefined = the default model). */
export function loadModelOrBaseline(spec?: string, options: PredictorOptions = {}): LoadedModel {
  if (spec !== undefined && BASELINES[spec]) return { predictor: BASELINES[spec]! };
  const predictor = createPredictor(spec, options);
  const document = documentOf(predictor);
  const metadata = modelMetadata(predictor);
  return { predictor, ...(document ? { document } : {}), ...(metadata ? { metadata } : {}) };
}

/** Ceph's two models from an imported model directory; each one that fails to load is reported. */
export function loadCephPredictors(modelDir: string, onMissing: (message: string) => void): EvaluatedPredictor[] {
  const out: EvaluatedPredictor[] = [];
  for (const kind of ['prophetstor', 'redhat'] as const) {
    try {
      out.push({ id: `ceph-${kind}`, kind: 'baseline', predictor: cephBatchPredictor(loadCephPredictor(kind, modelDir)) });
    } catch (err) {
      onMissing(`Ceph ${kind} not evaluated: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return out;
}

/**
 * The drives a model never trained on: its validation side, recomputed from the seed and split
 * fractions its document records. Undefined when the model does not record them.
 */
export function heldOutDrives(document: Record<string, unknown> | undefined): ((serial: string) => boolean) | undefined {
  const training = document?.['training'] as { seed?: unknown } | undefined;
  const validation = document?.['validation'] as { split?: { validation?: unknown; earlyStop?: unknown } } | undefined;
  const seed = training?.seed;
  const split = validation?.split;
  if (typeof seed !== 'number' || typeof split?.validation !== 'number' || typeof split.earlyStop !== 'number') return undefined;
  const fractions = { validation: split.validation, earlyStop: split.earlyStop };
  return (serial) => splitSide(serial, seed, fractions) === 'validation';
}
