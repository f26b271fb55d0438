/** Ceph's ProphetStor or Red Hat models behind the project's `Predictor` interface. */
import type { CephDayDict } from '../../smart/cephDayDict.js';
import type { DeviceHistory } from '../../smart/types.js';
import type { ModelRef, Prediction, Predictor } from '../types.js';
import { dplFromEntries, type DplEntry } from '../../models/ceph/dplDayDicts.js';
import { cephPrediction } from './format.js';
import { loadCephModels, type CephModelSource } from '../../models/ceph/loadCephModels.js';
import type { CephModelKind, CephModels } from '../../models/ceph/modelTypes.js';
import { predictCephDays, type CephVerdict } from './predictCephDump.js';
import type { SourceFile } from '../../models/ceph/sourceFiles.js';

export interface CephPredictor extends Predictor {
  readonly kind: CephModelKind;
  readonly from: CephModelSource;
  readonly sources: readonly SourceFile[];
  /** the full upstream-shaped verdict (what the parity tests and `--json` use) */
  verdict(history: DeviceHistory): CephVerdict;
}

function timeKey(time: number): string {
  return Number.isFinite(time) && Math.abs(time) <= 8.64e15 ? new Date(time).toISOString() : String(time);
}

/** Samples (their Ceph day dicts) and error entries, newest first, as DPL sees devicehealth's map. */
export function historyEntries(history: DeviceHistory): DplEntry[] {
  const entries: Array<DplEntry & { time: number }> = [
    ...history.samples.map((s) => ({ time: s.time, key: timeKey(s.time), day: s.ceph ?? ({} as CephDayDict) })),
    ...history.errors.map((e) => ({ time: e.time, key: e.key ?? timeKey(e.time), day: {} as CephDayDict })),
  ];
  // newest first; a stable sort keeps same-time entries in their given order
  entries.sort((a, b) => b.time - a.time);
  return entries.map(({ key, day }) => ({ key, day }));
}

export function cephPredictorFor(models: CephModels, from: CephModelSource, sources: readonly SourceFile[]): CephPredictor {
  const model: ModelRef = { name: models.kind, version: models.version };
  const verdict = (history: DeviceHistory): CephVerdict => predictCephDays(models, dplFromEntries(historyEntries(history)));
  return {
    kind: models.kind,
    from,
    sources,
    model,
    verdict,
    needsCephDayDict: true,
    predict: (history: DeviceHistory): Prediction => cephPrediction(verdict(history)),
  };
}

/** `modelDir`: Ceph's models directory, the kind's own folder, or an `import-ceph-models` output. */
export function loadCephPredictor(kind: CephModelKind, modelDir: string): CephPredictor {
  const loaded = loadCephModels(kind, modelDir);
  return cephPredictorFor(loaded.models, loaded.from, loaded.sources);
}
