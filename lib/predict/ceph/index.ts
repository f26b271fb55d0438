/** Ceph diskprediction_local's predictors (ProphetStor, Red Hat) over Ceph's models (lib/models/ceph), as diskpredict predictors. */
export { loadCephPredictor, cephPredictorFor, historyEntries, type CephPredictor } from './cephPredictor.js';
export { predictCephDump, predictCephDays, cephModelsFor, type CephVerdict } from './predictCephDump.js';
export { formatCephPrediction, cephPrediction, cephStatus } from './format.js';
