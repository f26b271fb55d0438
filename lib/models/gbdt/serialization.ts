/**
 * GbdtModelJson → GbdtModel with full validation: a corrupt tree must be refused, never allowed
 * to loop or read out of bounds. Each failure names the offending field as a JSON pointer.
 */
import { GbdtModel } from './model.js';
import type { TreeArrays } from './tree.js';
import { array, describe, finite, integer, isRecord, ModelFormatError, type Json } from './formatError.js';

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
  for (let i = 0; i < n; i++) {
    const f = integer(featureJson[i], `${at}/feature/${i}`, -1, nFeatures - 1);
    tree.feature[i] = f;
    tree.value[i] = finite(valueJson[i], `${at}/value/${i}`);
    tree.cover[i] = finite(coverJson[i], `${at}/cover/${i}`);
    tree.defaultLeft[i] = integer(defaultLeftJson[i], `${at}/defaultLeft/${i}`, 0, 1);
    if (f < 0) {
      tree.left[i] = integer(leftJson[i], `${at}/left/${i}`, -1, -1);
      tree.right[i] = integer(rightJson[i], `${at}/right/${i}`, -1, -1);
    } else {
      // Children after their parent: every path strictly increases the index, so it ends.
      tree.left[i] = integer(leftJson[i], `${at}/left/${i}`, i + 1, n - 1);
      tree.right[i] = integer(rightJson[i], `${at}/right/${i}`, i + 1, n - 1);
    }
    // null stands for +∞ (JSON has no Infinity)
    tree.threshold[i] = thresholdJson[i] === null ? Infinity : finite(thresholdJson[i], `${at}/threshold/${i}`);
  }
  return tree;
}
