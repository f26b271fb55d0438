/** Consistency checks shared by both loaders, so a predictor never reads outside an array or loops. */
import { CephModelError } from './errors.js';
import type { ForestModel, ProphetStorModels, RedHatModels } from './modelTypes.js';

export function checkProphetStor(m: ProphetStorModels): ProphetStorModels {
  for (const c of m.config) {
    const svm = m.svms.get(c.file);
    if (!svm) throw new CephModelError(`ProphetStor model ${c.file} is listed in config.json but missing`);
    if (svm.nFeatures !== c.attributes.length) {
      throw new CephModelError(`${c.file}: ${svm.nFeatures} features, config.json lists ${c.attributes.length} attributes`);
    }
  }
  return m;
}

function checkForest(f: ForestModel, what: string): void {
  for (const [k, t] of f.trees.entries()) {
    const n = t.left.length;
    for (let i = 0; i < n; i++) {
      if (t.left[i] === -1) continue;
      // scikit-learn numbers children after their parent: this also rules out cycles
      const ok = t.left[i]! > i && t.left[i]! < n && t.right[i]! > i && t.right[i]! < n && t.feature[i]! >= 0 && t.feature[i]! < f.nFeatures;
      if (!ok) throw new CephModelError(`${what} tree ${k}: node ${i} is malformed`);
    }
  }
}

export function checkRedHat(m: RedHatModels): RedHatModels {
  for (const c of m.config) {
    const v = m.vendors.get(c.vendor);
    if (!v) throw new CephModelError(`Red Hat vendor ${c.vendor} is listed in config.json but missing`);
    const nAttrs = c.features.filter((f) => f.includes('smart_')).length;
    const expected = 3 * nAttrs + 1;
    if (v.scaler && ((v.scaler.center && v.scaler.center.length !== expected) || (v.scaler.scale && v.scaler.scale.length !== expected))) {
      throw new CephModelError(`${c.vendor} scaler: expected ${expected} features`);
    }
    if (v.forest) {
      if (v.forest.nFeatures !== expected) throw new CephModelError(`${c.vendor} forest: ${v.forest.nFeatures} features, expected ${expected}`);
      checkForest(v.forest, `${c.vendor} forest`);
    }
  }
  return m;
}
