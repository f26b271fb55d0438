/**
 * This project's format for Ceph's models, written once by `diskpredict import-ceph-models`:
 * `<kind>.json` (schema, provenance, structure) + `<kind>.f64` (every array little-endian, checked against its
 * sha256 on load). Loading is a file read and typed-array views. Version 2 stores each distinct ProphetStor
 * support vector once (`rowOf`: the row of each, as 32-bit integers) and as 32-bit floats where every value of a
 * model is one exactly (all of Ceph's: small integers), the rest as doubles: 8.5 MB where version 1 took 25 MB.
 * Its references are byte offsets with a type. Version 1 (doubles only, offsets counted in doubles) is still read.
 */
import { writeFileSync, mkdirSync, renameSync } from 'node:fs';
import { readRegularFileSync } from '../../util/readRegularFile.js';
import { endianness } from 'node:os';
import { join } from 'node:path';
import { describeJsonSyntaxError, isJsonObject, JsonSyntaxError, parseJsonExact, type JsonObject, type JsonValue } from '../../util/json.js';
import { packageVersion } from '../../util/packageInfo.js';
import { CephModelError } from './errors.js';
import type {
  CephModelKind,
  ForestModel,
  ProphetStorModels,
  RedHatModels,
  RedHatVendorModel,
  ScalerModel,
  SvcModel,
  TreeModel,
} from './modelTypes.js';
import { sha256Hex } from '../../util/sha256.js';
import type { SourceFile } from './sourceFiles.js';
import type { Loaded } from './loadPickleDir.js';
import { compactSupportVectors } from './svcIndex.js';

export const CONVERTED_SCHEMA = 'diskpredict.ceph-models';
export const CONVERTED_SCHEMA_VERSION = 2;

export function convertedPaths(dir: string, kind: CephModelKind): { json: string; sidecar: string; sidecarName: string } {
  return { json: join(dir, `${kind}.json`), sidecar: join(dir, `${kind}.f64`), sidecarName: `${kind}.f64` };
}

type ArrayType = 'f64' | 'f32' | 'i32';

interface ArrayRef {
  type: ArrayType;
  /** in bytes from the start of the sidecar (version 1: in doubles) */
  offset: number;
  length: number;
}

const BYTES: Record<ArrayType, number> = { f64: 8, f32: 4, i32: 4 };

class SidecarWriter {
  private readonly parts: Array<{ ref: ArrayRef; values: Float64Array | Float32Array | Int32Array }> = [];
  private length = 0;

  add(a: ArrayLike<number>, type: ArrayType = 'f64'): ArrayRef {
    // every array starts at a multiple of its element size
    const offset = Math.ceil(this.length / BYTES[type]) * BYTES[type];
    const ref = { type, offset, length: a.length };
    this.parts.push({ ref, values: type === 'f64' ? Float64Array.from(a) : type === 'f32' ? Float32Array.from(a) : Int32Array.from(a) });
    this.length = offset + a.length * BYTES[type];
    return ref;
  }

  /** As 32-bit floats when each value is one exactly (−0 and ±Infinity are; NaN is kept as a double). */
  addNarrowest(a: Float64Array | Float32Array): ArrayRef {
    return this.add(a, a.every((v) => Math.fround(v) === v) ? 'f32' : 'f64');
  }

  bytes(): Buffer {
    const out = Buffer.alloc(this.length);
    for (const { ref, values } of this.parts) {
      typedView(out, ref).set(values);
      if (!HOST_LITTLE_ENDIAN) {
        const region = out.subarray(ref.offset, ref.offset + ref.length * BYTES[ref.type]);
        if (ref.type === 'f64') region.swap64();
        else region.swap32();
      }
    }
    return out;
  }
}

const HOST_LITTLE_ENDIAN = endianness() === 'LE';

function typedView(bytes: Uint8Array, ref: ArrayRef): Float64Array | Float32Array | Int32Array {
  const at = bytes.byteOffset + ref.offset;
  if (ref.type === 'f64') return new Float64Array(bytes.buffer, at, ref.length);
  return ref.type === 'f32' ? new Float32Array(bytes.buffer, at, ref.length) : new Int32Array(bytes.buffer, at, ref.length);
}

function nullableRef(w: SidecarWriter, a: Float64Array | null): JsonObject | null {
  return a ? ref(w.add(a)) : null;
}

