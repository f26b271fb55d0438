/**
 * The rule scorer for devices our model was not trained on (NVMe, SCSI/SAS, ATA SSDs: the shared
 * data holds no failures of theirs). Each rule that fires adds its weight and a reason; the
 * status is Bad when a Bad rule fires, Warning when a Warning rule fires, else Good. "Grew" means
 * the value rose compared with the oldest sample of the last 30 days (growth needs ≥ 2 samples).
 *
 *   any      SMART overall health self-assessment failed                         Bad
 *   NVMe     critical_warning: spare below threshold, reliability degraded,
 *            read-only, volatile backup failed, persistent memory unreliable     Bad
 *            available spare < its threshold                                     Bad
 *            critical_warning temperature bit                                    Warning
 *            media errors grew                                                   Warning (Bad if +10 or more)
 *            percentage used ≥ 100                                               Warning
 *   SCSI     uncorrected read/write/verify errors grew                           Bad
 *            grown defect list grew                                              Warning (Bad if +10 or more)
 *            uncorrected errors > 0 (not growing)                                Warning
 *   ATA SSD  an attribute failing now (value ≤ threshold, whenFailed "now")      Bad
 *            reallocated sectors (5) or reallocation events (196) grew           Warning
 *            reported uncorrectable (187) or offline uncorrectable (198) grew    Bad
 *            wear: normalized 177/231/233 ≤ 10                                   Warning
 *
 * p14/p42 are fixed levels per status (not calibrated probabilities: there is no failure data to
 * calibrate them on): Good 0.01/0.02, Warning 0.05/0.5, Bad 0.9/0.95.
 */
import type { DeviceHistory, NvmeHealth, RawInteger, SmartSample } from '../smart/types.js';
import { MS_PER_DAY } from '../util/utcTime.js';
import { sampleKind, type DeviceKind } from './deviceKind.js';
import { noSamplesPrediction, predictionFor, unknownPrediction } from './predictionFor.js';
import type { BatchPredictor, DailyPrediction, HealthStatus, ModelRef, Prediction, PredictionReason } from './types.js';

export const RULES_MODEL: ModelRef = { name: 'rules', version: '1' };

const LEVELS: Record<'Good' | 'Warning' | 'Bad', [number, number]> = { Good: [0.01, 0.02], Warning: [0.05, 0.5], Bad: [0.9, 0.95] };
const WINDOW_MS = 30 * MS_PER_DAY;
const BAD = 2;
const WARN = 1;

interface RuleResult {
  usable: boolean;
  reasons: PredictionReason[];
}

const num = (v: RawInteger | undefined): number | undefined => (v === undefined ? undefined : Number(v));

/** Growth of a value from the oldest sample in the 30-day window to the newest. */
function growth(samples: readonly SmartSample[], read: (s: SmartSample) => number | undefined): number | undefined {
  const last = samples[samples.length - 1]!;
  const now = read(last);
  if (now === undefined) return undefined;
  for (const s of samples) {
    if (s === last || s.time < last.time - WINDOW_MS) continue;
    const then = read(s);
    if (then !== undefined) return now - then;
  }
  return undefined;
}

function reason(feature: string, text: string, weight: number, value?: number): PredictionReason {
  return value === undefined ? { feature, text, contribution: weight } : { feature, text, contribution: weight, value };
}

function nvmeRules(samples: readonly SmartSample[], out: PredictionReason[]): boolean {
  const h: NvmeHealth | undefined = samples[samples.length - 1]!.nvme;
  if (h === undefined) return false;
  const cw = h.criticalWarning;
  if (cw) {
    const bits: [boolean, string][] = [
      [cw.availableSpareLow, 'available spare below threshold'],
      [cw.reliabilityDegraded, 'NVM subsystem reliability degraded'],
      [cw.readOnly, 'media placed in read-only mode'],
      [cw.volatileBackupFailed, 'volatile memory backup failed'],
      [cw.persistentMemoryUnreliable, 'persistent memory region unreliable'],
    ];
    for (const [set, text] of bits) if (set) out.push(reason('nvme.critical_warning', `critical warning: ${text}`, BAD, cw.raw));
    if (cw.temperature) out.push(reason('nvme.critical_warning', 'critical warning: temperature outside limits', WARN, cw.raw));
  }
  if (h.availableSpare !== undefined && h.availableSpareThreshold !== undefined && h.availableSpare < h.availableSpareThreshold)
    out.push(reason('nvme.available_spare', `available spare ${h.availableSpare}% is below its threshold ${h.availableSpareThreshold}%`, BAD, h.availableSpare));
  const media = growth(samples, (s) => num(s.nvme?.mediaErrors));
  if (media !== undefined && media > 0)
    out.push(reason('nvme.media_errors', `media errors grew by ${media} in 30 days`, media >= 10 ? BAD : WARN, media));
  if (h.percentageUsed !== undefined && h.percentageUsed >= 100)
    out.push(reason('nvme.percentage_used', `rated endurance used up (${h.percentageUsed}%)`, WARN, h.percentageUsed));
  return true;
}

