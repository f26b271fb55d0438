/**
 * Ignored attributes and accepted baselines, applied to a history's samples before any predictor reads them:
 * an ignored attribute is removed from every sample (an ATA attribute from the table and from Ceph's day dict, a
 * named field from its log), a baseline is subtracted from every sample's value, clamped at 0, so a drive with 8
 * known reallocated sectors reads as 0 until it reallocates more. The input is never modified: changed samples
 * are shallow copies.
 */
import type { AtaAttribute, DeviceHistory, RawInteger, ScsiCounters, ScsiErrorCounters, SmartSample } from '../../smart/types.js';
import { ataAttributeId } from './attributeName.js';

export interface SampleAdjustments {
  /** canonical attribute names */
  ignore: ReadonlySet<string>;
  /** canonical attribute name → accepted value */
  baseline: ReadonlyMap<string, number>;
}

function minus(v: RawInteger, by: number): RawInteger {
  if (typeof v === 'bigint') {
    const r = v - BigInt(by);
    return r > 0n ? (r <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(r) : r) : 0;
  }
  return Math.max(0, v - by);
}

/** ATA attribute ids named by the adjustments (ignored or baselined). */
function ataIdsOf(a: SampleAdjustments): number[] {
  return [...a.ignore, ...a.baseline.keys()].map(ataAttributeId).filter((id): id is number => id !== undefined);
}

function ataAdjusted(ata: Map<number, AtaAttribute>, a: SampleAdjustments): Map<number, AtaAttribute> {
  const out = new Map(ata);
  for (const name of a.ignore) {
    const id = ataAttributeId(name);
    if (id !== undefined) out.delete(id);
  }
  for (const [name, by] of a.baseline) {
    const id = ataAttributeId(name);
    const attr = id === undefined ? undefined : out.get(id);
    if (attr === undefined || a.ignore.has(name)) continue;
    // A vendor-packed raw is read through its decoded number (lib/features/attributeValue.ts): the baseline is in
    // those units. A plain counter's raw is the number itself; its text follows it.
    if (attr.decoded !== undefined) out.set(id!, { ...attr, decoded: Math.max(0, attr.decoded - by) });
    else if (attr.raw !== undefined) {
      const raw = minus(attr.raw, by);
      out.set(id!, { ...attr, raw, rawString: String(raw) });
    }
  }
  return out;
}

function cephAdjusted(ceph: NonNullable<SmartSample['ceph']>, a: SampleAdjustments): NonNullable<SmartSample['ceph']> {
  const out = { ...ceph };
  for (const name of a.ignore) {
    if (ataAttributeId(name) === undefined) continue;
    delete out[`${name}_raw`];
    delete out[`${name}_normalized`];
  }
  for (const [name, by] of a.baseline) {
    const key = `${name}_raw`;
    const v = out[key];
    if (ataAttributeId(name) !== undefined && !a.ignore.has(name) && (typeof v === 'number' || typeof v === 'bigint')) out[key] = minus(v, by);
  }
  return out;
}

/** Subtracts `by` from read, then write, then verify uncorrected errors: their sum drops by `by`, clamped at 0. */
function scsiUncorrectedMinus(scsi: ScsiCounters, by: number): ScsiCounters {
  const out: ScsiCounters = { ...scsi };
  let left = by;
  for (const key of ['read', 'write', 'verify'] as const) {
    const c: ScsiErrorCounters | undefined = scsi[key];
    if (c?.uncorrected === undefined || left <= 0) continue;
    const v = c.uncorrected;
    const take = typeof v === 'bigint' ? (v > BigInt(left) ? left : Number(v)) : Math.min(v, left);
    out[key] = { ...c, uncorrected: minus(v, take) };
    left -= take;
  }
  return out;
}

/** What an adjustment set touches, worked out once per history: a sample's parts it does not touch are shared, not copied. */
interface Touches {
  ataIds: number[];
  nvme: boolean;
  scsi: boolean;
  healthPassed: boolean;
}