/** Writes `<dir>/<kind>.json` and `<dir>/<kind>.f64`; returns the JSON path. */
export function writeConverted(dir: string, loaded: Loaded<ProphetStorModels | RedHatModels>, sourceDir: string): string {
  const w = new SidecarWriter();
  const m = loaded.models;
  let body: JsonObject;
  if (m.kind === 'prophetstor') {
    body = {
      config: m.config.map((c) => ({ file: c.file, attributes: c.attributes })),
      svms: m.config.map((c) => {
        const s = compactSupportVectors(m.svms.get(c.file)!);
        return {
          file: s.file,
          nFeatures: s.nFeatures,
          nSupport: s.nSupport,
          gamma: s.gamma,
          intercept: s.intercept,
          dualCoef: ref(w.add(s.dualCoef)),
          supportVectors: ref(w.addNarrowest(s.supportVectors)),
          rowOf: ref(w.add(s.rowOf!, 'i32')),
        };
      }),
    };
  } else {
    body = {
      config: m.config.map((c) => ({ vendor: c.vendor, features: c.features })),
      vendors: m.config.map((c) => {
        const v = m.vendors.get(c.vendor)!;
        return {
          vendor: c.vendor,
          missingFiles: v.missingFiles,
          scaler: v.scaler
            ? { type: v.scaler.type, center: nullableRef(w, v.scaler.center), scale: nullableRef(w, v.scaler.scale) }
            : null,
          forest: v.forest
            ? {
                nFeatures: v.forest.nFeatures,
                classes: v.forest.classes,
                trees: v.forest.trees.map((t) => ({
                  nodes: t.left.length,
                  left: ref(w.add(t.left)),
                  right: ref(w.add(t.right)),
                  feature: ref(w.add(t.feature)),
                  threshold: ref(w.add(t.threshold)),
                  value: ref(w.add(t.value)),
                })),
              }
            : null,
        };
      }),
    };
  }
  const bytes = w.bytes();
  const paths = convertedPaths(dir, m.kind);
  const doc: JsonObject = {
    schema: CONVERTED_SCHEMA,
    schemaVersion: CONVERTED_SCHEMA_VERSION,
    kind: m.kind,
    version: m.version,
    provenance: {
      sourceDir,
      converter: `diskpredict ${packageVersion()}`,
      files: loaded.sources.map((s) => ({ path: s.path, sha256: s.sha256, bytes: s.bytes })),
    },
    sidecar: { file: paths.sidecarName, bytes: bytes.length, sha256: sha256Hex(bytes) },
    ...body,
  };
  mkdirSync(dir, { recursive: true });
  // write-then-rename: a reader never sees half a file
  writeFileSync(paths.sidecar + '.tmp', bytes);
  writeFileSync(paths.json + '.tmp', JSON.stringify(doc) + '\n');
  renameSync(paths.sidecar + '.tmp', paths.sidecar);
  renameSync(paths.json + '.tmp', paths.json);
  return paths.json;
}

function ref(r: ArrayRef): JsonObject {
  return { type: r.type, offset: r.offset, length: r.length };
}

// ---- reading -------------------------------------------------------------------------------

/** The sidecar's bytes, little-endian, as typed-array views (copies on a big-endian host or when misaligned). */
class Sidecar {
  private readonly bytes: Uint8Array;

  constructor(bytes: Uint8Array) {
    // a Float64Array view needs 8-byte alignment; small Buffers may sit at any offset of a pool
    this.bytes = bytes.byteOffset % 8 === 0 ? bytes : Uint8Array.prototype.slice.call(bytes);
  }

  get byteLength(): number {
    return this.bytes.byteLength;
  }

  view(ref: ArrayRef): Float64Array | Float32Array | Int32Array {
    if (HOST_LITTLE_ENDIAN) return typedView(this.bytes, ref);
    const region = this.bytes.subarray(ref.offset, ref.offset + ref.length * BYTES[ref.type]);
    const copy = Buffer.from(Uint8Array.prototype.slice.call(region).buffer);
    if (BYTES[ref.type] === 8) copy.swap64();
    else copy.swap32();
    return typedView(copy, { ...ref, offset: 0 });
  }
}

class Reader {
  constructor(
    private readonly doc: string,
    private readonly data: Sidecar,
    private readonly schemaVersion: number,
  ) {}

  fail(what: string): never {
    throw new CephModelError(`${this.doc}: ${what}`, this.doc);
  }

  obj(v: JsonValue | undefined, what: string): JsonObject {
    return isJsonObject(v) ? v : this.fail(`${what} is not an object`);
  }

  list(v: JsonValue | undefined, what: string): JsonValue[] {
    return Array.isArray(v) ? v : this.fail(`${what} is not a list`);
  }

  num(v: JsonValue | undefined, what: string): number {
    return typeof v === 'number' ? v : this.fail(`${what} is not a number`);
  }

  str(v: JsonValue | undefined, what: string): string {
    return typeof v === 'string' ? v : this.fail(`${what} is not a string`);
  }

