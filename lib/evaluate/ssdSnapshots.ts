/**
 * The rule scorer on Alibaba's failed-SSD snapshots (`diskpredict evaluate --ssd-snapshots FILE`):
 * the share of snapshots it flags Bad, Warning, Bad-or-Warning — overall, per anonymised model,
 * per anonymised vendor — which families of rules fired, and how the attributes look at failure.
 *
 * Every drive in that file failed; there is no healthy SSD in it. So this measures detection only:
 * a false-alarm rate cannot be computed from it, and a rule that flags more here is not shown to
 * be better (a rule that flags every drive would score 100 %). The result says so in `note`.
 */
import { RulesPredictor } from '../predict/rulesPredictor.js';
import type { HealthStatus, ModelRef, Predictor } from '../predict/types.js';
import { streamAlibabaSsdRows, type AlibabaSsdBadRow, type AlibabaSsdSnapshot } from '../smart/alibabaSsdCsv.js';
import type { RawInteger } from '../smart/types.js';
import { IssueTally, type IssueCount } from './issueTally.js';
import { SSD_RULE_FAMILY_LABEL, ssdRuleFamily, type SsdRuleFamily } from './ssdRuleFamily.js';

export const NO_HEALTHY_SSD_NOTE =
  'every snapshot is of a failed SSD: there are no healthy SSDs in this data, so only detection (share of failed drives flagged) is reported, not false-alarm rates';

export interface SsdShareRow {
  /** `all`, a model code (`C1`) or a vendor letter (`C`) */
  group: string;
  snapshots: number;
  bad: number;
  warning: number;
  good: number;
  unknown: number;
  /** shares of all snapshots in the group (Unknown counts in the denominator: it detected nothing) */
  badShare: number;
  warningShare: number;
  flaggedShare: number;
}

export interface SsdFamilyRow {
  family: SsdRuleFamily;
  label: string;
  /** snapshots where a rule of this family fired, at any level */
  fired: number;
  /** … and where it fired at Bad */
  firedBad: number;
  share: number;
  /** `fired` per model code */
  byModel: Record<string, number>;
}

export interface SsdAttributeRow {
  /** ATA attribute ID (merged Alibaba fields at the ID the reader put them: 170, 171, 172, 173) */
  id: number;
  name?: string;
  /** snapshots carrying a raw or normalized value of it */
  present: number;
  rawAboveZero: number;
  normalizedAtMost10: number;
}

export interface SsdSnapshotResult {
  file: string;
  model: ModelRef;
  note: string;
  /** rows labelled healthy (failure 0): left out, counted here (none in Alibaba's published file) */
  healthySnapshots: number;
  /** failed snapshots scored */
  snapshots: number;
  /** rows with no SMART value at all (the scorer says Unknown for them) */
  withoutSmart: number;
  overall: SsdShareRow;
  byModel: SsdShareRow[];
  byVendor: SsdShareRow[];
  byFamily: SsdFamilyRow[];
  attributes: SsdAttributeRow[];
  unknownReasons: { reason: string; count: number }[];
  issues: IssueCount[];
}

export interface SsdSnapshotOptions {
  /** default: the rule scorer, which answers for SSDs under every model */
  predictor?: Predictor;
}

const FAMILY_ORDER = Object.keys(SSD_RULE_FAMILY_LABEL) as SsdRuleFamily[];

class ShareCounter {
  snapshots = 0;
  readonly counts: Record<HealthStatus, number> = { Bad: 0, Warning: 0, Good: 0, Unknown: 0 };

  add(status: HealthStatus): void {
    this.snapshots++;
    this.counts[status]++;
  }

  row(group: string): SsdShareRow {
    const n = this.snapshots;
    const share = (k: number): number => (n > 0 ? k / n : NaN);
    const { Bad: bad, Warning: warning, Good: good, Unknown: unknown } = this.counts;
    return { group, snapshots: n, bad, warning, good, unknown, badShare: share(bad), warningShare: share(warning), flaggedShare: share(bad + warning) };
  }
}

const positive = (v: RawInteger | undefined): boolean => v !== undefined && (typeof v === 'bigint' ? v > 0n : v > 0);

