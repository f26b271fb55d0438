/**
 * The rule scorer for devices our model was not trained on (NVMe, SCSI/SAS, ATA SSDs: the shared
 * data holds no failures of theirs). Each rule that fires gives a reason naming the attribute, its
 * value and the rule; the status is Bad when a Bad rule fires, Warning when a Warning rule fires,
 * else Good. There is no failure data to calibrate probabilities on, so p14/p42 are null: a rule
 * verdict is a level, not a probability. "Grew" compares the newest sample with the oldest one of
 * the last 30 days and says how many days that actually covers (growth needs ≥ 2 samples).
 *
 *   any      SMART overall health self-assessment failed                         Bad
 *   NVMe     critical_warning: spare below threshold, reliability degraded,
 *            read-only, volatile backup failed, persistent memory unreliable     Bad
 *            available spare < its threshold                                     Bad
 *            critical_warning temperature bit                                    Warning
 *            media and data integrity errors grew by ≥ 10                        Bad
 *            media and data integrity errors > 0 (or grew)                       Warning
 *            percentage used ≥ 100                                               Warning
 *   SCSI     uncorrected read/write/verify errors grew                           Bad
 *            uncorrected errors > 0                                              Warning
 *            grown defect list grew by ≥ 10                                      Bad
 *            grown defect list ≥ 1 (or grew)                                     Warning
 *   ATA SSD  an attribute failing now (value ≤ threshold, whenFailed "now")      Bad
 *            reported uncorrectable (187), pending (197) or offline
 *            uncorrectable (198) grew                                            Bad
 *            reported uncorrectable, pending or offline uncorrectable ≥ 1        Warning
 *            reallocated sectors (5) or reallocation events (196) grew           Warning
 *            program (171/181) or erase (172/182) fail count grew                Warning
 *            wear: normalized 173/177/231/233 ≤ 10                               Warning
 *
 * Where the thresholds come from:
 * - Critical-warning bits and the spare threshold are the device's own verdict (NVM Express Base
 *   Specification, SMART / Health Information log page, byte 0 "Critical Warning"; 100 % used = the
 *   vendor's endurance estimate consumed). A failed overall health check likewise (ATA SMART
 *   RETURN STATUS, SCSI informational exceptions).
 * - SCSI grown defect list (SBC: LBAs the drive reassigned in the field, beyond the factory list) is
 *   the counterpart of ATA reallocated sectors, and uncorrected errors of scan/read errors. Pinheiro,
 *   Weber, Barroso, "Failure Trends in a Large Disk Drive Population" (FAST'07): after the first
 *   reallocation a drive is ≈ 14× more likely to fail within 60 days, after the first scan error
 *   ≈ 39×; the critical threshold of both is one. Hence any grown defect is a Warning (60 days ≈ the
 *   Warning window), and growing uncorrected errors, the strongest signal, Bad. Backblaze's rule
 *   (raw 5/187/188/197/198 > 0, used as a baseline in this project) uses the same threshold of one.
 * - NVMe media errors (unrecovered data integrity errors) and ATA SSD uncorrectables: Schroeder,
 *   Lagisetty, Merchant, "Flash Reliability in Production: The Expected and the Unexpected"
 *   (FAST'16): uncorrectable errors are the SSD error type that matters, and prior ones predict
 *   more; bad blocks are common (so a static count of retired blocks alone does not warn, only
 *   growth). Any media error is a Warning.
 * - "Bad at +10 within the window" for defects and media errors is this project's choice (a fast
 *   growth rate), not a published figure: the studies above give risk ratios, not counts.
 * - ATA SSD rules, version 3, measured on Alibaba's 12,853 failed-SSD snapshots (one sample each, no
 *   thresholds, no health result; `diskpredict evaluate --ssd-snapshots`, docs/ssd-rules.md). There
 *   are no healthy SSDs in that data, so only the share flagged could be measured, not false alarms;
 *   hence no new Bad rule fires on a single sample, and every new rule has a healthy-drive argument:
 *   - 187/197/198 ≥ 1 → Warning (was: only growth, Bad): at failure, 187 > 0 in 10.7 % of the
 *     snapshots (C2 40 %, B1 28 %, C1 12 %), and in none of the 34 real ATA SSD outputs in the
 *     shared data. It is the ATA counterpart of NVMe media errors ≥ 1 → Warning, and Warning, not
 *     Bad, because FAST'16 found uncorrectable errors more common on flash drives than on disks,
 *     while flash drives are replaced less often.
 *     197 (pending) is the same event seen before a rewrite; it joins the family (0.2 % here).
 *   - 173 joins the wear indicators: Alibaba merges S173/S177/S233 as one "wearout" field, and 173
 *     (Micron/Crucial "Avg_Block-Erase_Count", Kingston, SanDisk) falls from 100 with wear like the
 *     others. Normalized ≤ 10 in 6.5 % of the snapshots (A3 71 %, A6 71 %: worn-out drives).
 *   - 171/172/181/182 growth → Warning: a program or erase failure retires a block, the event
 *     behind growing reallocations (5/196, Warning). Program fails > 0 in 10.4 % of the snapshots,
 *     but also in 1 of the 34 healthy-looking outputs, and 30–80 % of SSDs develop bad blocks
 *     within four years (FAST'16): a static count does not warn.
 *   Left out, and why: spare/reallocation normalized ≤ 10 (5/170/180: 8 snapshots, mostly rows
 *   with values missing or read as 0, and a healthy Micron 5210 reports 180 normalized 1); 184
 *   end-to-end errors (0.4 % of failed snapshots, but 1 of the 34 real outputs has one); 199 CRC
 *   errors (the cable, not the drive); 183, 195 and 175 (their meaning differs between vendors:
 *   SATA downshift vs runtime bad blocks, ECC recovered vs uncorrectable, capacitor test vs
 *   program fails).
 */
