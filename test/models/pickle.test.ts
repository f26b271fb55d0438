/**
 * The whitelisting pickle reader: decoding (protocols 0–4, numpy arrays, scikit-learn objects) and
 * refusal of everything else. Every pickle here is built byte by byte below, no Python involved.
 */
import { existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  NdArray,
  PickleFormatError,
  PyDict,
  PyObject,
  PyTuple,
  UnsafePickleError,
  readPickle,
} from '../../lib/models/pickle/index.js';

/** A tiny pickle assembler: opcodes and their arguments as bytes. */
class P {
  private readonly parts: number[] = [];
  op(code: string | number): this {
    this.parts.push(typeof code === 'number' ? code : code.charCodeAt(0));
    return this;
  }
  raw(bytes: ArrayLike<number>): this {
    for (let i = 0; i < bytes.length; i++) this.parts.push(bytes[i]!);
    return this;
  }
  u8(n: number): this {
    return this.raw([n & 0xff]);
  }
  u32(n: number): this {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(n >>> 0);
    return this.raw(b);
  }
  u64(n: bigint): this {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(n);
    return this.raw(b);
  }
  line(text: string): this {
    return this.raw(Buffer.from(text + '\n', 'latin1'));
  }
  proto(v: number): this {
    return this.op(0x80).u8(v);
  }
  global(module: string, name: string): this {
    return this.op('c').line(module).line(name);
  }
  unicode(s: string): this {
    const b = Buffer.from(s, 'utf8');
    return this.op('X').u32(b.length).raw(b);
  }
  shortBinString(s: string): this {
    const b = Buffer.from(s, 'latin1');
    return this.op('U').u8(b.length).raw(b);
  }
  bytes(b: Uint8Array): this {
    return this.op('B').u32(b.length).raw(b);
  }
  int(n: number): this {
    return this.op('J').u32(n);
  }
  float(x: number): this {
    const b = Buffer.alloc(8);
    b.writeDoubleBE(x);
    return this.op('G').raw(b);
  }
  stop(): Uint8Array {
    this.op('.');
    return Uint8Array.from(this.parts);
  }
}

/** `numpy.dtype(code, False, True)` with numpy's version-3 state. */
function dtype(p: P, code: string, order = '<'): P {
  return p
    .global('numpy', 'dtype')
    .unicode(code).op(0x89).op(0x88).op(0x87).op('R')
    .op('(').int(3).unicode(order).op('N').op('N').op('N').int(-1).int(-1).int(0).op('t').op('b');
}

/** `_reconstruct(ndarray, (0,), b'b')` + BUILD((1, shape, dtype, False, data)). */
function ndarray(p: P, shape: number[], code: string, data: Uint8Array, modulePath = 'numpy.core.multiarray'): P {
  p.global(modulePath, '_reconstruct').global('numpy', 'ndarray').int(0).op(0x85).op('C').u8(1).u8(0x62).op(0x87).op('R');
  p.op('(').int(1).op('(');
  for (const d of shape) p.int(d);
  p.op('t');
  dtype(p, code);
  return p.op(0x89).bytes(data).op('t').op('b');
}

function f64Bytes(values: number[]): Uint8Array {
  return new Uint8Array(Float64Array.from(values).buffer);
}

