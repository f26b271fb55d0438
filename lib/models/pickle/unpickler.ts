/**
 * A pickle reader (protocols 0–4) that builds plain data and never executes anything. Every
 * GLOBAL is checked against a whitelist the moment it is read, and the only "calls" are the
 * handful a scikit-learn/numpy model needs, interpreted here as data constructors.
 */
import { PickleFormatError, UnsafePickleError } from './errors.js';
import { NdArray, NpDtype, decodeArrayData, decodeScalar } from './numpy.js';
import { PyDict, PyGlobal, PyObject, PySet, PyTuple, isPyKey, type PyValue } from './values.js';
import { INSTANTIABLE_CLASSES, canonicalGlobal } from './whitelist.js';

const MARK = Symbol('mark');
// Caps on integer size: building a bigint is quadratic in its length, and no model holds such numbers
// (Python itself refuses int() of more than 4300 digits).
const MAX_INTEGER_BYTES = 1024;
const MAX_INTEGER_DIGITS = 4300;
type StackItem = PyValue | typeof MARK;

const utf8 = new TextDecoder('utf-8');

/** Decode a pickle; throws UnsafePickleError for anything outside the whitelist, PickleFormatError for malformed input. */
export function readPickle(bytes: Uint8Array): PyValue {
  return new Unpickler(bytes).run();
}

class Unpickler {
  private pos = 0;
  private stack: StackItem[] = [];
  private readonly memo = new Map<number, PyValue>();
  private opStart = 0;

  constructor(private readonly buf: Uint8Array) {}

