/**
 * Ceph's PSDiskFailurePredictor: day-to-day differences of the raw SMART attributes every day
 * carries, fed to the SVMs whose attribute lists match best; votes → `2^k − n` → verdict.
 * Semantics (quirks included) as in ../shared/data/golden/README.md, section "PS".
 */
import type { CephDayDict } from '../../smart/cephDayDict.js';
import { pyFloat, pyInt } from './pythonNumbers.js';
import type { ProphetStorModels, SvcModel } from './modelTypes.js';
import { DecisionMemo } from './decisionMemo.js';
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
 * The diffs as the SVMs read them, nRows × attrs.length, row-major: Number of each exact difference (Python's
 * float(int), as numpy does when scikit-learn converts the rows), the same values and errors as
 * `prophetStorDiffs` in the same order. Two finite numbers are subtracted as doubles: int() of each is its
 * truncation, exact, and a double subtraction rounds the exact difference to nearest-even as Number(bigint) does
 * (a zero made +0, as a bigint's is).
 */
export function prophetStorDiffMatrix(days: CephDayDict[], attrs: string[]): Float64Array {
  const nRows = Math.max(days.length - 1, 0);
  const out = new Float64Array(nRows * attrs.length);
  for (let i = 0, o = 0; i < nRows; i++) {
    const older = days[i + 1]!;
    const newer = days[i]!;
    for (const a of attrs) {
      const x = older[a]!;
      const y = newer[a]!;
      out[o++] =
        typeof x === 'number' && typeof y === 'number' && Number.isFinite(x) && Number.isFinite(y)
          ? Math.trunc(x) - Math.trunc(y) + 0 // + 0: a bigint has no −0 (−0.5 and 0.3 truncate to −0 and 0)
          : Number(pyInt(x, a) - pyInt(y, a));
    }
  }
  return out;
}

/** Per SVM, its decision values already computed (decisionMemo.ts). */
const memo = new WeakMap<SvcModel, DecisionMemo>();

/** Decision values of one SVM for every diff row, in the model's attribute order (absent ⇒ 0). */
function modelDecisions(svm: SvcModel, modelAttributes: string[], column: Map<string, number>, dense: Float64Array, nRows: number): number[] {
  const d = modelAttributes.length;
  const nAttrs = column.size;
  const cols = modelAttributes.map((a) => column.get(a) ?? -1);
  let known = memo.get(svm);
  if (known === undefined) memo.set(svm, (known = new DecisionMemo(d)));
  const x = known.input;
  const values: number[] = new Array(nRows);
  for (let r = 0; r < nRows; r++) {
    for (let k = 0; k < d; k++) {
      const c = cols[k]!;
      x[k] = c >= 0 ? dense[r * nAttrs + c]! : 0;
    }
    let v = known.lookup();
    if (v === undefined) {
      v = svcDecisions(svm, x, 1)[0]!;
      known.store(v);
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
  const nRows = Math.max(days.length - 1, 0);
  const dense = prophetStorDiffMatrix(days, attributes);
  const column = new Map(attributes.map((a, i) => [a, i]));
  let voteSum = 0;
  models.config.forEach((m, i) => {
    if (scores[i]! <= maxScore - 2) return;
    const svm = models.svms.get(m.file);
    if (!svm) throw new Error(`ProphetStor model ${m.file} is listed in config.json but not loaded`);
    result.modelsUsed.push(m.file);
    const raw = modelDecisions(svm, m.attributes, column, dense, nRows);
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