import type { DeviceHistory, NvmeHealth, RawInteger, SmartSample } from '../smart/types.js';
import { MS_PER_DAY } from '../util/utcTime.js';
import { sampleKind, type DeviceKind } from './deviceKind.js';
import { noSamplesPrediction, predictionFor, unknownPrediction } from './predictionFor.js';
import type { BatchPredictor, DailyPrediction, HealthStatus, ModelRef, Prediction, PredictionReason } from './types.js';

export const RULES_MODEL: ModelRef = { name: 'rules', version: '3' };

const WINDOW_DAYS = 30;
const WINDOW_MS = WINDOW_DAYS * MS_PER_DAY;
/** Growth within the window that makes a counter rule Bad (project choice, see above). */
const FAST_GROWTH = 10;
const BAD = 2;
const WARN = 1;
const LEVEL_NAME: Record<number, string> = { [BAD]: 'Bad', [WARN]: 'Warning' };

interface RuleResult {
  usable: boolean;
  reasons: PredictionReason[];
  /** values looked at, for the note of a Good verdict ("checked: …") */
  checked: string[];
}

interface Growth {
  delta: number;
  /** days between the two samples compared */
  days: number;
}

const num = (v: RawInteger | undefined): number | undefined => (v === undefined ? undefined : Number(v));

const fmtDays = (d: number): string => {
  const r = Math.round(d * 10) / 10;
  return `${r} day${r === 1 ? '' : 's'}`;
};

/** Growth of a value from the oldest sample in the 30-day window to the newest. */
function growth(samples: readonly SmartSample[], read: (s: SmartSample) => number | undefined): Growth | undefined {
  const last = samples[samples.length - 1]!;
  const now = read(last);
  if (now === undefined) return undefined;
  for (const s of samples) {
    if (s === last || s.time < last.time - WINDOW_MS) continue;
    const then = read(s);
    if (then !== undefined) return { delta: now - then, days: (last.time - s.time) / MS_PER_DAY };
  }
  return undefined;
}

function fired(out: PredictionReason[], feature: string, text: string, level: number, rule: string, value?: number): void {
  const stated = `${rule} → ${LEVEL_NAME[level]}`;
  const r: PredictionReason = { feature, text: `${text} (rule: ${stated})`, contribution: level, rule: stated };
  if (value !== undefined && Number.isFinite(value)) r.value = value;
  out.push(r);
}

/**
 * A counter where any value above 0 warns and growth warns or, when fast, is Bad (grown defects,
 * media errors). Exactly one reason per counter: the strongest rule that fired.
 */
function counterRules(
  samples: readonly SmartSample[],
  read: (s: SmartSample) => number | undefined,
  c: { feature: string; what: string; present: string; out: PredictionReason[]; checked: string[] },
): void {
  const now = read(samples[samples.length - 1]!);
  if (now === undefined) return;
  c.checked.push(`${c.what} ${now}`);
  const g = growth(samples, read);
  if (g !== undefined && g.delta >= FAST_GROWTH)
    fired(c.out, c.feature, `${c.what} grew by ${g.delta} in ${fmtDays(g.days)} (now ${now})`, BAD, `${c.what} grew by ≥ ${FAST_GROWTH} within ${WINDOW_DAYS} days`, now);
  else if (g !== undefined && g.delta > 0)
    fired(c.out, c.feature, `${c.what} grew by ${g.delta} in ${fmtDays(g.days)} (now ${now})`, WARN, `${c.what} grew`, now);
  else if (now > 0) fired(c.out, c.feature, `${c.what}: ${now}${g === undefined ? '' : `, unchanged in ${fmtDays(g.days)}`}`, WARN, c.present, now);
}

