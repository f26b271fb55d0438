/**
 * numpy dtypes and arrays as pickled by numpy (`dtype.__setstate__`, `ndarray.__setstate__`),
 * decoded into typed arrays. Object arrays (which embed further pickles) are refused.
 */
import { endianness } from 'node:os';
import { PickleFormatError } from './errors.js';

export type TypedNumbers =
  | Float64Array
  | Float32Array
  | Int8Array
  | Int16Array
  | Int32Array
  | BigInt64Array
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | BigUint64Array;

export interface NpField {
  name: string;
  dtype: NpDtype;
  offset: number;
}

const SIMPLE = /^([<>|=]?)([fiubV])(\d+)$/;

/** `numpy.dtype(code, align, copy)` then BUILD with its state tuple. */
export class NpDtype {
  byteOrder = '=';
  fields: NpField[] | null = null;
  itemSize: number;
  readonly kind: string;

  constructor(readonly code: string) {
    const m = SIMPLE.exec(code);
    if (!m) throw new PickleFormatError(`unsupported numpy dtype ${JSON.stringify(code)}`, -1);
    if (m[1]) this.byteOrder = m[1];
    this.kind = m[2]!;
    this.itemSize = Number(m[3]);
    if (this.kind === 'b' && this.itemSize !== 1) throw new PickleFormatError(`unsupported numpy dtype ${code}`, -1);
  }

  get littleEndian(): boolean {
    return this.byteOrder !== '>';
  }
}

/** `numpy.core.multiarray._reconstruct(ndarray, (0,), b'b')` then BUILD with (version, shape, dtype, fortran, data). */
export class NdArray {
  shape: number[] = [0];
  dtype: NpDtype | null = null;
  /** element values (non-structured dtypes) */
  data: TypedNumbers = new Float64Array(0);
  /** one typed array per field (structured dtypes such as scikit-learn's tree nodes) */
  fields: Record<string, TypedNumbers> | null = null;

  get size(): number {
    return this.shape.reduce((a, b) => a * b, 1);
  }

  /** Values as doubles (integers must be exact doubles). */
  toFloat64(): Float64Array {
    if (this.data instanceof Float64Array) return this.data;
    return toFloat64(this.data);
  }
}

/** Doubles from any typed array; 64-bit integers must fit in 2^53. */
export function toFloat64(a: TypedNumbers): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) {
    const v = a[i]!;
    if (typeof v === 'bigint') {
      const n = Number(v);
      if (!Number.isSafeInteger(n)) throw new PickleFormatError(`integer ${v} does not fit a double exactly`, -1);
      out[i] = n;
    } else out[i] = v;
  }
  return out;
}

export function decodeArrayData(array: NdArray, shape: number[], dtype: NpDtype, fortran: boolean, bytes: Uint8Array): void {
  const count = shape.reduce((a, b) => a * b, 1);
  if (!Number.isSafeInteger(count) || count < 0) throw new PickleFormatError(`bad array shape ${shape.join('x')}`, -1);
  if (fortran && shape.filter((d) => d > 1).length > 1) {
    throw new PickleFormatError('Fortran-ordered multi-dimensional arrays are not supported', -1);
  }
  if (bytes.length !== count * dtype.itemSize) {
    throw new PickleFormatError(
      `array data is ${bytes.length} bytes, shape ${shape.join('x')} of ${dtype.code} needs ${count * dtype.itemSize}`,
      -1,
    );
  }
  array.shape = shape;
  array.dtype = dtype;
  if (dtype.fields) {
    const fields: Record<string, TypedNumbers> = {};
    for (const f of dtype.fields) {
      if (f.offset + f.dtype.itemSize > dtype.itemSize) throw new PickleFormatError(`field ${f.name} lies outside its record`, -1);
      fields[f.name] = decodeStrided(bytes, count, f.dtype, f.offset, dtype.itemSize);
    }
    array.fields = fields;
    array.data = new Uint8Array(bytes);
  } else {
    array.data = decodeStrided(bytes, count, dtype, 0, dtype.itemSize);
  }
}

const HOST_LITTLE_ENDIAN = endianness() === 'LE';

function allocate(dtype: NpDtype, n: number): TypedNumbers {
  const k = dtype.kind + dtype.itemSize;
  switch (k) {
    case 'f8': return new Float64Array(n);
    case 'f4': return new Float32Array(n);
    case 'i1': return new Int8Array(n);
    case 'i2': return new Int16Array(n);
    case 'i4': return new Int32Array(n);
    case 'i8': return new BigInt64Array(n);
    case 'u1': case 'b1': return new Uint8Array(n);
    case 'u2': return new Uint16Array(n);
    case 'u4': return new Uint32Array(n);
    case 'u8': return new BigUint64Array(n);
    default: throw new PickleFormatError(`unsupported numpy element type ${dtype.code}`, -1);
  }
}

function decodeStrided(bytes: Uint8Array, n: number, dtype: NpDtype, offset: number, stride: number): TypedNumbers {
  const out = allocate(dtype, n);
  const size = dtype.itemSize;
  if (offset === 0 && stride === size && (size === 1 || dtype.littleEndian === HOST_LITTLE_ENDIAN)) {
    // contiguous, native order: one copy
    new Uint8Array(out.buffer).set(bytes.subarray(0, n * size));
    return out;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = dtype.littleEndian;
  for (let i = 0, p = offset; i < n; i++, p += stride) {
    switch (dtype.kind + size) {
      case 'f8': (out as Float64Array)[i] = view.getFloat64(p, le); break;
      case 'f4': (out as Float32Array)[i] = view.getFloat32(p, le); break;
      case 'i1': (out as Int8Array)[i] = view.getInt8(p); break;
      case 'i2': (out as Int16Array)[i] = view.getInt16(p, le); break;
      case 'i4': (out as Int32Array)[i] = view.getInt32(p, le); break;
      case 'i8': (out as BigInt64Array)[i] = view.getBigInt64(p, le); break;
      case 'u1': case 'b1': (out as Uint8Array)[i] = view.getUint8(p); break;
      case 'u2': (out as Uint16Array)[i] = view.getUint16(p, le); break;
      case 'u4': (out as Uint32Array)[i] = view.getUint32(p, le); break;
      case 'u8': (out as BigUint64Array)[i] = view.getBigUint64(p, le); break;
    }
  }
  return out;
}

/** A numpy scalar (`numpy.core.multiarray.scalar(dtype, bytes)`) as a JS number or bigint. */
export function decodeScalar(dtype: NpDtype, bytes: Uint8Array): number | bigint | boolean {
  if (dtype.fields) throw new PickleFormatError('structured numpy scalars are not supported', -1);
  if (bytes.length !== dtype.itemSize) throw new PickleFormatError(`numpy scalar of ${dtype.code} has ${bytes.length} bytes`, -1);
  const v = decodeStrided(bytes, 1, dtype, 0, dtype.itemSize)[0]!;
  if (dtype.kind === 'b') return v !== 0;
  if (typeof v === 'bigint' && Number.isSafeInteger(Number(v))) return Number(v);
  return v;
}
