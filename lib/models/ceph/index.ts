/** Ceph diskprediction_local's ProphetStor and Red Hat models, run without Python. */
export { loadCephModels, loadCephPickles, type CephModelSource, type LoadedCephModels } from './loadCephModels.js';
export { dplDayDicts, dplFromEntries, DPL_MIN_SAMPLES, DPL_MAX_DAYS, type DplInput, type DplEntry, type DplReason } from './dplDayDicts.js';
export { writeConverted, readConverted, CONVERTED_SCHEMA, CONVERTED_SCHEMA_VERSION } from './convertedFormat.js';
export { importCephModels, type ImportResult } from './importCephModels.js';
export { CephModelError } from './errors.js';
export type { CephModelKind, CephModels, ProphetStorModels, RedHatModels, SvcModel, ForestModel, TreeModel, ScalerModel } from './modelTypes.js';
export type { ProphetStorResult } from './prophetstor.js';
export type { RedHatResult, RedHatWindow } from './redhat.js';
