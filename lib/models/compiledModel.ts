/**
 * A model file's validated contents in V8's serialization format, "compiled" at build time for the shipped
 * default model (scripts/compile-default-model.mjs → dist/models/default/model.v8). Loading it is two reads, two
 * sha256 and a deserialization of typed arrays, instead of parsing and validating 0.8 MB of JSON and flattening
 * 9,000 tree nodes (most of what a one-device `predict` spends beyond Node's own start-up). Each head's trees are
 * stored as one array per field, each tree a view of its part: V8's deserializer calls back into JavaScript for
 * every typed array, and 7 arrays for each of 241 trees took half the deserialization time.
 *
 * Used only when made from exactly the model file beside it (the file's sha256) by this Node (V8's format is
 * V8's), and intact (its own sha256); otherwise the model file is read as usual, with its checks. The trees'
 * JSON form (`document.heads`) is not kept: reading it parses the model file then.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { Calibration } from './calibration.js';
import { GbdtModel } from './gbdt/model.js';
import { flattenForest, type FlatForest } from './gbdt/predict.js';
import type { TreeArrays } from './gbdt/tree.js';
import { loadModel } from './modelFile.js';
import type { ModelDocument, ModelHead, ValidatedModel } from './modelSchema.js';
import { sha256Hex as sha256 } from '../util/sha256.js';

/** Trees end to end: tree i is nodes offsets[i]..offsets[i + 1] − 1 of each field. */
type PackedTrees = { offsets: Int32Array } & TreeArrays;

const TREE_FIELDS = ['feature', 'threshold', 'left', 'right', 'defaultLeft', 'value', 'cover'] as const satisfies readonly (keyof TreeArrays)[];

function packTrees(trees: readonly TreeArrays[]): PackedTrees {
  const offsets = new Int32Array(trees.length + 1);
  trees.forEach((t, i) => (offsets[i + 1] = offsets[i]! + t.feature.length));
  const n = offsets[trees.length]!;
  const packed: PackedTrees = {
    offsets,
    feature: new Int32Array(n),
    threshold: new Float64Array(n),
    left: new Int32Array(n),
    right: new Int32Array(n),
    defaultLeft: new Uint8Array(n),
    value: new Float64Array(n),
    cover: new Float64Array(n),
  };
  trees.forEach((t, i) => {
    for (const f of TREE_FIELDS) packed[f].set(t[f], offsets[i]);
  });
  return packed;
}

function unpackTrees(p: PackedTrees): TreeArrays[] {
  const trees: TreeArrays[] = new Array(p.offsets.length - 1);
  for (let i = 0; i < trees.length; i++) {
    const from = p.offsets[i]!;
    const to = p.offsets[i + 1]!;
    trees[i] = {
      feature: p.feature.subarray(from, to),
      threshold: p.threshold.subarray(from, to),
      left: p.left.subarray(from, to),
      right: p.right.subarray(from, to),
      defaultLeft: p.defaultLeft.subarray(from, to),
      value: p.value.subarray(from, to),
      cover: p.cover.subarray(from, to),
    };
  }
  return trees;
}

interface CompiledHead {
  nFeatures: number;
  baseScore: number;
  roundsTrained: number;
  trees: PackedTrees;
  forest: FlatForest;
  calibration: { a: number; b: number };
}

interface CompiledPayload {
  /** the document's keys in their order, `heads` among them */
  keys: string[];
  /** the document without `heads` */
  document: Record<string, unknown>;
  p14: CompiledHead;
  p42: CompiledHead;
}

function header(modelSha256: string, payloadSha256: string): string {
  return `diskpredict-compiled-model 2 ${process.version} ${modelSha256} ${payloadSha256}\n`;
}

function compiledHead(h: ModelHead): CompiledHead {
  const g = h.gbdt;
  return {
    nFeatures: g.nFeatures,
    baseScore: g.baseScore,
    roundsTrained: g.roundsTrained,
    trees: packTrees(g.trees),
    forest: flattenForest(g.trees),
    calibration: { a: h.calibration.a, b: h.calibration.b },
  };
}

/** Loads and checks `modelPath` the usual way, then writes its compiled form to `outPath`. */
export function writeCompiledModel(modelPath: string, outPath: string): void {
  const bytes = readFileSync(modelPath);
  const validated = loadModel(modelPath);
  const { heads: _heads, ...document } = validated.document;
  const payload: CompiledPayload = {
    keys: Object.keys(validated.document),
    document,
    p14: compiledHead(validated.p14),
    p42: compiledHead(validated.p42),
  };
  const data = serialize(payload);
  mkdirSync(dirname(outPath), { recursive: true });
  const temp = `${outPath}.${process.pid}.tmp`;
  writeFileSync(temp, Buffer.concat([Buffer.from(header(sha256(bytes), sha256(data)), 'latin1'), data]));
  renameSync(temp, outPath);
}

function head(c: CompiledHead): ModelHead {
  return { gbdt: new GbdtModel(c.nFeatures, c.baseScore, unpackTrees(c.trees), c.roundsTrained, c.forest), calibration: new Calibration(c.calibration.a, c.calibration.b) };
}

/** The model `compiledPath` holds, when it was compiled from `modelPath` as it is now by this Node; else undefined. */
export function readCompiledModel(modelPath: string, compiledPath: string): ValidatedModel | undefined {
  let compiled: Buffer;
  let model: Buffer;
  try {
    compiled = readFileSync(compiledPath);
    model = readFileSync(modelPath);
  } catch {
    return undefined;
  }
  const newline = compiled.indexOf(0x0a);
  if (newline < 0) return undefined;
  const data = compiled.subarray(newline + 1);
  if (compiled.subarray(0, newline + 1).toString('latin1') !== header(sha256(model), sha256(data))) return undefined;
  let payload: CompiledPayload;
  try {
    payload = deserialize(data) as CompiledPayload;
  } catch {
    return undefined;
  }
  // The document with its keys in the file's order; `heads` read from the model file on first use.
  const document = {} as Record<string, unknown>;
  let heads: ModelDocument['heads'] | undefined;
  for (const key of payload.keys) {
    if (key === 'heads') Object.defineProperty(document, 'heads', { enumerable: true, configurable: true, get: () => (heads ??= loadModel(modelPath).document.heads) });
    else document[key] = payload.document[key];
  }
  return { document: document as unknown as ModelDocument, p14: head(payload.p14), p42: head(payload.p42) };
}
