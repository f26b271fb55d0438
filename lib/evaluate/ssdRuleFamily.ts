/**
 * Which family of SSD evidence a rule-scorer reason belongs to, so a measurement can say which
 * kind of evidence flagged the drives (wear, retired blocks, uncorrectable errors, …) rather than
 * list attribute IDs. Read from the reason's `feature` (`smart_<id>_raw`, `nvme.media_errors`, …)
 * and `rule`; the rule scorer itself does not depend on it.
 */
import type { PredictionReason } from '../predict/types.js';

export type SsdRuleFamily =
  | 'health'
  | 'failing-attribute'
  | 'uncorrectable'
  | 'reallocation'
  | 'program-erase-fail'
  | 'wear'
  | 'nvme-critical-warning'
  | 'nvme-spare'
  | 'nvme-media-errors'
  | 'scsi-errors'
  | 'other';

export const SSD_RULE_FAMILY_LABEL: Readonly<Record<SsdRuleFamily, string>> = {
  health: 'overall SMART health failed',
  'failing-attribute': 'attribute at/below its threshold',
  uncorrectable: 'uncorrectable / pending (187, 197, 198)',
  reallocation: 'reallocated / retired blocks (5, 196)',
  'program-erase-fail': 'program / erase fails (171, 172, 181, 182)',
  wear: 'wear / life left (173, 177, 231, 233)',
  'nvme-critical-warning': 'NVMe critical warning',
  'nvme-spare': 'NVMe available spare',
  'nvme-media-errors': 'NVMe media errors',
  'scsi-errors': 'SCSI defects / uncorrected errors',
  other: 'other',
};

const BY_ATTRIBUTE: ReadonlyMap<number, SsdRuleFamily> = new Map([
  [187, 'uncorrectable'],
  [197, 'uncorrectable'],
  [198, 'uncorrectable'],
  [5, 'reallocation'],
  [196, 'reallocation'],
  [171, 'program-erase-fail'],
  [172, 'program-erase-fail'],
  [181, 'program-erase-fail'],
  [182, 'program-erase-fail'],
  [173, 'wear'],
  [177, 'wear'],
  [231, 'wear'],
  [233, 'wear'],
]);

export function ssdRuleFamily(reason: PredictionReason): SsdRuleFamily {
  const f = reason.feature;
  if (f === 'smart_status') return 'health';
  // The threshold rule names the attribute it read; what counts is that the drive itself calls it failing.
  if (reason.rule?.startsWith('normalized value ≤ its threshold')) return 'failing-attribute';
  const m = /^smart_(\d+)_/.exec(f);
  if (m) return BY_ATTRIBUTE.get(Number(m[1])) ?? 'other';
  if (f === 'nvme.critical_warning') return 'nvme-critical-warning';
  if (f === 'nvme.available_spare') return 'nvme-spare';
  if (f === 'nvme.media_errors') return 'nvme-media-errors';
  if (f.startsWith('scsi.')) return 'scsi-errors';
  return 'other';
}