function scsiRules(samples: readonly SmartSample[], out: PredictionReason[]): boolean {
  const c = samples[samples.length - 1]!.scsi;
  if (c === undefined) return false;
  const uncorrected = (s: SmartSample): number | undefined => {
    const parts = [s.scsi?.read?.uncorrected, s.scsi?.write?.uncorrected, s.scsi?.verify?.uncorrected].map(num).filter((v): v is number => v !== undefined);
    return parts.length ? parts.reduce((a, b) => a + b, 0) : undefined;
  };
  const unc = uncorrected(samples[samples.length - 1]!);
  const uncGrowth = growth(samples, uncorrected);
  if (uncGrowth !== undefined && uncGrowth > 0) out.push(reason('scsi.uncorrected_errors', `uncorrected errors grew by ${uncGrowth} in 30 days`, BAD, uncGrowth));
  else if (unc !== undefined && unc > 0) out.push(reason('scsi.uncorrected_errors', `${unc} uncorrected errors logged`, WARN, unc));
  const defects = growth(samples, (s) => s.scsi?.grownDefects);
  if (defects !== undefined && defects > 0)
    out.push(reason('scsi.grown_defects', `grown defect list grew by ${defects} in 30 days`, defects >= 10 ? BAD : WARN, defects));
  return true;
}

function ataSsdRules(samples: readonly SmartSample[], out: PredictionReason[]): boolean {
  const ata = samples[samples.length - 1]!.ata;
  if (ata === undefined || Object.keys(ata).length === 0) return false;
  for (const a of Object.values(ata)) {
    if (a.whenFailed === 'now') out.push(reason(`smart_${a.id}_normalized`, `attribute ${a.id}${a.name ? ` ${a.name}` : ''} is failing now (value ${a.value} ≤ threshold ${a.thresh})`, BAD, a.value));
  }
  for (const [id, weight, text] of [
    [5, WARN, 'reallocated sectors'],
    [196, WARN, 'reallocation events'],
    [187, BAD, 'reported uncorrectable errors'],
    [198, BAD, 'offline uncorrectable sectors'],
  ] as const) {
    const g = growth(samples, (s) => num(s.ata?.[id]?.raw));
    if (g !== undefined && g > 0) out.push(reason(`smart_${id}_raw_delta30`, `${text} (${id}) grew by ${g} in 30 days`, weight, g));
  }
  for (const id of [177, 231, 233]) {
    const v = ata[id]?.value;
    if (v !== undefined && v <= 10) out.push(reason(`smart_${id}_normalized`, `wear indicator (${id}) at ${v}: little endurance left`, WARN, v));
  }
  return true;
}

function evaluateRules(samples: readonly SmartSample[], kind: DeviceKind): RuleResult {
  const reasons: PredictionReason[] = [];
  const last = samples[samples.length - 1]!;
  let usable = false;
  if (last.healthPassed === false) {
    reasons.push(reason('smart_status', 'SMART overall health self-assessment failed', BAD));
    usable = true;
  } else if (last.healthPassed === true) usable = true;
  if (kind === 'nvme') usable = nvmeRules(samples, reasons) || usable;
  else if (kind === 'scsi') usable = scsiRules(samples, reasons) || usable;
  else usable = ataSsdRules(samples, reasons) || usable;
  reasons.sort((a, b) => b.contribution - a.contribution);
  return { usable, reasons };
}

function statusOf(reasons: readonly PredictionReason[]): 'Good' | 'Warning' | 'Bad' {
  const top = reasons[0]?.contribution ?? 0;
  return top >= BAD ? 'Bad' : top >= WARN ? 'Warning' : 'Good';
}

export class RulesPredictor implements BatchPredictor {
  readonly model = RULES_MODEL;

  predict(history: DeviceHistory): Prediction {
    const samples = [...history.samples].sort((a, b) => a.time - b.time);
    if (samples.length === 0) return noSamplesPrediction(this.model, history);
    const kind = sampleKind(samples[samples.length - 1]!);
    const r = evaluateRules(samples, kind);
    if (!r.usable) return unknownPrediction(this.model, `no usable ${kind} health data in the latest sample`, samples.length);
    const status = statusOf(r.reasons);
    const [p14, p42] = LEVELS[status];
    return predictionFor(status, p14, p42, r.reasons, this.model, samples.length, `rule scorer for ${kind} devices (no failure data to train a model on)`);
  }

  predictEachDay(history: DeviceHistory): DailyPrediction[] {
    const samples = [...history.samples].sort((a, b) => a.time - b.time);
    return samples.map((s, i) => {
      const r = evaluateRules(samples.slice(0, i + 1), sampleKind(s));
      if (!r.usable) return { time: s.time, p14: null, p42: null, status: 'Unknown' as HealthStatus };
      const status = statusOf(r.reasons);
      return { time: s.time, p14: LEVELS[status][0], p42: LEVELS[status][1], status };
    });
  }
}
