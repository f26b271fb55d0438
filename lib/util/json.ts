/**
 * Exact JSON: smartctl prints 64-bit counters (and Ceph dumps pass them through), so integers
 * beyond 2^53 must not be rounded by JSON.parse. Such integers come back as `bigint`; every other
 * number is a plain `number`.
 */
export type JsonValue = null | boolean | number | bigint | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

/** Thrown for text that is not JSON; `pointer` is the RFC 6901 path of the value being read. */
export class JsonSyntaxError extends Error {
  override readonly name = 'JsonSyntaxError';
  constructor(
    message: string,
    readonly position: number,
    readonly pointer: string,
  ) {
    super(message);
  }
}

/**
 * Deepest nesting the exact parser follows: it recurses, so a deeper document would overflow the stack (a RangeError
 * instead of a syntax error). No smartctl or Ceph document nests beyond ~10 levels.
 */
export const MAX_EXACT_JSON_DEPTH = 1000;

// 16+ digit integers may exceed 2^53; shorter ones never do, so JSON.parse is exact for them.
const LONG_INTEGER = /\d{16}/;

export function parseJsonExact(text: string): JsonValue {
  let value: JsonValue | undefined;
  try {
    value = LONG_INTEGER.test(text) ? parseWithLongIntegers(text) : (JSON.parse(text) as JsonValue);
  } catch {
    value = undefined; // not JSON: the exact parser reports where and why
  }
  return value ?? new ExactJsonParser(text).parseDocument();
}

/** An integer token of 16+ digits: not part of a fraction or exponent, not a key (a key must stay invalid JSON). */
const LONG_INTEGER_TOKEN = /(?<![\d.eE+-])-?[1-9]\d{15,}(?![\d.eE])(?!\s*:)/g;
const BIG_MARK = '\u0000bigint:';

/**
 * JSON.parse for text with long integers (smartctl's 64-bit counters): each integer token outside strings that
 * the exact parser would return as a bigint is first made a marked string, and the marked strings of the parsed
 * tree are then turned back into those bigints. The same values as the exact parser, at JSON.parse's speed (the
 * exact parser, run rarely, is not optimised by V8: 5 of the 323 golden dumps took as long as the other 318).
 * Only the long tokens are visited, and whether each is inside a string is told by the quotes before it: a
 * replace over every string of the text, and a reviver called for every value, were most of the time these
 * files took. Undefined when the text could hold a mark itself (it has a \u0000 escape); the exact parser then
 * reads it.
 */
function parseWithLongIntegers(text: string): JsonValue | undefined {
  // A parsed string can start with NUL only through a \u0000 escape: without one, every marked string is a mark.
  if (text.includes('\\u0000')) return undefined;
  const quotes = new QuoteParity(text);
  let marked = '';
  let copied = 0;
  LONG_INTEGER_TOKEN.lastIndex = 0;
  for (let m = LONG_INTEGER_TOKEN.exec(text); m !== null; m = LONG_INTEGER_TOKEN.exec(text)) {
    if (quotes.insideStringAt(m.index)) continue;
    const token = m[0];
    const big = BigInt(token);
    if (big <= MAX_SAFE && big >= MIN_SAFE) continue;
    marked += `${text.slice(copied, m.index)}"\\u0000bigint:${token}"`;
    copied = m.index + token.length;
  }
  if (copied === 0) return JSON.parse(text) as JsonValue;
  return unmarkBigInts(JSON.parse(marked + text.slice(copied)) as JsonValue);
}

/**
 * Whether an offset of JSON text lies inside a string, asked at increasing offsets: the quotes before it are
 * counted once, skipping escaped ones. Exact for valid JSON; for text that is not, JSON.parse then fails anyway
 * (a number made a string is a value wherever a number was one, and never a key).
 */
class QuoteParity {
  private pos = 0;
  private inside = false;

  constructor(private readonly text: string) {}

  insideStringAt(offset: number): boolean {
    const t = this.text;
    for (;;) {
      const q = t.indexOf('"', this.pos);
      if (q < 0 || q >= offset) break;
      this.pos = q + 1;
      if (this.inside) {
        let backslashes = 0;
        while (t.charCodeAt(q - 1 - backslashes) === 0x5c) backslashes++;
        if (backslashes % 2 === 1) continue; // an escaped quote, inside the string
      }
      this.inside = !this.inside;
    }
    this.pos = Math.max(this.pos, offset);
    return this.inside;
  }
}

