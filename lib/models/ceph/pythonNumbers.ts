/** Python's `int(v)` and `float(v)` on day-dict values (ints, floats from raw.value, bigints above 2^53). */
import { CephModelError } from './errors.js';

const INT_LITERAL = /^\s*[+-]?\d+\s*$/;

export function pyInt(v: number | bigint | string, attr: string): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new CephModelError(`OverflowError: cannot convert ${v} to integer (${attr})`);
    return BigInt(Math.trunc(v));
  }
  if (INT_LITERAL.test(v)) return BigInt(v.trim());
  throw new CephModelError(`ValueError: invalid literal for int(): ${JSON.stringify(v)} (${attr})`);
}

export function pyFloat(v: number | bigint | string, attr: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v); // round to nearest, ties to even, as Python's float(int)
  const n = Number(v.trim());
  if (v.trim() === '' || Number.isNaN(n)) throw new CephModelError(`ValueError: could not convert string to float: ${JSON.stringify(v)} (${attr})`);
  return n;
}