function touchesOf(a: SampleAdjustments): Touches {
  const names = [...a.ignore, ...a.baseline.keys()];
  return { ataIds: ataIdsOf(a), nvme: names.some((n) => n.startsWith('nvme.')), scsi: names.some((n) => n.startsWith('scsi.')), healthPassed: a.ignore.has('smart_status') };
}

function adjustSample(s: SmartSample, a: SampleAdjustments, t: Touches): SmartSample {
  const out: SmartSample = { ...s };
  if (s.ata !== undefined && t.ataIds.some((id) => s.ata!.has(id))) out.ata = ataAdjusted(s.ata, a);
  // Ceph's day dict is large and slow to copy: only when it holds a named attribute.
  if (s.ceph !== undefined && t.ataIds.some((id) => `smart_${id}_raw` in s.ceph! || `smart_${id}_normalized` in s.ceph!)) out.ceph = cephAdjusted(s.ceph, a);
  if (t.healthPassed) delete out.healthPassed;
  if (s.nvme !== undefined && t.nvme) {
    const nvme = { ...s.nvme };
    if (a.ignore.has('nvme.critical_warning')) delete nvme.criticalWarning;
    if (a.ignore.has('nvme.available_spare')) {
      delete nvme.availableSpare;
      delete nvme.availableSpareThreshold;
    }
    if (a.ignore.has('nvme.percentage_used')) delete nvme.percentageUsed;
    if (a.ignore.has('nvme.media_errors')) delete nvme.mediaErrors;
    else {
      const by = a.baseline.get('nvme.media_errors');
      if (by !== undefined && nvme.mediaErrors !== undefined) nvme.mediaErrors = minus(nvme.mediaErrors, by);
    }
    out.nvme = nvme;
  }
  if (s.scsi !== undefined && t.scsi) {
    let scsi: ScsiCounters = { ...s.scsi };
    if (a.ignore.has('scsi.grown_defects')) delete scsi.grownDefects;
    else {
      const by = a.baseline.get('scsi.grown_defects');
      if (by !== undefined && scsi.grownDefects !== undefined) scsi.grownDefects = Math.max(0, scsi.grownDefects - by);
    }
    if (a.ignore.has('scsi.uncorrected_errors')) {
      for (const key of ['read', 'write', 'verify'] as const) {
        const c = scsi[key];
        if (c?.uncorrected === undefined) continue;
        const { uncorrected: _dropped, ...rest } = c;
        scsi[key] = rest;
      }
    } else {
      const by = a.baseline.get('scsi.uncorrected_errors');
      if (by !== undefined) scsi = scsiUncorrectedMinus(scsi, by);
    }
    out.scsi = scsi;
  }
  return out;
}

export function adjustHistory(history: DeviceHistory, a: SampleAdjustments): DeviceHistory {
  if (a.ignore.size === 0 && a.baseline.size === 0) return history;
  const t = touchesOf(a);
  return { ...history, samples: history.samples.map((s) => adjustSample(s, a, t)) };
}

/** The attribute's value in a sample as the predictors read it (for "reported 8, read as 0"). */
export function attributeValueIn(s: SmartSample, name: string): number | undefined {
  const id = ataAttributeId(name);
  if (id !== undefined) {
    const attr = s.ata?.get(id);
    if (attr === undefined) return undefined;
    if (attr.decoded !== undefined) return attr.decoded;
    return attr.raw === undefined ? undefined : Number(attr.raw);
  }
  switch (name) {
    case 'nvme.media_errors':
      return s.nvme?.mediaErrors === undefined ? undefined : Number(s.nvme.mediaErrors);
    case 'scsi.grown_defects':
      return s.scsi?.grownDefects;
    case 'scsi.uncorrected_errors': {
      const parts = [s.scsi?.read, s.scsi?.write, s.scsi?.verify].map((c) => c?.uncorrected).filter((v): v is RawInteger => v !== undefined);
      return parts.length ? parts.reduce<number>((sum, v) => sum + Number(v), 0) : undefined;
    }
    default:
      return undefined;
  }
}