  run(): PyValue {
    const buf = this.buf;
    for (;;) {
      if (this.pos >= buf.length) this.fail('truncated pickle: no STOP opcode');
      this.opStart = this.pos;
      const op = buf[this.pos++]!;
      switch (op) {
        case 0x80: { // PROTO
          const v = this.u8();
          if (v > 4) this.fail(`unsupported pickle protocol ${v}`);
          break;
        }
        case 0x95: // FRAME: a length hint only
          this.checkLength(this.u64());
          break;
        case 0x2e: // STOP
          return this.pop();
        case 0x28: this.stack.push(MARK); break; // MARK
        case 0x30: this.pop(); break; // POP
        case 0x31: this.popMark(); break; // POP_MARK
        case 0x32: this.push(this.peek()); break; // DUP
        case 0x4e: this.push(null); break; // NONE
        case 0x88: this.push(true); break; // NEWTRUE
        case 0x89: this.push(false); break; // NEWFALSE
        case 0x4a: this.push(this.view(4).getInt32(0, true)); break; // BININT
        case 0x4b: this.push(this.u8()); break; // BININT1
        case 0x4d: this.push(this.view(2).getUint16(0, true)); break; // BININT2
        case 0x8a: this.push(this.long(this.u8())); break; // LONG1
        case 0x8b: this.push(this.long(this.len32())); break; // LONG4
        case 0x47: this.push(this.view(8).getFloat64(0, false)); break; // BINFLOAT
        case 0x49: this.push(this.textInt(this.line())); break; // INT
        case 0x4c: this.push(this.textLong(this.line())); break; // LONG
        case 0x46: this.push(this.textFloat(this.line())); break; // FLOAT
        case 0x53: this.push(this.textString(this.line())); break; // STRING
        case 0x56: this.push(this.guard(() => rawUnicodeEscape(this.line()))); break; // UNICODE
        case 0x54: this.push(latin1(this.take(this.len32()))); break; // BINSTRING (Python 2 str, read as latin-1)
        case 0x55: this.push(latin1(this.take(this.u8()))); break; // SHORT_BINSTRING
        case 0x58: this.push(utf8.decode(this.take(this.len32()))); break; // BINUNICODE
        case 0x8c: this.push(utf8.decode(this.take(this.u8()))); break; // SHORT_BINUNICODE
        case 0x8d: this.push(utf8.decode(this.take(this.len64()))); break; // BINUNICODE8
        case 0x42: this.push(this.take(this.len32())); break; // BINBYTES
        case 0x43: this.push(this.take(this.u8())); break; // SHORT_BINBYTES
        case 0x8e: this.push(this.take(this.len64())); break; // BINBYTES8
        case 0x29: this.push(new PyTuple([])); break; // EMPTY_TUPLE
        case 0x85: this.push(new PyTuple(this.popN(1))); break; // TUPLE1
        case 0x86: this.push(new PyTuple(this.popN(2))); break; // TUPLE2
        case 0x87: this.push(new PyTuple(this.popN(3))); break; // TUPLE3
        case 0x74: this.push(new PyTuple(this.popMark())); break; // TUPLE
        case 0x5d: this.push([]); break; // EMPTY_LIST
        case 0x6c: this.push(this.popMark()); break; // LIST
        case 0x61: { // APPEND
          const v = this.pop();
          this.list().push(v);
          break;
        }
        case 0x65: { // APPENDS
          const items = this.popMark();
          const list = this.list();
          for (const v of items) list.push(v);
          break;
        }
        case 0x7d: this.push(new PyDict()); break; // EMPTY_DICT
        case 0x64: { // DICT
          const d = new PyDict();
          this.setItems(d, this.popMark());
          this.push(d);
          break;
        }
        case 0x73: { // SETITEM
          const v = this.pop();
          const k = this.pop();
          this.setItems(this.dict(), [k, v]);
          break;
        }
        case 0x75: { // SETITEMS
          const items = this.popMark();
          this.setItems(this.dict(), items);
          break;
        }
        case 0x8f: this.push(new PySet()); break; // EMPTY_SET
        case 0x90: { // ADDITEMS
          const items = this.popMark();
          const s = this.peek();
          if (!(s instanceof PySet)) this.fail('ADDITEMS on a non-set');
          for (const v of items) s.items.push(v);
          break;
        }
        case 0x91: { // FROZENSET
          const s = new PySet();
          for (const v of this.popMark()) s.items.push(v);
          this.push(s);
          break;
        }
        case 0x67: this.push(this.memoGet(this.textIndex(this.line()))); break; // GET
        case 0x68: this.push(this.memoGet(this.u8())); break; // BINGET
        case 0x6a: this.push(this.memoGet(this.view(4).getUint32(0, true))); break; // LONG_BINGET
        case 0x70: this.memo.set(this.textIndex(this.line()), this.peek()); break; // PUT
        case 0x71: this.memo.set(this.u8(), this.peek()); break; // BINPUT
        case 0x72: this.memo.set(this.view(4).getUint32(0, true), this.peek()); break; // LONG_BINPUT
        case 0x94: this.memo.set(this.memo.size, this.peek()); break; // MEMOIZE
        case 0x63: { // GLOBAL
          const module = this.line();
          const name = this.line();
          this.push(this.global(module, name));
          break;
        }
        case 0x93: { // STACK_GLOBAL
          const name = this.pop();
          const module = this.pop();
          if (typeof module !== 'string' || typeof name !== 'string') this.fail('STACK_GLOBAL needs two strings');
          this.push(this.global(module, name));
          break;
        }
        case 0x52: { // REDUCE
          const args = this.pop();
          const callable = this.pop();
          this.push(this.call(callable, args));
          break;
        }
        case 0x81: { // NEWOBJ
          const args = this.pop();
          const cls = this.pop();
          this.push(this.instantiate(cls, args, 'NEWOBJ'));
          break;
        }
        case 0x92: { // NEWOBJ_EX
          const kwargs = this.pop();
          const args = this.pop();
          const cls = this.pop();
          if (!(kwargs instanceof PyDict) || kwargs.map.size > 0) this.refuse('NEWOBJ_EX with keyword arguments', 'NEWOBJ_EX');
          this.push(this.instantiate(cls, args, 'NEWOBJ_EX'));
          break;
        }
        case 0x62: { // BUILD
          const state = this.pop();
          this.build(this.peek(), state);
          break;
        }
        case 0x69: { // INST: module and class by name, then a call
          const module = this.line();
          const name = this.line();
          this.refuse(`INST ${module}.${name} is not allowed`, `${module}.${name}`);
          break;
        }
        case 0x6f: this.refuse('OBJ (call of a stack value) is not allowed', 'OBJ'); break;
        case 0x50: case 0x51: this.refuse('persistent ids (PERSID) are not allowed', 'PERSID'); break;
        case 0x82: case 0x83: case 0x84: this.refuse('extension registry codes (EXT) are not allowed', 'EXT'); break;
        default:
          this.fail(`unknown or unsupported opcode 0x${op.toString(16).padStart(2, '0')}`);
      }
    }
  }

