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
  const tree: TreeArrays = {
    feature: new Int32Array(n),
    threshold: new Float64Array(n),
    left: new Int32Array(n),
    right: new Int32Array(n),
    defaultLeft: new Uint8Array(n),
    value: new Float64Array(n),
    cover: new Float64Array(n),
  };
  // The checks run inline, without building a JSON pointer per value (that was most of the load
  // time of the shipped model); a value that fails goes to the checker that names it.
  const maxFeature = nFeatures - 1;
  for (let i = 0; i < n; i++) {
    const f = featureJson[i];
    if (!isIntegerIn(f, -1, maxFeature)) integer(f, `${at}/feature/${i}`, -1, maxFeature);
    const feature = f as number;
    tree.feature[i] = feature;
    const value = valueJson[i];
    if (!isFiniteNumber(value)) finite(value, `${at}/value/${i}`);
    tree.value[i] = value as number;
    const cover = coverJson[i];
    if (!isFiniteNumber(cover)) finite(cover, `${at}/cover/${i}`);
    tree.cover[i] = cover as number;
    const defaultLeft = defaultLeftJson[i];
    if (defaultLeft !== 0 && defaultLeft !== 1) integer(defaultLeft, `${at}/defaultLeft/${i}`, 0, 1);
    tree.defaultLeft[i] = defaultLeft as number;
    // A leaf has no children; a split's children come after it: every path strictly increases
    // the index, so it ends.
    const minChild = feature < 0 ? -1 : i + 1;
    const maxChild = feature < 0 ? -1 : n - 1;
    const left = leftJson[i];
    if (!isIntegerIn(left, minChild, maxChild)) integer(left, `${at}/left/${i}`, minChild, maxChild);
    tree.left[i] = left as number;
    const right = rightJson[i];
    if (!isIntegerIn(right, minChild, maxChild)) integer(right, `${at}/right/${i}`, minChild, maxChild);
    tree.right[i] = right as number;
    // null stands for +∞ (JSON has no Infinity)
    const threshold = thresholdJson[i];
    if (threshold === null) tree.threshold[i] = Infinity;
    else {
      if (!isFiniteNumber(threshold)) finite(threshold, `${at}/threshold/${i}`);
      tree.threshold[i] = threshold as number;
    }
  }
  return tree;
}