  strings(v: JsonValue | undefined, what: string): string[] {
    return this.list(v, what).map((x, i) => this.str(x, `${what}[${i}]`));
  }

  /** An array as stored: doubles, 32-bit floats or 32-bit integers. */
  array(v: JsonValue | undefined, what: string): Float64Array | Float32Array | Int32Array {
    const r = this.obj(v, what);
    const type = this.schemaVersion === 1 ? 'f64' : r['type'];
    if (type !== 'f64' && type !== 'f32' && type !== 'i32') this.fail(`${what}.type is not "f64", "f32" or "i32"`);
    const offset = this.num(r['offset'], `${what}.offset`) * (this.schemaVersion === 1 ? 8 : 1);
    const length = this.num(r['length'], `${what}.length`);
    const size = BYTES[type];
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset % size !== 0 || offset + length * size > this.data.byteLength) {
      this.fail(`${what} lies outside the sidecar`);
    }
    return this.data.view({ type, offset, length });
  }

  floats(v: JsonValue | undefined, what: string): Float64Array | Float32Array {
    const a = this.array(v, what);
    return a instanceof Int32Array ? this.fail(`${what} is stored as integers, not floats`) : a;
  }

  /** An array stored as 32-bit integers (version 2's `rowOf`). */
  ints(v: JsonValue | undefined, what: string): Int32Array {
    const a = this.array(v, what);
    return a instanceof Int32Array ? a : this.fail(`${what} is not stored as integers`);
  }

  f64(v: JsonValue | undefined, what: string): Float64Array {
    const a = this.array(v, what);
    return a instanceof Float64Array ? a : this.fail(`${what} is stored as ${a instanceof Float32Array ? '32-bit floats' : 'integers'}, not doubles`);
  }

  /** Integers stored as doubles (the Red Hat trees' node arrays), as an Int32Array. */
  i32(v: JsonValue | undefined, what: string): Int32Array {
    const f = this.f64(v, what);
    const out = new Int32Array(f.length);
    for (let i = 0; i < f.length; i++) if ((out[i] = f[i]!) !== f[i]) this.fail(`${what} holds a non-integer`);
    return out;
  }
}

/** Converted ProphetStor models are about 30 MB (mostly support vectors). */
const MAX_CONVERTED_BYTES = 256 * 1024 * 1024;

/** Reads a converted model; throws CephModelError when the files are missing, altered or of another schema. */
export function readConverted(dir: string, kind: CephModelKind): Loaded<ProphetStorModels | RedHatModels> {
  const paths = convertedPaths(dir, kind);
  let doc: JsonValue;
  let text = '';
  try {
    text = readRegularFileSync(paths.json, MAX_CONVERTED_BYTES).toString('utf8');
    doc = parseJsonExact(text);
  } catch (e) {
    // by offset only: the file may not be a model at all (a secret behind a symlink), and errors never quote it
    const why = e instanceof JsonSyntaxError ? describeJsonSyntaxError(text) : e instanceof Error ? e.message : String(e);
    throw new CephModelError(`cannot read ${paths.json}: ${why}`, paths.json);
  }
  // reads the document's fields, never an array
  const head = new Reader(paths.json, new Sidecar(new Uint8Array(0)), CONVERTED_SCHEMA_VERSION);
  const d = head.obj(doc, 'document');
  const schemaVersion = d['schemaVersion'];
  if (d['schema'] !== CONVERTED_SCHEMA || (schemaVersion !== 1 && schemaVersion !== CONVERTED_SCHEMA_VERSION)) {
    head.fail(`not a ${CONVERTED_SCHEMA} v1 or v${CONVERTED_SCHEMA_VERSION} file`);
  }
  if (d['kind'] !== kind) head.fail(`holds ${String(d['kind'])} models, not ${kind}`);
  const sidecar = head.obj(d['sidecar'], 'sidecar');
  const sidecarPath = join(dir, head.str(sidecar['file'], 'sidecar.file').replace(/^.*[\\/]/, ''));
  let bytes: Buffer;
  try {
    bytes = readRegularFileSync(sidecarPath, MAX_CONVERTED_BYTES);
  } catch (e) {
    throw new CephModelError(`cannot read ${sidecarPath}: ${e instanceof Error ? e.message : String(e)}`, sidecarPath);
  }
  if (bytes.length !== sidecar['bytes'] || sha256Hex(bytes) !== sidecar['sha256']) {
    throw new CephModelError(`${sidecarPath} does not match the sha256 recorded in ${paths.json} (altered or truncated)`, sidecarPath);
  }
  const r = new Reader(paths.json, new Sidecar(bytes), schemaVersion as number);
  const version = r.str(d['version'], 'version');
  const prov = r.obj(d['provenance'], 'provenance');
  const sources: SourceFile[] = r.list(prov['files'], 'provenance.files').map((f, i) => {
    const o = r.obj(f, `provenance.files[${i}]`);
    return { path: r.str(o['path'], 'path'), sha256: r.str(o['sha256'], 'sha256'), bytes: r.num(o['bytes'], 'bytes') };
  });
  if (kind === 'prophetstor') return { models: readProphetStor(r, d, version), sources };
  return { models: readRedHat(r, d, version), sources };
}

