/**
 * Ceph's `predict_life_expectancy` for one device: devicehealth metrics map → DPL day dicts →
 * the chosen Ceph predictor → upstream's verdict and CLI string, with the per-model detail.
 */
import type { JsonValue } from '../../util/json.js';
import type { CephLifeExpectancy } from '../types.js';
import { cephLifeExpectancyFor } from '../lifeExpectancy.js';
import { dplDayDicts, type DplInput } from '../../models/ceph/dplDayDicts.js';
import { CephModelError } from '../../models/ceph/errors.js';
import { resolve } from 'node:path';
import { loadCephModels } from '../../models/ceph/loadCephModels.js';
import type { CephModelKind, CephModels } from '../../models/ceph/modelTypes.js';
import { predictProphetStor, type ProphetStorResult } from '../../models/ceph/prophetstor.js';
import { predictRedHat, type RedHatResult } from '../../models/ceph/redhat.js';

export interface CephVerdict {
  kind: 'prophetstor' | 'redhat';
  modelVersion: string;
  /** upstream's `predicted_result`: '' when DPL never called the predictor, 'error' when it raised */
  upstreamVerdict: 'Good' | 'Warning' | 'Bad' | 'Unknown' | 'error' | '';
  /** what `ceph device predict-life-expectancy` prints; 'error' = devicehealth's rc −1 */
  upstreamCli: CephLifeExpectancy | 'error';
  /** why no Good/Warning/Bad came out */
  reason: string | null;
  dpl: Omit<DplInput, 'dayDicts'> & { nDayDicts: number };
  prophetstor?: ProphetStorResult;
  redhat?: RedHatResult;
}

export function predictCephDays(models: CephModels, dpl: DplInput): CephVerdict {
  const { dayDicts, ...rest } = dpl;
  const out: CephVerdict = {
    kind: models.kind,
    modelVersion: models.version,
    upstreamVerdict: '',
    upstreamCli: 'unknown',
    reason: dpl.reason,
    dpl: { ...rest, nDayDicts: dayDicts.length },
  };
  if (dpl.reason !== null) return out;
  try {
    if (models.kind === 'prophetstor') {
      const ps = predictProphetStor(models, dayDicts);
      out.prophetstor = ps;
      out.upstreamVerdict = ps.verdict;
      out.reason = ps.reason;
    } else {
      const rh = predictRedHat(models, dayDicts);
      out.redhat = rh;
      out.upstreamVerdict = rh.verdict;
      out.reason = rh.error ? `${rh.reason}: ${rh.error}` : rh.reason;
    }
  } catch (e) {
    // upstream would raise here (e.g. int() of a non-numeric raw value): devicehealth answers rc −1
    if (!(e instanceof CephModelError)) throw e;
    out.upstreamVerdict = 'error';
    out.reason = e.message;
  }
  const v = out.upstreamVerdict;
  out.upstreamCli = v === 'error' ? 'error' : cephLifeExpectancyFor(v);
  return out;
}

const loadedByDir = new Map<string, CephModels>();

/** Models of `kind` from `modelDir` (default: $DISKPREDICT_CEPH_MODELS), loaded once per directory. */
export function cephModelsFor(kind: CephModelKind, modelDir?: string): CephModels {
  const dir = modelDir ?? process.env['DISKPREDICT_CEPH_MODELS'];
  if (!dir) throw new CephModelError(`the ${kind} model needs Ceph's model directory: pass it or set DISKPREDICT_CEPH_MODELS`);
  const key = `${kind}\0${resolve(dir)}`;
  let models = loadedByDir.get(key);
  if (!models) {
    models = loadCephModels(kind, dir).models;
    loadedByDir.set(key, models);
  }
  return models;
}

/**
 * The whole upstream path for one devicehealth metrics map (`show_device_metrics` output), with
 * loaded models or a kind whose models come from `modelDir` / $DISKPREDICT_CEPH_MODELS.
 */
export function predictCephDump(models: CephModels | CephModelKind, map: JsonValue, modelDir?: string): CephVerdict {
  return predictCephDays(typeof models === 'string' ? cephModelsFor(models, modelDir) : models, dplDayDicts(map));
}
