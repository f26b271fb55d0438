/**
 * Ceph's PSDiskFailurePredictor: day-to-day differences of the raw SMART attributes every day
 * carries, fed to the SVMs whose attribute lists match best; votes → `2^k − n` → verdict.
 * Semantics (quirks included) as in ../shared/data/golden/README.md, section "PS".
 */
import type { CephDayDict } from '../../smart/cephDayDict.js';
import { pyFloat, pyInt } from './pythonNumbers.js';
import type { ProphetStorModels, SvcModel } from './modelTypes.js';
import { svcClass, svcDecisions } from './svc.js';

const EXCLUDED = new Set(['smart_9_raw', 'smart_241_raw', 'smart_242_raw']);

export type ProphetStorReason = 'too_few_matched_attributes';

export interface ProphetStorResult {
  verdict: 'Good' | 'Warning' | 'Bad' | 'Unknown';
  reason: ProphetStorReason | null;
  /** attributes the diffs were taken over, sorted by attribute id */
  attributes: string[];
  maxScore: number;
  /** config.json order */
  modelsUsed: string[];
  votes: Record<string, 0 | 1>;
  /** 2^sum(votes) − models used; null when not computed */
  score: number | null;
  /** per model, scikit-learn's decision_function of each diff row (≥ 0 ⇔ class 1) */
  decisions: Record<string, number[]>;
}

function attrId(a: string): number {
  return Number(a.slice('smart_'.length, -'_raw'.length));
}

/** Attributes in every day, raw, not excluded, and ≥ 0 on every day. */
export function prophetStorAttributes(days: CephDayDict[]): string[] {
  const first = days[0];
  if (!first) return [];
  const out: string[] = [];
  for (const a of Object.keys(first)) {
    if (!a.startsWith('smart_') || !a.endsWith('_raw') || EXCLUDED.has(a)) continue;
    if (days.every((d) => a in d && pyFloat(d[a]!, a) >= 0)) out.push(a);
  }
  return out.sort((x, y) => attrId(x) - attrId(y) || (x < y ? -1 : x > y ? 1 : 0));
}

/** Row i = day[i+1] − day[i] (older minus newer with DPL's newest-first list), exact. */
export function prophetStorDiffs(days: CephDayDict[], attrs: string[]): Map<string, bigint>[] {
  const rows: Map<string, bigint>[] = [];
  for (let i = 0; i + 1 < days.length; i++) {
    const row = new Map<string, bigint>();
    for (const a of attrs) row.set(a, pyInt(days[i + 1]![a]!, a) - pyInt(days[i]![a]!, a));
    rows.push(row);
  }
  return rows;
}

/**
 * The diffs as the SVMs read them: Number of each exact difference, nRows × attrs.length, row-major
 * (Python's float(int), as numpy does when scikit-learn converts the rows).
 */
function numericDiffs(diffs: Map<string, bigint>[], attrs: string[]): Float64Array {
  const out = new Float64Array(diffs.length * attrs.length);
  diffs.forEach((row, r) => attrs.forEach((a, c) => (out[r * attrs.length + c] = Number(row.get(a)!))));
  return out;
}

/**
 * Decision values already computed, per SVM and input row: a device's diff rows repeat (steady
 * counters give all-zero rows on most devices; each new day of a history re-reads the previous
 * days' rows), and the kernel over ~2,300 support vectors is nearly all of a prediction's time.
 * Same input, same arithmetic, same value. Bounded (a few MB at most for Ceph's 75 models): a full table is
 * emptied and refilled.
 */
const memo = new WeakMap<SvcModel, Map<string, number>>();
const SVC_MEMO_ROWS = 256;
const MAX_KEY_FEATURES = 1024;

/** Decision values of one SVM for every diff row, in the model's attribute order (absent ⇒ 0). */
function modelDecisions(svm: SvcModel, modelAttributes: string[], column: Map<string, number>, dense: Float64Array, nRows: number): number[] {
  const d = modelAttributes.length;
  const nAttrs = column.size;
  const cols = modelAttributes.map((a) => column.get(a) ?? -1);
  let known = memo.get(svm);
  if (known === undefined) memo.set(svm, (known = new Map()));
  const values: number[] = new Array(nRows);
  const x = new Float64Array(d);
  const bits = new Uint16Array(x.buffer);
  for (let r = 0; r < nRows; r++) {
    x.fill(0);
    for (let k = 0; k < d; k++) {
      const c = cols[k]!;
      if (c >= 0) x[k] = dense[r * nAttrs + c]!;
    }
    // the row's bits as the key: equal bits, equal kernel values (joining the numbers as text cost more); a row
    // too long to pass as arguments (no Ceph model comes near) is joined as text
    const key = d <= MAX_KEY_FEATURES ? String.fromCharCode.apply(null, bits as unknown as number[]) : x.join(',');
    let v = known.get(key);
    if (v === undefined) {
      v = svcDecisions(svm, x, 1)[0]!;
      if (known.size >= SVC_MEMO_ROWS) known.clear();
      known.set(key, v);
    }
    values[r] = v;
  }
  return values;
}

export function predictProphetStor(models: ProphetStorModels, days: CephDayDict[]): ProphetStorResult {
  const attributes = prophetStorAttributes(days);
  const present = new Set(attributes);
  const scores = models.config.map((m) => m.attributes.filter((a) => present.has(a)).length);
  const maxScore = scores.length ? Math.max(...scores) : 0;
  const result: ProphetStorResult = {
    verdict: 'Unknown',
    reason: null,
    attributes,
    maxScore,
    modelsUsed: [],
    votes: {},
    score: null,
    decisions: {},
  };
  if (maxScore < 3) {
    result.reason = 'too_few_matched_attributes';
    return result;
  }
  const diffs = prophetStorDiffs(days, attributes);
  const dense = numericDiffs(diffs, attributes);
  const column = new Map(attributes.map((a, i) => [a, i]));
  let voteSum = 0;
  models.config.forEach((m, i) => {
    if (scores[i]! <= maxScore - 2) return;
    const svm = models.svms.get(m.file);
    if (!svm) throw new Error(`ProphetStor model ${m.file} is listed in config.json but not loaded`);
    result.modelsUsed.push(m.file);
    const raw = modelDecisions(svm, m.attributes, column, dense, diffs.length);
    const vote: 0 | 1 = raw.some((v) => svcClass(v) === 1) ? 1 : 0;
    const decisions = raw.map((v) => -v);
    result.votes[m.file] = vote;
    result.decisions[m.file] = decisions;
    voteSum += vote;
  });
  const score = 2 ** voteSum - result.modelsUsed.length;
  result.score = score;
  result.verdict = score > 10 ? 'Bad' : score > 4 ? 'Warning' : 'Good';
  return result;
}