  // ---- errors --------------------------------------------------------------

  private fail(message: string): never {
    throw new PickleFormatError(`${message} (at byte ${this.opStart})`, this.opStart);
  }

  private refuse(message: string, what: string): never {
    throw new UnsafePickleError(`unsafe pickle: ${message} (at byte ${this.opStart})`, what, this.opStart);
  }

  // ---- reading bytes -------------------------------------------------------

  private checkLength(n: number): void {
    if (n > this.buf.length - this.pos) this.fail(`length ${n} exceeds the ${this.buf.length - this.pos} bytes left`);
  }

  private take(n: number): Uint8Array {
    this.checkLength(n);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  private view(n: number): DataView {
    const b = this.take(n);
    return new DataView(b.buffer, b.byteOffset, n);
  }

  private u8(): number {
    return this.take(1)[0]!;
  }

  private u64(): number {
    const v = this.view(8).getBigUint64(0, true);
    return v > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(v);
  }

  private len32(): number {
    const n = this.view(4).getInt32(0, true);
    if (n < 0) this.fail(`negative length ${n}`);
    return n;
  }

  private len64(): number {
    return this.u64();
  }

  private line(): string {
    const nl = this.buf.indexOf(0x0a, this.pos);
    if (nl < 0) this.fail('truncated pickle: missing end of line');
    const s = latin1(this.buf.subarray(this.pos, nl));
    this.pos = nl + 1;
    return s;
  }

  private long(n: number): number | bigint {
    if (n > MAX_INTEGER_BYTES) this.fail(`integer of ${n} bytes is beyond any model value`);
    const b = this.take(n);
    if (n === 0) return 0;
    let v = 0n;
    for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
    if (b[n - 1]! & 0x80) v -= 1n << BigInt(8 * n);
    return exactInteger(v);
  }

  private textInt(s: string): number | bigint | boolean {
    if (s === '01') return true;
    if (s === '00') return false;
    return this.textLong(s);
  }

  private textLong(s: string): number | bigint {
    const t = s.endsWith('L') ? s.slice(0, -1) : s;
    if (!/^[+-]?\d+$/.test(t)) this.fail(`bad integer ${JSON.stringify(s.slice(0, 40))}`);
    if (t.length > MAX_INTEGER_DIGITS) this.fail(`integer of ${t.length} digits is beyond any model value`);
    return exactInteger(BigInt(t));
  }

  private textIndex(s: string): number {
    if (!/^\d+$/.test(s)) this.fail(`bad memo index ${JSON.stringify(s)}`);
    return Number(s);
  }

  private textFloat(s: string): number {
    const t = s.trim().toLowerCase();
    if (t === 'inf') return Infinity;
    if (t === '-inf') return -Infinity;
    if (t === 'nan') return NaN;
    const v = Number(t);
    if (t === '' || Number.isNaN(v)) this.fail(`bad float ${JSON.stringify(s)}`);
    return v;
  }

  private textString(s: string): string {
    const q = s[0];
    if ((q !== "'" && q !== '"') || s.length < 2 || s[s.length - 1] !== q) this.fail('STRING opcode without quotes');
    return unescapePythonString(s.slice(1, -1));
  }

  // ---- stack ---------------------------------------------------------------

  private push(v: PyValue): void {
    this.stack.push(v);
  }

  private pop(): PyValue {
    const v = this.stack.pop();
    if (v === undefined) this.fail('stack underflow');
    if (v === MARK) this.fail('unexpected MARK on the stack');
    return v;
  }

  private peek(): PyValue {
    const v = this.stack[this.stack.length - 1];
    if (v === undefined) this.fail('stack underflow');
    if (v === MARK) this.fail('unexpected MARK on the stack');
    return v;
  }

  private popN(n: number): PyValue[] {
    const out: PyValue[] = new Array<PyValue>(n);
    for (let i = n - 1; i >= 0; i--) out[i] = this.pop();
    return out;
  }

  private popMark(): PyValue[] {
    const at = this.stack.lastIndexOf(MARK);
    if (at < 0) this.fail('no MARK on the stack');
    const items = this.stack.splice(at) as StackItem[];
    items.shift();
    return items as PyValue[];
  }

  private list(): PyValue[] {
    const l = this.peek();
    if (!Array.isArray(l)) this.fail('APPEND to a non-list');
    return l;
  }

  private dict(): PyDict {
    const d = this.peek();
    if (!(d instanceof PyDict)) this.fail('SETITEM on a non-dict');
    return d;
  }

  private setItems(d: PyDict, items: PyValue[]): void {
    if (items.length % 2 !== 0) this.fail('odd number of items for a dict');
    for (let i = 0; i < items.length; i += 2) {
      const k = items[i]!;
      if (!isPyKey(k)) this.fail('dict key of an unsupported type');
      d.map.set(k, items[i + 1]!);
    }
  }

  private memoGet(i: number): PyValue {
    const v = this.memo.get(i);
    if (v === undefined) this.fail(`memo entry ${i} was never stored`);
    return v;
  }

  // ---- the whitelisted "calls" ---------------------------------------------

  private global(module: string, name: string): PyGlobal {
    const canonical = canonicalGlobal(module, name);
    if (canonical === undefined) this.refuse(`global ${module}.${name} is not whitelisted`, `${module}.${name}`);
    return new PyGlobal(canonical, module, name);
  }

  private call(callable: PyValue, args: PyValue): PyValue {
    if (!(callable instanceof PyGlobal)) this.refuse(`REDUCE on a ${describe(callable)}, not a whitelisted global`, 'REDUCE');
    const what = `${callable.module}.${callable.name}`;
    if (!(args instanceof PyTuple)) this.fail(`REDUCE on ${what} without an argument tuple`);
    const a = args.items;
    switch (callable.canonical) {
      case 'copyreg._reconstructor': {
        const [cls, base, state] = a;
        if (!(base instanceof PyGlobal) || base.canonical !== 'builtins.object' || (state !== null && state !== undefined)) {
          this.refuse(`${what} with a base other than object`, what);
        }
        return this.instantiate(cls ?? null, new PyTuple([]), what);
      }
      case 'numpy._reconstruct': {
        const [cls] = a;
        if (!(cls instanceof PyGlobal) || cls.canonical !== 'numpy.ndarray') this.refuse(`${what} of a ${describe(cls ?? null)}`, what);
        return new NdArray();
      }
      case 'numpy.dtype': {
        const code = a[0];
        if (typeof code !== 'string') this.fail('numpy.dtype needs a type code');
        return this.guard(() => new NpDtype(code));
      }
      case 'numpy.scalar': {
        const [dtype, data] = a;
        if (!(dtype instanceof NpDtype)) this.fail('numpy scalar without a dtype');
        return this.guard(() => decodeScalar(dtype, this.bytesOf(data ?? null)));
      }
      default:
        if (INSTANTIABLE_CLASSES.has(callable.canonical)) return new PyObject(callable.canonical, a);
        return this.refuse(`REDUCE on ${what} is not allowed`, what);
    }
  }

  private instantiate(cls: PyValue, args: PyValue, op: string): PyObject {
    if (!(cls instanceof PyGlobal)) this.refuse(`${op} on a ${describe(cls)}, not a whitelisted class`, op);
    if (!INSTANTIABLE_CLASSES.has(cls.canonical)) this.refuse(`${op} on ${cls.module}.${cls.name} is not allowed`, `${cls.module}.${cls.name}`);
    if (!(args instanceof PyTuple)) this.fail(`${op} without an argument tuple`);
    return new PyObject(cls.canonical, args.items);
  }

  private build(target: PyValue, state: PyValue): void {
    if (target instanceof NdArray) {
      if (!(state instanceof PyTuple)) this.fail('ndarray state is not a tuple');
      const s = state.items.length === 5 ? state.items.slice(1) : state.items;
      const [shape, dtype, fortran, data] = s;
      if (!(shape instanceof PyTuple) || !(dtype instanceof NpDtype) || typeof fortran !== 'boolean' && typeof fortran !== 'number') {
        this.fail('malformed ndarray state');
      }
      const dims = shape.items.map((d) => {
        if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) this.fail('bad ndarray dimension');
        return d;
      });
      this.guard(() => decodeArrayData(target, dims, dtype, Boolean(fortran), this.bytesOf(data ?? null)));
      return;
    }
    if (target instanceof NpDtype) {
      if (!(state instanceof PyTuple)) this.fail('dtype state is not a tuple');
      this.guard(() => buildDtype(target, state.items));
      return;
    }
    if (target instanceof PyObject) {
      let dictState = state;
      if (state instanceof PyTuple && state.items.length === 2) dictState = state.items[0] ?? null;
      if (dictState instanceof PyDict && target.state instanceof PyDict) {
        for (const [k, v] of dictState.map) target.state.map.set(k, v);
      } else target.state = dictState;
      return;
    }
    this.fail(`BUILD on a ${describe(target)}`);
  }