function nvmeRules(samples: readonly SmartSample[], out: PredictionReason[], checked: string[]): boolean {
  const h: NvmeHealth | undefined = samples[samples.length - 1]!.nvme;
  if (h === undefined) return false;
  const cw = h.criticalWarning;
  if (cw) {
    checked.push(`critical warning ${cw.raw}`);
    const bits: [boolean, number, string][] = [
      [cw.availableSpareLow, 0, 'available spare below threshold'],
      [cw.reliabilityDegraded, 2, 'NVM subsystem reliability degraded'],
      [cw.readOnly, 3, 'media placed in read-only mode'],
      [cw.volatileBackupFailed, 4, 'volatile memory backup failed'],
      [cw.persistentMemoryUnreliable, 5, 'persistent memory region unreliable'],
    ];
    for (const [set, bit, text] of bits)
      if (set) fired(out, 'nvme.critical_warning', `critical warning ${cw.raw}: ${text} (bit ${bit})`, BAD, `critical warning bit ${bit} set`, cw.raw);
    if (cw.temperature) fired(out, 'nvme.critical_warning', `critical warning ${cw.raw}: temperature outside its limits (bit 1)`, WARN, 'critical warning bit 1 set', cw.raw);
  }
  if (h.availableSpare !== undefined && h.availableSpareThreshold !== undefined) {
    checked.push(`available spare ${h.availableSpare}% (threshold ${h.availableSpareThreshold}%)`);
    if (h.availableSpare < h.availableSpareThreshold)
      fired(out, 'nvme.available_spare', `available spare ${h.availableSpare}% is below its threshold ${h.availableSpareThreshold}%`, BAD, 'available spare < its threshold', h.availableSpare);
  }
  counterRules(samples, (s) => num(s.nvme?.mediaErrors), {
    feature: 'nvme.media_errors',
    what: 'media and data integrity errors',
    present: 'media and data integrity errors ≥ 1',
    out,
    checked,
  });
  if (h.percentageUsed !== undefined) {
    checked.push(`percentage used ${h.percentageUsed}%`);
    if (h.percentageUsed >= 100) fired(out, 'nvme.percentage_used', `rated endurance used up (percentage used ${h.percentageUsed}%)`, WARN, 'percentage used ≥ 100', h.percentageUsed);
  }
  return true;
}

function scsiUncorrected(s: SmartSample): number | undefined {
  const parts = [s.scsi?.read?.uncorrected, s.scsi?.write?.uncorrected, s.scsi?.verify?.uncorrected].map(num).filter((v): v is number => v !== undefined);
  return parts.length ? parts.reduce((a, b) => a + b, 0) : undefined;
}

function scsiRules(samples: readonly SmartSample[], out: PredictionReason[], checked: string[]): boolean {
  const last = samples[samples.length - 1]!;
  if (last.scsi === undefined) return false;
  const unc = scsiUncorrected(last);
  if (unc !== undefined) {
    checked.push(`uncorrected errors ${unc}`);
    const g = growth(samples, scsiUncorrected);
    if (g !== undefined && g.delta > 0)
      fired(out, 'scsi.uncorrected_errors', `uncorrected read/write/verify errors grew by ${g.delta} in ${fmtDays(g.days)} (now ${unc})`, BAD, 'uncorrected errors grew', unc);
    else if (unc > 0) fired(out, 'scsi.uncorrected_errors', `${unc} uncorrected read/write/verify errors logged`, WARN, 'uncorrected errors ≥ 1', unc);
  }
  counterRules(samples, (s) => s.scsi?.grownDefects, {
    feature: 'scsi.grown_defects',
    what: 'grown defect list',
    present: 'grown defect list ≥ 1',
    out,
    checked,
  });
  return true;
}