/** The tree with every marked string made its bigint again (in place; "__proto__" keys stay data). */
function unmarkBigInts(value: JsonValue): JsonValue {
  if (typeof value === 'string') return value.startsWith(BIG_MARK) ? BigInt(value.slice(BIG_MARK.length)) : value;
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = unmarkBigInts(value[i]!);
    return value;
  }
  for (const key of Object.keys(value)) {
    const v = value[key]!;
    if (typeof v === 'number' || typeof v === 'boolean' || v === null) continue;
    const u = unmarkBigInts(v);
    if (u !== v) Object.defineProperty(value, key, { value: u, enumerable: true, writable: true, configurable: true });
  }
  return value;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);

/** The exact parser alone, without JSON.parse's help: the reference the fast paths are tested against. */
export function parseJsonExactSlowly(text: string): JsonValue {
  return new ExactJsonParser(text).parseDocument();
}

/**
 * Why `text` is not JSON, by offset and JSON pointer only: messages of JSON.parse quote the text, and a file
 * that is not what it should be (a secret behind a symlink) must not have its contents echoed to a client.
 */
export function describeJsonSyntaxError(text: string): string {
  try {
    new ExactJsonParser(text).parseDocument();
  } catch (err) {
    if (err instanceof JsonSyntaxError) {
      const atEnd = err.position >= text.length;
      return `${atEnd ? 'truncated' : 'invalid'} JSON at offset ${err.position}${err.pointer ? ` (in ${err.pointer})` : ''}`;
    }
    return 'invalid JSON';
  }
  return 'valid JSON';
}

export function isJsonObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function escapeJsonPointer(token: string): string {
  if (!token.includes('~') && !token.includes('/')) return token;
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** JSON.stringify that writes bigint as a plain JSON integer (exact). */
export function stringifyJsonExact(value: unknown, space?: number): string {
  const marker = '\u0000bigint:';
  const text = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? marker + v.toString() : v), space);
  // JSON.stringify escapes the NUL of the marker as the six characters \u0000.
  return text.replace(/"\\u0000bigint:(-?\d+)"/g, '$1');
}

class ExactJsonParser {
  private pos = 0;
  private readonly path: string[] = [];

  constructor(private readonly text: string) {}

  parseDocument(): JsonValue {
    this.skipWhitespace();
    if (this.pos >= this.text.length) this.fail('empty document');
    const value = this.parseValue();
    this.skipWhitespace();
    if (this.pos < this.text.length) this.fail('unexpected text after the JSON value');
    return value;
  }

  private fail(what: string): never {
    const pointer = this.path.length ? '/' + this.path.map(escapeJsonPointer).join('/') : '';
    const atEnd = this.pos >= this.text.length;
    throw new JsonSyntaxError(
      `${atEnd ? 'truncated JSON' : 'invalid JSON'}: ${what} at offset ${this.pos}${pointer ? ` (in ${pointer})` : ''}`,
      this.pos,
      pointer,
    );
  }

  private checkDepth(): void {
    if (this.path.length >= MAX_EXACT_JSON_DEPTH) this.fail(`nested deeper than ${MAX_EXACT_JSON_DEPTH} levels`);
  }