/** Scores snapshots already read (the pure part: tests feed it constructed snapshots). */
export function tallySsdSnapshots(snapshots: Iterable<AlibabaSsdSnapshot>, options: SsdSnapshotOptions & { file?: string; issues?: IssueTally } = {}): SsdSnapshotResult {
  const predictor = options.predictor ?? new RulesPredictor();
  const overall = new ShareCounter();
  const byModel = new Map<string, ShareCounter>();
  const byVendor = new Map<string, ShareCounter>();
  const families = new Map<SsdRuleFamily, { fired: number; firedBad: number; byModel: Record<string, number> }>();
  const attributes = new Map<number, SsdAttributeRow>();
  const unknownReasons = new Map<string, number>();
  let withoutSmart = 0;
  let healthy = 0;
  const counter = (m: Map<string, ShareCounter>, key: string): ShareCounter => {
    let c = m.get(key);
    if (!c) m.set(key, (c = new ShareCounter()));
    return c;
  };
  for (const snap of snapshots) {
    // Detection is measured on failed drives only; a healthy row would count as a detection or a miss.
    if (snap.history.samples[0]?.failure !== true) {
      healthy++;
      continue;
    }
    const p = predictor.predict(snap.history);
    overall.add(p.status);
    counter(byModel, snap.model).add(p.status);
    counter(byVendor, snap.vendor).add(p.status);
    if (!snap.hasSmart) withoutSmart++;
    if (p.status === 'Unknown') {
      const why = p.reason ?? 'no reason given';
      unknownReasons.set(why, (unknownReasons.get(why) ?? 0) + 1);
    }
    // A family counts once per snapshot, at the strongest level any of its rules reached.
    const seen = new Map<SsdRuleFamily, boolean>();
    for (const r of p.reasons) {
      const fam = ssdRuleFamily(r);
      seen.set(fam, (seen.get(fam) ?? false) || r.contribution >= 2);
    }
    for (const [fam, bad] of seen) {
      let f = families.get(fam);
      if (!f) families.set(fam, (f = { fired: 0, firedBad: 0, byModel: {} }));
      f.fired++;
      if (bad) f.firedBad++;
      f.byModel[snap.model] = (f.byModel[snap.model] ?? 0) + 1;
    }
    for (const a of snap.history.samples[0]?.ata?.values() ?? []) {
      let row = attributes.get(a.id);
      if (!row) {
        row = { id: a.id, present: 0, rawAboveZero: 0, normalizedAtMost10: 0 };
        if (a.name !== undefined) row.name = a.name;
        attributes.set(a.id, row);
      }
      row.present++;
      if (positive(a.raw)) row.rawAboveZero++;
      if (a.value !== undefined && a.value <= 10) row.normalizedAtMost10++;
    }
  }
  const n = overall.snapshots;
  const rows = (m: Map<string, ShareCounter>): SsdShareRow[] => [...m.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, c]) => c.row(k));
  return {
    file: options.file ?? '',
    model: predictor.model,
    note: healthy === 0 ? NO_HEALTHY_SSD_NOTE : `${healthy} rows labelled healthy (failure 0) were left out: this measures detection on the failed SSDs only, not false alarms`,
    healthySnapshots: healthy,
    snapshots: n,
    withoutSmart,
    overall: overall.row('all'),
    byModel: rows(byModel),
    byVendor: rows(byVendor),
    byFamily: FAMILY_ORDER.filter((f) => families.has(f)).map((family) => {
      const f = families.get(family)!;
      return { family, label: SSD_RULE_FAMILY_LABEL[family], fired: f.fired, firedBad: f.firedBad, share: n > 0 ? f.fired / n : NaN, byModel: f.byModel };
    }),
    attributes: [...attributes.values()].sort((a, b) => a.id - b.id),
    unknownReasons: [...unknownReasons.entries()].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count),
    issues: options.issues?.list() ?? [],
  };
}

/** Reads the file (skipping garbled rows, counted in `issues`) and scores every snapshot. */
export async function evaluateSsdSnapshots(file: string, options: SsdSnapshotOptions = {}): Promise<SsdSnapshotResult> {
  const issues = new IssueTally();
  const onBadRow = (bad: AlibabaSsdBadRow): void => issues.add('skipped', `garbled row: ${bad.message.replace(/".*"$/, '"…"')}`, 'rows', `line ${bad.line}`);
  const snapshots: AlibabaSsdSnapshot[] = [];
  for await (const s of streamAlibabaSsdRows(file, { onBadRow })) snapshots.push(s);
  return tallySsdSnapshots(snapshots, { ...options, file, issues });
}