  private bytesOf(v: PyValue): Uint8Array {
    if (v instanceof Uint8Array) return v;
    if (typeof v === 'string') {
      // Python 2 str read as latin-1: every char is one byte
      if (/[^\x00-\xff]/.test(v)) this.fail('array data string is not latin-1');
      return Buffer.from(v, 'latin1');
    }
    return this.fail(`expected bytes, got a ${describe(v)}`);
  }

  /** Re-throw a format error from a helper with the current opcode offset. */
  private guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      if (e instanceof PickleFormatError && e.offset < 0) this.fail(e.message);
      throw e;
    }
  }
}

function buildDtype(dtype: NpDtype, state: readonly PyValue[]): void {
  // numpy's dtype state: (version, byteorder, subarray, names, fields, elsize, alignment, flags[, metadata])
  if (state.length < 6) throw new PickleFormatError('dtype state too short', -1);
  const [, byteOrder, subarray, names, fields, elsize] = state;
  if (typeof byteOrder === 'string') dtype.byteOrder = byteOrder;
  if (subarray !== null) throw new PickleFormatError('numpy sub-array dtypes are not supported', -1);
  if (names instanceof PyTuple && fields instanceof PyDict) {
    if (typeof elsize !== 'number' || elsize <= 0) throw new PickleFormatError('structured dtype without a size', -1);
    dtype.itemSize = elsize;
    dtype.fields = names.items.map((n) => {
      const f = typeof n === 'string' ? fields.get(n) : undefined;
      if (!(f instanceof PyTuple) || !(f.items[0] instanceof NpDtype) || typeof f.items[1] !== 'number') {
        throw new PickleFormatError(`malformed field ${String(n)} in structured dtype`, -1);
      }
      if (f.items[0].fields) throw new PickleFormatError('nested structured dtypes are not supported', -1);
      return { name: n as string, dtype: f.items[0], offset: f.items[1] };
    });
  }
}

