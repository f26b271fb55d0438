/**
 * What the input did that the run worked around, by reason, with a few examples each, so an
 * operator sees every drive or row left out and why instead of a crash or a silent gap.
 */

/** `skipped`: left out of the results; `handled`: kept after a repair (e.g. duplicate rows merged). */
export type IssueKind = 'skipped' | 'handled';

export interface IssueCount {
  kind: IssueKind;
  reason: string;
  /** what is being counted: "files", "rows", "drives", "drive-days" */
  unit: string;
  count: number;
  examples: string[];
}

const MAX_EXAMPLES = 3;

export class IssueTally {
  private readonly byReason = new Map<string, IssueCount>();

  add(kind: IssueKind, reason: string, unit: string, example?: string, count = 1): void {
    const key = `${kind}\u0000${reason}\u0000${unit}`;
    let entry = this.byReason.get(key);
    if (!entry) {
      entry = { kind, reason, unit, count: 0, examples: [] };
      this.byReason.set(key, entry);
    }
    entry.count += count;
    if (example !== undefined && entry.examples.length < MAX_EXAMPLES) entry.examples.push(example);
  }

  count(kind: IssueKind, reason: string, unit: string): number {
    return this.byReason.get(`${kind}\u0000${reason}\u0000${unit}`)?.count ?? 0;
  }

  /** Skipped first, then the largest counts. */
  list(): IssueCount[] {
    return [...this.byReason.values()].sort((a, b) => (a.kind === b.kind ? b.count - a.count : a.kind === 'skipped' ? -1 : 1));
  }
}