describe('pickle reader: plain data', () => {
  it('reads a protocol-0 text pickle (ints, longs, floats, strings, lists, tuples, memo)', () => {
    const p = new P()
      .op('(').op('d').line('p0')
      .op('S').line("'answer'").op('I').line('42').op('s')
      .op('S').line("'big'").op('L').line('123456789012345678901234567890L').op('s')
      .op('S').line("'pi'").op('F').line('3.25').op('s')
      .op('S').line("'flag'").op('I').line('01').op('s')
      .op('S').line("'esc'").op('S').line("'a\\nb\\x41'").op('s')
      .op('S').line("'uni'").op('V').line('caf\\u00e9').op('s')
      .op('S').line("'list'").op('(').op('l').line('p1').op('I').line('1').op('a').op('g').line('1').op('a').op('s');
    const v = readPickle(p.stop());
    expect(v).toBeInstanceOf(PyDict);
    const d = v as PyDict;
    expect(d.get('answer')).toBe(42);
    expect(d.get('big')).toBe(123456789012345678901234567890n);
    expect(d.get('pi')).toBe(3.25);
    expect(d.get('flag')).toBe(true);
    expect(d.get('esc')).toBe('a\nbA');
    expect(d.get('uni')).toBe('café');
    const list = d.get('list') as unknown[];
    expect(list[0]).toBe(1);
    expect(list[1]).toBe(list); // the memo gives back the same list object
  });

  it('reads protocol 2/4 binary opcodes (LONG1, TUPLE2, FRAME, SHORT_BINUNICODE, MEMOIZE)', () => {
    const body = new P()
      .op(0x8c).u8(1).raw([0x6b]).op(0x94)
      .op(0x8a).u8(9).raw([0, 0, 0, 0, 0, 0, 0, 0, 1]) // 2^64
      .op(0x86)
      .op('h').u8(0)
      .float(-0.5).op('K').u8(7).op(0x86).op(0x86).op(0x86)
      .stop();
    const p = new P().proto(4).op(0x95).u64(BigInt(body.length)).raw(body).stop().slice(0, -1);
    const v = readPickle(p) as PyTuple;
    expect(v).toBeInstanceOf(PyTuple);
    const [first, second] = v.items as [PyTuple, PyTuple];
    expect(first.items).toEqual(['k', 18446744073709551616n]);
    expect(second.items).toEqual(['k', new PyTuple([-0.5, 7])]);
  });
});

describe('pickle reader: numpy and scikit-learn', () => {
  it('decodes float64 and int64 arrays into typed arrays (old and new numpy module paths)', () => {
    const f = readPickle(ndarray(new P().proto(2), [2, 2], 'f8', f64Bytes([1.5, -2, 0, 1e300])).stop()) as NdArray;
    expect(f).toBeInstanceOf(NdArray);
    expect(f.shape).toEqual([2, 2]);
    expect([...f.toFloat64()]).toEqual([1.5, -2, 0, 1e300]);
    const ints = new Uint8Array(new BigInt64Array([-1n, 1n << 40n]).buffer);
    const i = readPickle(ndarray(new P().proto(2), [2], 'i8', ints, 'numpy._core.multiarray').stop()) as NdArray;
    expect(i.data).toBeInstanceOf(BigInt64Array);
    expect([...i.toFloat64()]).toEqual([-1, 2 ** 40]);
  });

  it('decodes structured records (scikit-learn tree nodes) field by field', () => {
    // two 24-byte records: left (i8), threshold (f8), count (i8)
    const rec = Buffer.alloc(48);
    rec.writeBigInt64LE(-1n, 0); rec.writeDoubleLE(0.25, 8); rec.writeBigInt64LE(7n, 16);
    rec.writeBigInt64LE(5n, 24); rec.writeDoubleLE(-3, 32); rec.writeBigInt64LE(9n, 40);
    const p = new P().proto(2);
    p.global('numpy.core.multiarray', '_reconstruct').global('numpy', 'ndarray').int(0).op(0x85).op('C').u8(1).u8(0x62).op(0x87).op('R');
    p.op('(').int(1).int(2).op(0x85);
    p.global('numpy', 'dtype').unicode('V24').op(0x89).op(0x88).op(0x87).op('R');
    p.op('(').int(3).unicode('|').op('N');
    p.unicode('left').unicode('threshold').unicode('count').op(0x87);
    p.op('}').op('(');
    dtype(p.unicode('left'), 'i8').int(0).op(0x86);
    dtype(p.unicode('threshold'), 'f8').int(8).op(0x86);
    dtype(p.unicode('count'), 'i8').int(16).op(0x86);
    p.op('u').int(24).int(1).int(16).op('t').op('b');
    p.op(0x89).bytes(rec).op('t').op('b');
    const a = readPickle(p.stop()) as NdArray;
    expect(a.shape).toEqual([2]);
    expect([...a.fields!['left']!]).toEqual([-1n, 5n]);
    expect([...a.fields!['threshold']!]).toEqual([0.25, -3]);
    expect([...a.fields!['count']!]).toEqual([7n, 9n]);
  });

  it('builds a scikit-learn object from a Python-2 protocol-1 pickle (copy_reg._reconstructor, latin-1 array bytes)', () => {
    const p = new P()
      .global('copy_reg', '_reconstructor')
      .op('(').global('sklearn.svm.classes', 'SVC').global('__builtin__', 'object').op('N').op('t').op('R')
      .op('}').op('(').shortBinString('kernel').shortBinString('rbf').shortBinString('_intercept_');
    p.global('numpy.core.multiarray', '_reconstruct').op('(').global('numpy', 'ndarray').op('(').op('K').u8(0).op('t').shortBinString('b').op('t').op('R');
    p.op('(').op('K').u8(1).op('(').op('K').u8(1).op('t');
    p.global('numpy', 'dtype').op('(').shortBinString('f8').op('K').u8(0).op('K').u8(1).op('t').op('R');
    p.op('(').op('K').u8(3).shortBinString('<').op('N').op('N').op('N').int(-1).int(-1).op('K').u8(0).op('t').op('b');
    const bytes = f64Bytes([-0.75]); // contains bytes ≥ 0x80: must survive the latin-1 round trip
    p.op('I').line('00').op('T').u32(8).raw(bytes).op('t').op('b');
    p.op('u').op('b');
    const svc = readPickle(p.stop());
    expect(svc).toBeInstanceOf(PyObject);
    const o = svc as PyObject;
    expect(o.cls).toBe('sklearn.svm.SVC');
    expect(o.attr('kernel')).toBe('rbf');
    expect([...(o.attr('_intercept_') as NdArray).toFloat64()]).toEqual([-0.75]);
  });

  it('accepts new module paths (protocol 4 STACK_GLOBAL, NEWOBJ)', () => {
    const p = new P().proto(4)
      .op(0x8c).u8('sklearn.ensemble._forest'.length).raw(Buffer.from('sklearn.ensemble._forest'))
      .op(0x8c).u8('RandomForestClassifier'.length).raw(Buffer.from('RandomForestClassifier'))
      .op(0x93).op(')').op(0x81).op('}').unicode('n_estimators').op('K').u8(3).op('s').op('b');
    const o = readPickle(p.stop()) as PyObject;
    expect(o.cls).toBe('sklearn.ensemble.RandomForestClassifier');
    expect(o.attr('n_estimators')).toBe(3);
  });
});

