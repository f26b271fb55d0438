/**
 * Ceph's RHDiskFailurePredictor: vendor from the newest day, 6-day rolling mean / std / cv of
 * the vendor's attributes, RobustScaler, RandomForest; the verdict is the last (oldest) window's.
 * Semantics (quirks included) as in ../shared/data/golden/README.md, section "RH"; the feature
 * vector is the intended 91/67-value one (quirk R1 not reproduced), vendors fail separately (R2).
 */
import type { CephDayDict } from '../../smart/cephDayDict.js';
import { forestPredict, scale } from './forest.js';
import type { RedHatModels } from './modelTypes.js';
import { pyFloat } from './pythonNumbers.js';

export const RH_WINDOW = 6;
const CLASS_NAMES = ['Good', 'Warning', 'Bad'] as const;

/** Upstream's prefix table, in its order (the bare `S` catches Samsung and SanDisk too). */
const MODEL_PREFIXES: ReadonlyArray<[string, string]> = [
  ['WDC', 'wdc'],
  ['Toshiba', 'toshiba'],
  ['TOSHIBA', 'toshiba'],
  ['toshiba', 'toshiba'],
  ['S', 'seagate'],
  ['ZA', 'seagate'],
  ['Hitachi', 'hitachi'],
  ['HGST', 'hgst'],
];

export type RedHatReason =
  | 'vendor_not_determined'
  | 'no_model_for_vendor'
  | 'missing_attributes'
  | 'model_file_missing'
  | 'scaler_raised';

export interface RedHatWindow {
  class: number;
  proba: number[];
}

export interface RedHatResult {
  /** 'error' where upstream raises (devicehealth then answers rc −1) */
  verdict: 'Good' | 'Warning' | 'Bad' | 'Unknown' | 'error';
  reason: RedHatReason | null;
  vendor: string | null;
  vendorSource: string | null;
  windows: RedHatWindow[];
  missingAttributes?: string[];
  missingFiles?: string[];
  error?: string;
  /** per window: unscaled features, scaled features, leaf reached in each tree */
  features?: number[][];
  featuresScaled?: number[][];
  leaves?: number[][];
}

export function redHatVendor(newest: CephDayDict | undefined): { vendor: string | null; source: string } {
  const v = newest?.['vendor'];
  if (v !== undefined) return { vendor: String(v), source: 'vendor_field' };
  const model = newest?.['model_name'];
  if (typeof model === 'string') {
    for (const [prefix, vendor] of MODEL_PREFIXES) if (model.startsWith(prefix)) return { vendor, source: `model_name_prefix:${prefix}` };
  }
  return { vendor: null, source: 'no_prefix_match' };
}

/** One row per window of 6 days: [means…, stds (ddof=1)…, cvs…, user_capacity of the window's newest day]. */
export function redHatFeatures(days: CephDayDict[], features: string[]): Float64Array[] {
  const attrs = features.filter((f) => f.includes('smart_'));
  const values = days.map((d) => attrs.map((a) => pyFloat(d[a]!, a)));
  const capacity = days.map((d) => pyFloat(d['user_capacity']!, 'user_capacity'));
  const n = attrs.length;
  const rows: Float64Array[] = [];
  for (let w = 0; w + RH_WINDOW <= days.length; w++) {
    const row = new Float64Array(3 * n + 1);
    for (let k = 0; k < n; k++) {
      let sum = 0;
      for (let i = w; i < w + RH_WINDOW; i++) sum += values[i]![k]!;
      const mean = sum / RH_WINDOW;
      let sq = 0;
      for (let i = w; i < w + RH_WINDOW; i++) {
        const d = values[i]![k]! - mean;
        sq += d * d;
      }
      const std = Math.sqrt(sq / (RH_WINDOW - 1));
      const cv = std / mean;
      row[k] = mean;
      row[n + k] = std;
      row[2 * n + k] = Number.isNaN(cv) ? 0 : cv;
    }
    row[3 * n] = capacity[w]!;
    rows.push(row);
  }
  return rows;
}

export function predictRedHat(models: RedHatModels, days: CephDayDict[]): RedHatResult {
  const { vendor, source } = redHatVendor(days[0]);
  const result: RedHatResult = { verdict: 'Unknown', reason: null, vendor, vendorSource: source, windows: [] };
  if (vendor === null) {
    result.reason = 'vendor_not_determined';
    return result;
  }
  const entry = models.config.find((c) => c.vendor === vendor);
  const model = models.vendors.get(vendor);
  if (!entry || !model) {
    result.reason = 'no_model_for_vendor';
    return result;
  }
  const missing = entry.features.filter((f) => !days.every((d) => f in d));
  if (missing.length) {
    result.reason = 'missing_attributes';
    result.missingAttributes = missing;
    return result;
  }
  if (!model.scaler || !model.forest) {
    result.reason = 'model_file_missing';
    result.missingFiles = model.missingFiles;
    return result;
  }
  const rows = redHatFeatures(days, entry.features);
  if (rows.some((r) => r.some((v) => !Number.isFinite(v)))) {
    // scikit-learn's check_array refuses inf (cv = std / 0): upstream's predict raises
    result.verdict = 'error';
    result.reason = 'scaler_raised';
    result.error = "ValueError: Input X contains infinity or a value too large for dtype('float64').";
    return result;
  }
  result.features = [];
  result.featuresScaled = [];
  result.leaves = [];
  for (const row of rows) {
    const scaled = scale(model.scaler, row);
    const out = forestPredict(model.forest, scaled);
    result.windows.push({ class: model.forest.classes[out.classIndex]!, proba: out.proba });
    result.features.push([...row]);
    result.featuresScaled.push([...scaled]);
    result.leaves.push(out.leaves);
  }
  const last = result.windows[result.windows.length - 1];
  result.verdict = last ? (CLASS_NAMES[last.class] ?? 'Unknown') : 'Unknown';
  return result;
}