function ataSsdRules(samples: readonly SmartSample[], out: PredictionReason[], checked: string[]): boolean {
  const ata = samples[samples.length - 1]!.ata;
  if (ata === undefined || ata.size === 0) return false;
  for (const a of ata.values()) {
    if (a.whenFailed === 'now')
      fired(out, `smart_${a.id}_normalized`, `attribute ${a.id}${a.name ? ` ${a.name}` : ''} is failing now (value ${a.value} ≤ threshold ${a.thresh})`, BAD, 'normalized value ≤ its threshold', a.value);
  }
  // Uncorrectable errors: any is a Warning, any growth Bad (187/198 growth was Bad in version 2 already).
  // Retired blocks: common on healthy drives, so only growth warns (`any`: null = a static count says nothing).
  for (const [id, text, grown, any] of [
    [187, 'reported uncorrectable errors', BAD, WARN],
    [197, 'pending sectors', BAD, WARN],
    [198, 'offline uncorrectable sectors', BAD, WARN],
    [5, 'reallocated sectors', WARN, null],
    [196, 'reallocation events', WARN, null],
    [171, 'program fails', WARN, null],
    [181, 'program fails', WARN, null],
    [172, 'erase fails', WARN, null],
    [182, 'erase fails', WARN, null],
  ] as const) {
    const read = (s: SmartSample): number | undefined => num(s.ata?.get(id)?.raw);
    const now = read(samples[samples.length - 1]!);
    if (now === undefined) continue;
    checked.push(`${text} (${id}) ${now}`);
    const g = growth(samples, read);
    if (g !== undefined && g.delta > 0) fired(out, `smart_${id}_raw`, `${text} (${id}) grew by ${g.delta} in ${fmtDays(g.days)} (now ${now})`, grown, `${text} (${id}) grew`, now);
    else if (any !== null && now > 0) fired(out, `smart_${id}_raw`, `${text} (${id}): ${now}${g === undefined ? '' : `, unchanged in ${fmtDays(g.days)}`}`, any, `${text} (${id}) ≥ 1`, now);
  }
  for (const id of [173, 177, 231, 233]) {
    const v = ata.get(id)?.value;
    if (v === undefined) continue;
    checked.push(`wear indicator (${id}) ${v}`);
    if (v <= 10) fired(out, `smart_${id}_normalized`, `wear indicator (${id}) at ${v}: little endurance left`, WARN, `wear indicator (${id}) ≤ 10`, v);
  }
  return true;
}

function evaluateRules(samples: readonly SmartSample[], kind: DeviceKind): RuleResult {
  const reasons: PredictionReason[] = [];
  const checked: string[] = [];
  const last = samples[samples.length - 1]!;
  let usable = false;
  if (last.healthPassed === false) {
    fired(reasons, 'smart_status', 'SMART overall health self-assessment failed', BAD, 'overall health failed');
    usable = true;
  } else if (last.healthPassed === true) {
    checked.push('overall health passed');
    usable = true;
  }
  if (kind === 'nvme') usable = nvmeRules(samples, reasons, checked) || usable;
  else if (kind === 'scsi') usable = scsiRules(samples, reasons, checked) || usable;
  else usable = ataSsdRules(samples, reasons, checked) || usable;
  // Stable sort: the strongest level first, then the order the rules are listed in.
  reasons.sort((a, b) => b.contribution - a.contribution);
  return { usable, reasons, checked };
}

function statusOf(reasons: readonly PredictionReason[]): 'Good' | 'Warning' | 'Bad' {
  const top = reasons[0]?.contribution ?? 0;
  return top >= BAD ? 'Bad' : top >= WARN ? 'Warning' : 'Good';
}

function unusableReason(kind: DeviceKind): string {
  return `no usable ${kind} health data in the latest sample (no overall health result and no ${kind === 'nvme' ? 'NVMe health log' : kind === 'scsi' ? 'SCSI error counters' : 'SMART attributes'})`;
}

export class RulesPredictor implements BatchPredictor {
  readonly model = RULES_MODEL;

  predict(history: DeviceHistory): Prediction {
    const samples = [...history.samples].sort((a, b) => a.time - b.time);
    if (samples.length === 0) return noSamplesPrediction(this.model, history);
    const kind = sampleKind(samples[samples.length - 1]!);
    const r = evaluateRules(samples, kind);
    if (!r.usable) return unknownPrediction(this.model, unusableReason(kind), samples.length);
    const status = statusOf(r.reasons);
    const what = `rule scorer for ${kind} devices: a rule level, not a probability (no failure data to train a model on)`;
    const note = status === 'Good' ? `${what}; no rule fired; checked: ${r.checked.join(', ')}` : what;
    return predictionFor(status, null, null, r.reasons, this.model, samples.length, note);
  }

  predictEachDay(history: DeviceHistory): DailyPrediction[] {
    const samples = [...history.samples].sort((a, b) => a.time - b.time);
    return samples.map((s, i) => {
      const kind = sampleKind(s);
      const r = evaluateRules(samples.slice(0, i + 1), kind);
      if (!r.usable) return { time: s.time, p14: null, p42: null, status: 'Unknown' as HealthStatus, reason: unusableReason(kind) };
      return { time: s.time, p14: null, p42: null, status: statusOf(r.reasons) };
    });
  }
}
