export * from './driveSplit.js';
export * from './perDriveMetrics.js';
export * from './quantiles.js';
export * from './bootstrap.js';
export * from './baselines/index.js';
export { cephBatchPredictor } from './cephOnSamples.js';
export { IssueTally, type IssueCount, type IssueKind } from './issueTally.js';
export { scoreEachDay, dayScore, badScore, type ScoredDay } from './scoreEachDay.js';
export { runScore, SCORE_COLUMNS, type ScoreRunOptions, type ScoreRunResult } from './scoreRun.js';
export {
  runEvaluate,
  type EvaluateOptions,
  type EvaluatedPredictor,
  type EvaluationResult,
  type PredictorResult,
  type OperatingPoint,
  type VendorRow,
  type Coverage,
} from './evaluateRun.js';
export { renderHtmlReport, type ReportInput } from './report/htmlReport.js';
export { formatEvaluation } from './formatText.js';
export {
  evaluateSsdSnapshots,
  tallySsdSnapshots,
  NO_HEALTHY_SSD_NOTE,
  type SsdSnapshotResult,
  type SsdSnapshotOptions,
  type SsdShareRow,
  type SsdFamilyRow,
  type SsdAttributeRow,
} from './ssdSnapshots.js';
export { formatSsdSnapshots } from './formatSsdSnapshots.js';
export { ssdRuleFamily, SSD_RULE_FAMILY_LABEL, type SsdRuleFamily } from './ssdRuleFamily.js';
