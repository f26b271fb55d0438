/** scikit-learn objects read by lib/models/pickle, turned into the typed models the predictors use. */
import { NdArray, PyObject, type PyValue } from '../pickle/index.js';
import { CephModelError } from './errors.js';
import type { ForestModel, ScalerModel, SvcModel, TreeModel } from './modelTypes.js';

function expectObject(v: PyValue | undefined, cls: string, what: string): PyObject {
  if (!(v instanceof PyObject) || v.cls !== cls) throw new CephModelError(`${what}: expected ${cls}`);
  return v;
}

function array(o: PyObject, name: string, what: string): NdArray {
  const v = o.attr(name);
  if (!(v instanceof NdArray)) throw new CephModelError(`${what}: ${name} is not a numpy array`);
  return v;
}

function number(o: PyObject, name: string, what: string): number {
  const v = o.attr(name);
  if (typeof v !== 'number') throw new CephModelError(`${what}: ${name} is not a number`);
  return v;
}

function int32(a: NdArray | Float64Array, what: string): Int32Array {
  const f = a instanceof NdArray ? a.toFloat64() : a;
  const out = new Int32Array(f.length);
  for (let i = 0; i < f.length; i++) {
    if ((out[i] = f[i]!) !== f[i]) throw new CephModelError(`${what}: value ${f[i]} is not a 32-bit integer`);
  }
  return out;
}

export function svcFromPickle(value: PyValue, file: string): SvcModel {
  const svc = expectObject(value, 'sklearn.svm.SVC', file);
  if (svc.attr('kernel') !== 'rbf') throw new CephModelError(`${file}: only the rbf kernel is supported`);
  const impl = svc.attr('_impl');
  if (impl !== 'c_svc') throw new CephModelError(`${file}: only c_svc is supported`);
  const classes = array(svc, 'classes_', file).toFloat64();
  if (classes.length !== 2 || classes[0] !== 0 || classes[1] !== 1) throw new CephModelError(`${file}: expected classes [0, 1]`);
  const sv = array(svc, 'support_vectors_', file);
  const dual = array(svc, '_dual_coef_', file);
  const intercept = array(svc, '_intercept_', file).toFloat64();
  const [nSupport, nFeatures] = sv.shape;
  if (sv.shape.length !== 2 || nSupport === undefined || nFeatures === undefined) throw new CephModelError(`${file}: support_vectors_ is not 2-D`);
  if (dual.size !== nSupport || intercept.length !== 1) throw new CephModelError(`${file}: coefficient shapes do not match`);
  return {
    file,
    nFeatures,
    nSupport,
    gamma: number(svc, '_gamma', file),
    intercept: intercept[0]!,
    dualCoef: dual.toFloat64(),
    supportVectors: sv.toFloat64(),
  };
}

export function scalerFromPickle(value: PyValue, file: string): ScalerModel {
  if (value instanceof PyObject && value.cls === 'sklearn.preprocessing.RobustScaler') {
    return {
      type: 'robust',
      center: value.attr('with_centering') === false ? null : array(value, 'center_', file).toFloat64(),
      scale: value.attr('with_scaling') === false ? null : array(value, 'scale_', file).toFloat64(),
    };
  }
  if (value instanceof PyObject && value.cls === 'sklearn.preprocessing.StandardScaler') {
    return {
      type: 'standard',
      center: value.attr('with_mean') === false ? null : array(value, 'mean_', file).toFloat64(),
      scale: value.attr('with_std') === false ? null : array(value, 'scale_', file).toFloat64(),
    };
  }
  throw new CephModelError(`${file}: expected a RobustScaler or StandardScaler`);
}

function treeFromPickle(est: PyValue, file: string, i: number): TreeModel {
  const what = `${file} tree ${i}`;
  const dt = expectObject(est, 'sklearn.tree.DecisionTreeClassifier', what);
  const tree = expectObject(dt.attr('tree_'), 'sklearn.tree._tree.Tree', what);
  const nodes = array(tree, 'nodes', what);
  const values = array(tree, 'values', what);
  const f = nodes.fields;
  if (!f || !f['left_child'] || !f['right_child'] || !f['feature'] || !f['threshold']) {
    throw new CephModelError(`${what}: nodes lack the tree fields`);
  }
  const n = nodes.size;
  if (values.shape[0] !== n || values.shape[1] !== 1) throw new CephModelError(`${what}: values shape does not match the nodes`);
  const nodeArray = (name: string): NdArray => {
    const a = new NdArray();
    a.shape = [n];
    a.data = f[name]!;
    return a;
  };
  return {
    left: int32(nodeArray('left_child'), what),
    right: int32(nodeArray('right_child'), what),
    feature: int32(nodeArray('feature'), what),
    threshold: nodeArray('threshold').toFloat64(),
    value: values.toFloat64(),
  };
}

/**
 * How many bytes of typed arrays a forest may expand to per byte of its pickle. A real forest stores each
 * tree's arrays once, as raw bytes (about 1× when expanded); memo references can make one stored tree count
 * thousands of times (a 300 KB pickle grew to 1 GB). 8× leaves room for every layout scikit-learn writes.
 */
const MAX_EXPANSION_PER_PICKLE_BYTE = 8;
const MIN_EXPANSION_BUDGET = 1 << 20;

function treeBytes(t: TreeModel): number {
  return t.left.byteLength + t.right.byteLength + t.feature.byteLength + t.threshold.byteLength + t.value.byteLength;
}

/** `pickleBytes`: the size of the pickle the value was read from, which bounds what it may expand to. */
export function forestFromPickle(value: PyValue, file: string, pickleBytes: number): ForestModel {
  const forest = expectObject(value, 'sklearn.ensemble.RandomForestClassifier', file);
  const estimators = forest.attr('estimators_');
  if (!Array.isArray(estimators) || estimators.length === 0) throw new CephModelError(`${file}: no estimators_`);
  if (forest.attr('n_outputs_') !== 1) throw new CephModelError(`${file}: only single-output forests are supported`);
  const classes = [...array(forest, 'classes_', file).toFloat64()];
  const budget = Math.max(MIN_EXPANSION_BUDGET, MAX_EXPANSION_PER_PICKLE_BYTE * pickleBytes);
  let expanded = 0;
  const trees = estimators.map((e, i) => {
    const tree = treeFromPickle(e, file, i);
    expanded += treeBytes(tree);
    if (expanded > budget) {
      throw new CephModelError(`${file}: its ${estimators.length} trees expand past ${budget} bytes from a ${pickleBytes}-byte pickle (trees repeated by reference); not a real model`);
    }
    return tree;
  });
  for (const t of trees) {
    if (t.value.length !== t.left.length * classes.length) throw new CephModelError(`${file}: tree classes do not match the forest`);
  }
  // 0.19 pickles say n_features_, newer ones n_features_in_
  const nFeatures = typeof forest.attr('n_features_') === 'number' ? number(forest, 'n_features_', file) : number(forest, 'n_features_in_', file);
  return { nFeatures, classes, trees };
}
