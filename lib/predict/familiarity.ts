/**
 * Whether a drive's model, family or vendor was among the drives a model was fitted on. A prediction
 * on a drive the model never saw is an extrapolation; saying so lets an operator (and the model's
 * per-familiarity thresholds) treat it with more caution.
 *
 * Model strings differ between sources for the same drive: Backblaze writes "HGST HMS5C4040BLE640"
 * and "ST4000DM000", smartctl "HMS5C4040BLE640" and "ST4000DM000-1F2168". `normalizeDriveModel`
 * maps both onto one part number: upper case, runs of spaces collapsed, a leading brand word
 * dropped, and, when one token is left, a trailing "-suffix" (Seagate's and WD's revision codes)
 * dropped.
 *
 * Families are part-number series (`driveFamilyOf`), per vendor:
 *  - Seagate HDD  `ST<capacity><2 letters><digits>`  → "seagate:DM" (ST4000DM000, ST8000DM002),
 *    "seagate:NM" (ST8000NM0055, ST12000NM0008); older `ST<digits><2 letters>` → "seagate:AS" (ST31500541AS);
 *  - HGST/Hitachi `H<2 letters><digit><digit or letter>…` → its first five characters: "hgst:HMS5C",
 *    "hgst:HDS72", "hgst:HUH72", "hgst:HUA72", "hgst:HUS72" (Hitachi and HGST are one lineage, one vendor here);
 *  - WD           `WD<capacity><4 letters>` → "wdc:EFRX", "wdc:EFAX", "wdc:PURX"; Ultrastar DC `WU[HS]<2 digits>` → "wdc:WUH72";
 *  - Toshiba      `M[A-Z]<2 digits><3 letters>` → "toshiba:MQ01ABF", "toshiba:MG07ACA"; `DT01ACA`, `AL15SEB` alike;
 *    `HDW<letter>` → "toshiba:HDWF".
 * Anything else has no family (familiarity then goes by vendor).
 */
import type { DeviceHistory, Vendor } from '../smart/types.js';
import { inferVendor } from '../smart/vendor.js';

export type Familiarity = 'model' | 'family' | 'vendor' | 'none';

export const FAMILIARITIES: readonly Familiarity[] = ['model', 'family', 'vendor', 'none'];

export interface DriveIdentity {
  model?: string | undefined;
  /** the reader's vendor (SCSI vendor field, brand word or part-number prefix); 'unknown' or absent: inferred from the model */
  vendor?: Vendor | undefined;
}

/** What one model was fitted on, normalized once per loaded model. */
export interface TrainedDriveModels {
  readonly models: ReadonlySet<string>;
  readonly families: ReadonlySet<string>;
  readonly vendors: ReadonlySet<string>;
}

/** Brand words Backblaze (and smartctl, for some drives) put before the part number. */
const LEADING_BRANDS = new Set(['HGST', 'HITACHI', 'TOSHIBA', 'WDC', 'SEAGATE', 'SAMSUNG', 'INTEL']);

export function normalizeDriveModel(model: string): string {
  let words = model.trim().toUpperCase().split(/\s+/).filter((w) => w !== '');
  if (words.length > 1 && LEADING_BRANDS.has(words[0]!)) words = words.slice(1);
  if (words.length === 1) return words[0]!.replace(/^([A-Z0-9]+)-[A-Z0-9]+$/, '$1');
  return words.join(' ');
}

/** Vendors of one lineage count as one (HGST was Hitachi's drive business). */
function vendorGroup(vendor: Vendor): string | undefined {
  if (vendor === 'unknown') return undefined;
  return vendor === 'hitachi' ? 'hgst' : vendor;
}

function vendorOf(identity: DriveIdentity): string | undefined {
  const given = identity.vendor !== undefined && identity.vendor !== 'unknown' ? identity.vendor : undefined;
  return vendorGroup(given ?? (identity.model ? inferVendor(identity.model) : 'unknown'));
}

// [vendor group, part-number pattern (on the normalized model), capture → series]
const FAMILY_RULES: ReadonlyArray<readonly [string, RegExp]> = [
  ['seagate', /^ST\d+([A-Z]{2})\d/],
  ['seagate', /^ST\d+([A-Z]{2})$/],
  ['hgst', /^(H[A-Z]{2}\d[0-9A-Z])\d/],
  ['wdc', /^WD\d+([A-Z]{4})/],
  ['wdc', /^(WU[HS]\d\d)/],
  ['toshiba', /^((?:M[A-Z]|DT|AL)\d\d[A-Z]{3})/],
  ['toshiba', /^(HDW[A-Z])/],
];

/** The drive's part-number series, e.g. "seagate:DM", "hgst:HMS5C", "toshiba:MQ01ABF"; undefined when no rule knows it. */
export function driveFamilyOf(model: string, vendor?: Vendor): string | undefined {
  const group = vendorOf({ model, vendor });
  if (group === undefined) return undefined;
  const part = normalizeDriveModel(model);
  for (const [ruleVendor, pattern] of FAMILY_RULES) {
    if (ruleVendor !== group) continue;
    const m = pattern.exec(part);
    if (m) return `${group}:${m[1]}`;
  }
  return undefined;
}

/** Built once per loaded model from the model file's `training.driveModels`. */
export function trainedDriveModels(driveModels: readonly string[]): TrainedDriveModels {
  const models = new Set<string>();
  const families = new Set<string>();
  const vendors = new Set<string>();
  for (const m of driveModels) {
    models.add(normalizeDriveModel(m));
    const family = driveFamilyOf(m);
    if (family !== undefined) families.add(family);
    const vendor = vendorOf({ model: m });
    if (vendor !== undefined) vendors.add(vendor);
  }
  return { models, families, vendors };
}

/** The closest of model, family, vendor the training drives share with this drive; 'none' without a model string. */
export function familiarityOf(identity: DriveIdentity, trained: TrainedDriveModels): Familiarity {
  const model = identity.model?.trim();
  if (!model) return 'none';
  if (trained.models.has(normalizeDriveModel(model))) return 'model';
  const family = driveFamilyOf(model, identity.vendor);
  if (family !== undefined && trained.families.has(family)) return 'family';
  const vendor = vendorOf({ model, vendor: identity.vendor });
  if (vendor !== undefined && trained.vendors.has(vendor)) return 'vendor';
  return 'none';
}

/** The identity of the newest sample that names a model (a drive does not change model; older samples may lack it). */
export function driveIdentityOf(history: DeviceHistory): DriveIdentity {
  for (let i = history.samples.length - 1; i >= 0; i--) {
    const d = history.samples[i]!.device;
    if (d.model?.trim()) return { model: d.model, vendor: d.vendor };
  }
  return {};
}