describe('pickle reader: refusals', () => {
  const canary = join(tmpdir(), `diskpredict-pickle-canary-${process.pid}`);

  function expectUnsafe(bytes: Uint8Array, what: string): void {
    rmSync(canary, { force: true });
    let err: unknown;
    try {
      readPickle(bytes);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UnsafePickleError);
    expect((err as UnsafePickleError).what).toBe(what);
    expect((err as Error).message).toContain(what);
    expect(existsSync(canary)).toBe(false);
  }

  it('refuses os.system / posix.system', () => {
    for (const mod of ['os', 'posix', 'nt']) {
      expectUnsafe(new P().global(mod, 'system').op('(').op('S').line(`'touch ${canary}'`).op('t').op('R').stop(), `${mod}.system`);
    }
  });

  it('refuses builtins.eval (Python 2 and 3 names) and getattr chains', () => {
    expectUnsafe(new P().global('__builtin__', 'eval').op('(').op('S').line(`'open("${canary}","w")'`).op('t').op('R').stop(), '__builtin__.eval');
    expectUnsafe(new P().proto(2).global('builtins', 'eval').unicode('1').op(0x85).op('R').stop(), 'builtins.eval');
    expectUnsafe(new P().proto(2).global('builtins', 'getattr').stop(), 'builtins.getattr');
  });

  it('refuses subprocess.Popen, also through STACK_GLOBAL and INST', () => {
    const argv = (p: P): P => p.op(']').op('(').unicode('touch').unicode(canary).op('e').op(0x85);
    expectUnsafe(argv(new P().proto(2).global('subprocess', 'Popen')).op('R').stop(), 'subprocess.Popen');
    const sg = new P().proto(4).op(0x8c).u8(10).raw(Buffer.from('subprocess')).op(0x8c).u8(5).raw(Buffer.from('Popen')).op(0x93);
    expectUnsafe(argv(sg).op('R').stop(), 'subprocess.Popen');
    expectUnsafe(new P().op('(').op('S').line(`'touch ${canary}'`).op('i').line('subprocess').line('Popen').stop(), 'subprocess.Popen');
  });

  it('refuses REDUCE on a value that is not a whitelisted global (nested REDUCE), and calls a class is not meant for', () => {
    // Tree(…) is allowed; calling its result again is not
    const nested = new P().proto(2).global('sklearn.tree._tree', 'Tree').op(')').op('R').op(')').op('R').stop();
    expectUnsafe(nested, 'REDUCE');
    // a whitelisted non-callable global used as a callable
    expectUnsafe(new P().proto(2).global('numpy', 'ndarray').op(')').op('R').stop(), 'numpy.ndarray');
    // copy_reg._reconstructor with a base class other than object
    const recon = new P().global('copy_reg', '_reconstructor').op('(').global('sklearn.svm.classes', 'SVC').global('sklearn.svm.classes', 'SVC').op('N').op('t').op('R').stop();
    expectUnsafe(recon, 'copy_reg._reconstructor');
    // NEWOBJ on a whitelisted function
    expectUnsafe(new P().proto(2).global('numpy', 'dtype').op(')').op(0x81).stop(), 'numpy.dtype');
    // OBJ, persistent ids and extension codes
    expectUnsafe(new P().op('(').global('sklearn.svm.classes', 'SVC').op('o').stop(), 'OBJ');
    expectUnsafe(new P().op('P').line('x').stop(), 'PERSID');
    expectUnsafe(new P().proto(2).op(0x82).u8(1).stop(), 'EXT');
  });

  it('rejects memo abuse: GET of a never-stored entry, PUT from an empty stack', () => {
    expect(() => readPickle(new P().op('h').u8(3).stop())).toThrow(PickleFormatError);
    expect(() => readPickle(new P().op('j').u32(0xffffffff).stop())).toThrow(/never stored/);
    expect(() => readPickle(new P().op('q').u8(0).op('N').stop())).toThrow(/stack underflow/);
    expect(() => readPickle(new P().op('(').op('q').u8(0).op('t').stop())).toThrow(/MARK/);
  });

  it('rejects lengths beyond the end of the file without allocating them', () => {
    expect(() => readPickle(new P().op('X').u32(0x7fffffff).stop())).toThrow(/exceeds/);
    expect(() => readPickle(new P().op('T').u32(0xfffffff0).stop())).toThrow(PickleFormatError);
    expect(() => readPickle(new P().proto(4).op(0x8e).u64(1n << 62n).stop())).toThrow(/exceeds/);
    expect(() => readPickle(new P().proto(4).op(0x8d).u64((1n << 64n) - 1n).stop())).toThrow(/exceeds/);
    expect(() => readPickle(new P().proto(4).op(0x95).u64(1n << 40n).stop())).toThrow(/exceeds/);
    expect(() => readPickle(new P().proto(2).op(0x8b).u32(0x7ffffff0).stop())).toThrow(/beyond/);
    expect(() => readPickle(new P().op('L').line('9'.repeat(100_000)).stop())).toThrow(/beyond/);
    // an array header claiming far more elements than its data holds
    expect(() => readPickle(ndarray(new P().proto(2), [1 << 30, 1 << 20], 'f8', f64Bytes([1])).stop())).toThrow(PickleFormatError);
  });

  it('rejects truncated input and unknown opcodes, and never throws anything else on random bytes', () => {
    expect(() => readPickle(new Uint8Array([0x80, 0x02, 0x4e]))).toThrow(/no STOP/);
    expect(() => readPickle(new Uint8Array([0xff]))).toThrow(/unknown/);
    expect(() => readPickle(new P().proto(5).stop())).toThrow(/protocol 5/);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        try {
          readPickle(bytes);
        } catch (e) {
          if (!(e instanceof PickleFormatError || e instanceof UnsafePickleError)) throw e;
        }
      }),
      { numRuns: 3000 },
    );
  });
});