function readProphetStor(r: Reader, d: JsonObject, version: string): ProphetStorModels {
  const config = r.list(d['config'], 'config').map((c, i) => {
    const o = r.obj(c, `config[${i}]`);
    return { file: r.str(o['file'], 'file'), attributes: r.strings(o['attributes'], 'attributes') };
  });
  const svms = new Map<string, SvcModel>();
  for (const [i, s] of r.list(d['svms'], 'svms').entries()) {
    const o = r.obj(s, `svms[${i}]`);
    const svm: SvcModel = {
      file: r.str(o['file'], 'file'),
      nFeatures: r.num(o['nFeatures'], 'nFeatures'),
      nSupport: r.num(o['nSupport'], 'nSupport'),
      gamma: r.num(o['gamma'], 'gamma'),
      intercept: r.num(o['intercept'], 'intercept'),
      dualCoef: r.f64(o['dualCoef'], 'dualCoef'),
      supportVectors: r.floats(o['supportVectors'], 'supportVectors'),
    };
    if (o['rowOf'] !== undefined) {
      const rowOf = r.ints(o['rowOf'], `${svm.file}: rowOf`);
      const rows = svm.supportVectors.length / svm.nFeatures;
      if (rowOf.length !== svm.nSupport || !Number.isInteger(rows) || rowOf.some((row) => row < 0 || row >= rows)) r.fail(`${svm.file}: rowOf does not fit the support vectors`);
      svm.rowOf = rowOf;
    } else if (svm.supportVectors.length !== svm.nSupport * svm.nFeatures) {
      r.fail(`${svm.file}: array sizes do not match`);
    }
    if (svm.dualCoef.length !== svm.nSupport) r.fail(`${svm.file}: array sizes do not match`);
    svms.set(svm.file, svm);
  }
  return { kind: 'prophetstor', config, svms, version };
}

function readRedHat(r: Reader, d: JsonObject, version: string): RedHatModels {
  const config = r.list(d['config'], 'config').map((c, i) => {
    const o = r.obj(c, `config[${i}]`);
    return { vendor: r.str(o['vendor'], 'vendor'), features: r.strings(o['features'], 'features') };
  });
  const vendors = new Map<string, RedHatVendorModel>();
  for (const [i, v] of r.list(d['vendors'], 'vendors').entries()) {
    const o = r.obj(v, `vendors[${i}]`);
    const what = `vendors[${i}]`;
    let scaler: ScalerModel | null = null;
    if (o['scaler'] !== null) {
      const s = r.obj(o['scaler'], `${what}.scaler`);
      const type = s['type'] === 'standard' ? 'standard' : 'robust';
      scaler = {
        type,
        center: s['center'] === null ? null : r.f64(s['center'], 'center'),
        scale: s['scale'] === null ? null : r.f64(s['scale'], 'scale'),
      };
    }
    let forest: ForestModel | null = null;
    if (o['forest'] !== null) {
      const f = r.obj(o['forest'], `${what}.forest`);
      const classes = r.list(f['classes'], 'classes').map((c) => r.num(c, 'class'));
      const trees = r.list(f['trees'], 'trees').map((t, k): TreeModel => {
        const to = r.obj(t, `tree ${k}`);
        const tree = {
          left: r.i32(to['left'], 'left'),
          right: r.i32(to['right'], 'right'),
          feature: r.i32(to['feature'], 'feature'),
          threshold: r.f64(to['threshold'], 'threshold'),
          value: r.f64(to['value'], 'value'),
        };
        const n = r.num(to['nodes'], 'nodes');
        if (tree.left.length !== n || tree.right.length !== n || tree.feature.length !== n || tree.threshold.length !== n || tree.value.length !== n * classes.length) {
          r.fail(`tree ${k} arrays do not match its node count`);
        }
        return tree;
      });
      forest = { nFeatures: r.num(f['nFeatures'], 'nFeatures'), classes, trees };
    }
    vendors.set(r.str(o['vendor'], 'vendor'), { scaler, forest, missingFiles: r.strings(o['missingFiles'], 'missingFiles') });
  }
  return { kind: 'redhat', config, vendors, version };
}
