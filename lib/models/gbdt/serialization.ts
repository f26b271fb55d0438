/**
 * GbdtModelJson → GbdtModel with full validation: a corrupt tree must be refused, never allowed
 * to loop or read out of bounds. Each failure names the offending field as a JSON pointer.
 */
import { GbdtModel } from './model.js';
import type { TreeArrays } from './tree.js';
import { array, describe, finite, integer, isFiniteNumber, isIntegerIn, isRecord, ModelFormatError, type Json } from './formatError.js';

/** Largest tree accepted; far above anything the learner grows, small enough to bound memory. */
const MAX_NODES_PER_TREE = 1 << 20;

/** `at` is the JSON pointer of the model inside a larger document, for error messages. */
export function gbdtModelFromJson(json: Json, at = ''): GbdtModel {
  if (!isRecord(json)) throw new ModelFormatError(at, `expected a model object, got ${describe(json)}`);
  if (json['format'] !== 'gbdt-binary-logloss')
    throw new ModelFormatError(`${at}/format`, `expected "gbdt-binary-logloss", got ${describe(json['format'])}`);
  if (json['formatVersion'] !== 1)
    throw new ModelFormatError(`${at}/formatVersion`, `unsupported tree format version ${describe(json['formatVersion'])} (supported: 1)`);
  const nFeatures = integer(json['nFeatures'], `${at}/nFeatures`, 1, 1 << 20);
  const baseScore = finite(json['baseScore'], `${at}/baseScore`);
  const treesJson = array(json['trees'], `${at}/trees`);
  const roundsTrained = integer(json['roundsTrained'], `${at}/roundsTrained`, treesJson.length, Number.MAX_SAFE_INTEGER);
  const trees = treesJson.map((t, i) => treeFromJson(t, `${at}/trees/${i}`, nFeatures));
  return new GbdtModel(nFeatures, baseScore, trees, roundsTrained);
}

function treeFromJson(json: Json, at: string, nFeatures: number): TreeArrays {
  if (!isRecord(json)) throw new ModelFormatError(at, `expected a tree object, got ${describe(json)}`);
  const featureJson = array(json['feature'], `${at}/feature`);
  const n = featureJson.length;
  if (n < 1 || n > MAX_NODES_PER_TREE) throw new ModelFormatError(`${at}/feature`, `a tree needs 1..${MAX_NODES_PER_TREE} nodes, got ${n}`);
  const col = (name: string): Json[] => array(json[name], `${at}/${name}`, n);
  const thresholdJson = col('threshold');
  const leftJson = col('left');
  const rightJson = col('right');
  const defaultLeftJson = col('defaultLeft');
  const valueJson = col('value');
  const coverJson = col('cover');
  const feature = new Int32Array(n);
  const threshold = new Float64Array(n);
  const left = new Int32Array(n);
  const right = new Int32Array(n);
  const defaultLeft = new Uint8Array(n);
  const value = new Float64Array(n);
  const cover = new Float64Array(n);
  // The checks run inline, without building a JSON pointer per value (that was most of the load
  // time of the shipped model); a value that fails goes to the checker that names it.
  const maxFeature = nFeatures - 1;
  for (let i = 0; i < n; i++) {
    const f = featureJson[i];
    if (!isIntegerIn(f, -1, maxFeature)) integer(f, `${at}/feature/${i}`, -1, maxFeature);
    feature[i] = f as number;
    const v = valueJson[i];
    if (!isFiniteNumber(v)) finite(v, `${at}/value/${i}`);
    value[i] = v as number;
    const c = coverJson[i];
    if (!isFiniteNumber(c)) finite(c, `${at}/cover/${i}`);
    cover[i] = c as number;
    const d = defaultLeftJson[i];
    if (d !== 0 && d !== 1) integer(d, `${at}/defaultLeft/${i}`, 0, 1);
    defaultLeft[i] = d as number;
    // A leaf has no children; a split's children come after it: every path strictly increases
    // the index, so it ends.
    const minChild = (f as number) < 0 ? -1 : i + 1;
    const maxChild = (f as number) < 0 ? -1 : n - 1;
    const l = leftJson[i];
    if (!isIntegerIn(l, minChild, maxChild)) integer(l, `${at}/left/${i}`, minChild, maxChild);
    left[i] = l as number;
    const r = rightJson[i];
    if (!isIntegerIn(r, minChild, maxChild)) integer(r, `${at}/right/${i}`, minChild, maxChild);
    right[i] = r as number;
    // null stands for +∞ (JSON has no Infinity)
    const t = thresholdJson[i];
    if (t === null) threshold[i] = Infinity;
    else {
      if (!isFiniteNumber(t)) finite(t, `${at}/threshold/${i}`);
      threshold[i] = t as number;
    }
  }
  const tree: TreeArrays = { feature, threshold, left, right, defaultLeft, value, cover };
  return tree;
}