  private skipWhitespace(): void {
    const t = this.text;
    let p = this.pos;
    while (p < t.length) {
      const c = t.charCodeAt(p);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) p++;
      else break;
    }
    this.pos = p;
  }

  private parseValue(): JsonValue {
    const c = this.text[this.pos];
    switch (c) {
      case '{':
        return this.parseObject();
      case '[':
        return this.parseArray();
      case '"':
        return this.parseString();
      case 't':
        return this.parseLiteral('true', true);
      case 'f':
        return this.parseLiteral('false', false);
      case 'n':
        return this.parseLiteral('null', null);
      default:
        if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.parseNumber();
        return this.fail(c === undefined ? 'expected a value' : `unexpected character ${JSON.stringify(c)}`);
    }
  }

  private parseLiteral<T extends JsonValue>(word: string, value: T): T {
    if (this.text.startsWith(word, this.pos)) {
      this.pos += word.length;
      return value;
    }
    return this.fail(`expected ${word}`);
  }

  private parseNumber(): number | bigint {
    const t = this.text;
    const start = this.pos;
    let p = start;
    if (t[p] === '-') p++;
    if (t[p] === '0') p++;
    else if (t[p] !== undefined && t[p]! >= '1' && t[p]! <= '9') while (t[p] !== undefined && t[p]! >= '0' && t[p]! <= '9') p++;
    else {
      this.pos = p;
      this.fail('malformed number');
    }
    let integer = true;
    if (t[p] === '.') {
      integer = false;
      p++;
      const digits = p;
      while (t[p] !== undefined && t[p]! >= '0' && t[p]! <= '9') p++;
      if (p === digits) {
        this.pos = p;
        this.fail('malformed number');
      }
    }
    if (t[p] === 'e' || t[p] === 'E') {
      integer = false;
      p++;
      if (t[p] === '+' || t[p] === '-') p++;
      const digits = p;
      while (t[p] !== undefined && t[p]! >= '0' && t[p]! <= '9') p++;
      if (p === digits) {
        this.pos = p;
        this.fail('malformed number');
      }
    }
    this.pos = p;
    const literal = t.slice(start, p);
    if (integer && p - start > 15) {
      const big = BigInt(literal);
      if (big > BigInt(Number.MAX_SAFE_INTEGER) || big < BigInt(Number.MIN_SAFE_INTEGER)) return big;
    }
    return Number(literal);
  }

  private parseString(): string {
    const t = this.text;
    const start = ++this.pos;
    let p = start;
    // Fast path: no escapes.
    while (p < t.length) {
      const c = t.charCodeAt(p);
      if (c === 0x22) {
        this.pos = p + 1;
        return t.slice(start, p);
      }
      if (c === 0x5c || c < 0x20) break;
      p++;
    }
    let out = t.slice(start, p);
    while (p < t.length) {
      const c = t.charCodeAt(p);
      if (c === 0x22) {
        this.pos = p + 1;
        return out;
      }
      if (c < 0x20) {
        this.pos = p;
        this.fail('control character in string');
      }
      if (c === 0x5c) {
        const e = t[p + 1];
        p += 2;
        switch (e) {
          case '"': out += '"'; break;
          case '\\': out += '\\'; break;
          case '/': out += '/'; break;
          case 'b': out += '\b'; break;
          case 'f': out += '\f'; break;
          case 'n': out += '\n'; break;
          case 'r': out += '\r'; break;
          case 't': out += '\t'; break;
          case 'u': {
            const hex = t.slice(p, p + 4);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
              this.pos = p;
              this.fail('bad \\u escape');
            }
            out += String.fromCharCode(parseInt(hex, 16));
            p += 4;
            break;
          }
          default:
            this.pos = p - 1;
            this.fail('bad escape in string');
        }
      } else {
        out += t[p];
        p++;
      }
    }
    this.pos = p;
    return this.fail('unterminated string');
  }

  private parseArray(): JsonValue[] {
    this.checkDepth();
    this.pos++;
    const out: JsonValue[] = [];
    this.skipWhitespace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return out;
    }
    for (;;) {
      this.path.push(String(out.length));
      this.skipWhitespace();
      out.push(this.parseValue());
      this.path.pop();
      this.skipWhitespace();
      const c = this.text[this.pos];
      if (c === ',') this.pos++;
      else if (c === ']') {
        this.pos++;
        return out;
      } else this.fail("expected ',' or ']'");
    }
  }

  private parseObject(): JsonObject {
    this.checkDepth();
    this.pos++;
    const out: JsonObject = {};
    this.skipWhitespace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.pos] !== '"') this.fail('expected a property name');
      const key = this.parseString();
      this.skipWhitespace();
      if (this.text[this.pos] !== ':') this.fail("expected ':'");
      this.pos++;
      this.skipWhitespace();
      this.path.push(key);
      // defineProperty: a "__proto__" key must stay data, as with JSON.parse
      Object.defineProperty(out, key, { value: this.parseValue(), enumerable: true, writable: true, configurable: true });
      this.path.pop();
      this.skipWhitespace();
      const c = this.text[this.pos];
      if (c === ',') this.pos++;
      else if (c === '}') {
        this.pos++;
        return out;
      } else this.fail("expected ',' or '}'");
    }
  }
}
