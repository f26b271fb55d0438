/**
 * The attribute names an override can name: the ones predictions show in `reasons[].feature`, reduced to the
 * attribute they read. `smart_<id>` is ATA attribute <id> (a reason's `smart_5_raw` or `smart_197_raw_delta7`
 * names `smart_5` / `smart_197`); the others are the NVMe health log, SCSI counters and the overall health check
 * as the rule scorer names them.
 */
export class OverrideAttributeError extends Error {
  override readonly name = 'OverrideAttributeError';
}

/** Named fields (not ATA attributes), and whether a baseline makes sense for them (counters only). */
const FIELDS: Readonly<Record<string, { what: string; counter: boolean }>> = {
  smart_status: { what: 'overall health self-assessment', counter: false },
  'nvme.critical_warning': { what: 'NVMe critical warning', counter: false },
  'nvme.available_spare': { what: 'NVMe available spare', counter: false },
  'nvme.percentage_used': { what: 'NVMe percentage used', counter: false },
  'nvme.media_errors': { what: 'NVMe media and data integrity errors', counter: true },
  'scsi.grown_defects': { what: 'SCSI grown defect list', counter: true },
  'scsi.uncorrected_errors': { what: 'SCSI uncorrected read/write/verify errors', counter: true },
};

export const FIELD_ATTRIBUTES: readonly string[] = Object.keys(FIELDS);
export const BASELINE_FIELDS: readonly string[] = FIELD_ATTRIBUTES.filter((f) => FIELDS[f]!.counter);

// The suffixes of the model's per-attribute features (lib/features/featurizeColumns.ts) and of the rules' reasons.
const ATA_FEATURE = /^smart_(\d{1,3})(?:_(?:raw|normalized|raw_delta\d+|raw_grew|raw_mean6|raw_std6|raw_cv6))?$/;

/** ATA attribute id of a canonical `smart_<id>` name, else undefined. */
export function ataAttributeId(name: string): number | undefined {
  const m = /^smart_(\d+)$/.exec(name);
  return m ? Number(m[1]) : undefined;
}

/** The attribute a name (or a reason's feature) reads, canonical: `smart_<id>` or one of FIELD_ATTRIBUTES. */
export function canonicalAttribute(text: string, forBaseline = false): string {
  const name = text.trim().toLowerCase();
  const m = ATA_FEATURE.exec(name);
  if (m) {
    const id = Number(m[1]);
    if (id < 1 || id > 255) throw new OverrideAttributeError(`attribute "${text}": ATA attribute ids are 1 to 255`);
    return `smart_${id}`;
  }
  const field = FIELDS[name];
  if (field === undefined) {
    const hint = name.startsWith('error_') ? ' (it sums attributes 5/187/188/197/198: name those instead)' : '';
    throw new OverrideAttributeError(`unknown attribute "${text}"${hint}; known: smart_<id> (ATA attribute 1-255, e.g. smart_5), ${FIELD_ATTRIBUTES.join(', ')}`);
  }
  if (forBaseline && !field.counter) {
    throw new OverrideAttributeError(`attribute "${text}" is not a counter, so it has no baseline to accept (baselines: smart_<id>, ${BASELINE_FIELDS.join(', ')}); ignore it instead`);
  }
  return name;
}

/** "NVMe media and data integrity errors (nvme.media_errors)", "ATA attribute 5 (smart_5)". */
export function describeAttribute(name: string): string {
  const id = ataAttributeId(name);
  return id !== undefined ? `ATA attribute ${id} (${name})` : `${FIELDS[name]?.what ?? name} (${name})`;
}

/** The attribute a reason's feature reads, or undefined when it reads none (`error_raw_sum`, `capacity_tb`, …). */
export function attributeOfFeature(feature: string): string | undefined {
  try {
    return canonicalAttribute(feature);
  } catch {
    return undefined;
  }
}