function exactInteger(v: bigint): number | bigint {
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : v;
}

function latin1(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');
}

function describe(v: PyValue): string {
  if (v === null) return 'None';
  if (v instanceof PyObject) return `${v.cls} instance`;
  if (v instanceof PyGlobal) return `${v.module}.${v.name}`;
  if (Array.isArray(v)) return 'list';
  if (v instanceof Uint8Array) return 'bytes';
  if (typeof v === 'object') return v.constructor.name;
  return typeof v;
}

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v', '\n': '' };

function unescapePythonString(s: string): string {
  return s.replace(/\\(x[0-9a-fA-F]{2}|[0-7]{1,3}|.|\n)/g, (_m, e: string) => {
    if (e[0] === 'x') return String.fromCharCode(parseInt(e.slice(1), 16));
    if (/^[0-7]/.test(e)) return String.fromCharCode(parseInt(e, 8) & 0xff);
    return SIMPLE_ESCAPES[e] ?? `\\${e}`;
  });
}

function rawUnicodeEscape(s: string): string {
  return s.replace(/\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g, (_m, u4?: string, u8?: string) => {
    const cp = parseInt((u4 ?? u8)!, 16);
    if (cp > 0x10ffff) throw new PickleFormatError(`code point ${cp} out of range`, -1);
    return String.fromCodePoint(cp);
  });
}
