/**
 * Plain data a pickle decodes to. Nothing here runs code: classes are names, objects are
 * (class name, constructor arguments, state), numpy arrays are typed arrays.
 */
import type { NdArray, NpDtype } from './numpy.js';

export type PyKey = string | number | bigint | boolean | null;

export type PyValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | PyValue[]
  | PyTuple
  | PyDict
  | PySet
  | PyGlobal
  | PyObject
  | NdArray
  | NpDtype;

export class PyTuple {
  constructor(readonly items: readonly PyValue[]) {}
}

export class PyDict {
  readonly map = new Map<PyKey, PyValue>();
  get(key: PyKey): PyValue | undefined {
    return this.map.get(key);
  }
}

export class PySet {
  readonly items: PyValue[] = [];
}

/** A whitelisted global, by its canonical name (e.g. `sklearn.svm.SVC`). */
export class PyGlobal {
  constructor(
    readonly canonical: string,
    /** the module path the pickle wrote (old or new) */
    readonly module: string,
    readonly name: string,
  ) {}
}

/** An instance of a whitelisted class: `state` is what BUILD gave it (usually a PyDict). */
export class PyObject {
  state: PyValue | undefined;
  constructor(
    readonly cls: string,
    readonly args: readonly PyValue[],
  ) {}
  /** Attribute from the dict state (Python's `obj.__dict__[name]`). */
  attr(name: string): PyValue | undefined {
    return this.state instanceof PyDict ? this.state.get(name) : undefined;
  }
}

export function isPyKey(v: PyValue): v is PyKey {
  return v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean';
}
