/** JSON helpers shared by every operation: safe own-key access, Java-style text, comment stripping. */
import { javaDoubleToString } from '@sluice/java-number';
import { keysOf, putKey } from './order.js';

export type JsonObject = Record<string, unknown>;

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * A Java double whose value is integral (`2.0`, `1e3`). JS numbers cannot tell `2.0` from `2`, but Jolt's modify
 * functions can; `parseJson(text, { javaDoubles: true })` keeps the difference with this immutable scalar.
 */
export class JavaDouble {
  constructor(readonly value: number) {}
  toString(): string {
    return javaDouble(this.value);
  }
  toJSON(): number {
    return this.value;
  }
}

const JAVA_DOUBLE_PROTO = JavaDouble.prototype;

/** `isJavaDouble(v)`, at about half the cost on the plain values and objects rows are made of. */
export function isJavaDouble(v: unknown): v is JavaDouble {
  return typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === JAVA_DOUBLE_PROTO;
}

export function isObject(v: unknown): v is JsonObject {
  // getPrototypeOf is about twice as fast as instanceof on plain objects, and this runs once per row and step.
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) !== JAVA_DOUBLE_PROTO;
}

/** Own-key read: inherited names such as `constructor` or `__proto__` are absent, never the prototype's. */
export function getOwn(o: JsonObject, k: string): unknown {
  return hasOwn.call(o, k) ? o[k] : undefined;
}

export function hasKey(o: JsonObject, k: string): boolean {
  return hasOwn.call(o, k);
}

/**
 * Assignment in Java's key order (a new key goes last, integer-like ones too) that stores `__proto__` as a plain
 * data key instead of changing the prototype.
 */
export const setOwn: (o: JsonObject, k: string, v: unknown) => void = putKey;

const indexText: string[] = [];

/** `String(i)` for array indexes, cached so walking big lists does not allocate a string per element. */
export function indexKey(i: number): string {
  if (i < 65536) {
    const s = indexText[i];
    if (s !== undefined) return s;
    return (indexText[i] = String(i));
  }
  return String(i);
}

/** Non-negative decimal integer text (array index), or -1. */
export function parseIndex(k: string): number {
  const n = k.length;
  if (n === 0 || n > 10) return -1;
  for (let i = 0; i < n; i++) {
    const c = k.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
  }
  const v = Number(k);
  return v <= 2147483647 ? v : -1;
}

/** Java `Double.toString`. */
export const javaDouble = javaDoubleToString;

/** Java-typed view of a JS number, the rule of the semantics note: int, then long (within 2^53), else double. */
export function isIntNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= -2147483648 && v <= 2147483647;
}

export function isLongNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && (v < -2147483648 || v > 2147483647) && Number.isSafeInteger(v);
}

/** Java `toString` of a JSON value (maps `{k=v}`, lists `[a, b]`, doubles `2.5`). */
export function javaString(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') {
    if (Number.isInteger(v) && Number.isSafeInteger(v)) return String(v);
    return javaDouble(v);
  }
  if (isJavaDouble(v)) return javaDouble(v.value);
  if (Array.isArray(v)) return `[${v.map(javaString).join(', ')}]`;
  if (typeof v === 'object') {
    return `{${keysOf(v).map((k) => `${k}=${javaString((v as JsonObject)[k])}`).join(', ')}}`;
  }
  return String(v);
}

export function deepClone<T>(v: T): T {
  if (v === null || typeof v !== 'object' || isJavaDouble(v)) return v;
  if (Array.isArray(v)) return v.map(deepClone) as T;
  const out: JsonObject = {};
  for (const k of keysOf(v)) setOwn(out, k, deepClone((v as JsonObject)[k]));
  return out as T;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (isJavaDouble(a) || isJavaDouble(b)) {
    return (isJavaDouble(a) ? a.value : a) === (isJavaDouble(b) ? b.value : b);
  }
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (const k of ka) {
    if (!hasOwn.call(b, k) || !deepEqual((a as JsonObject)[k], (b as JsonObject)[k])) return false;
  }
  return true;
}

/**
 * Blanks Java-style comments outside strings, `// line` and block comments (Jackson's ALLOW_COMMENTS, which Jolt
 * and NiFi enable), keeping the text's length and line breaks so parse positions stay right.
 */
export function stripJsonComments(text: string): string {
  // Every comment starts with a slash.
  if (text.indexOf('/') < 0) return text;
  let out = '';
  let i = 0;
  let last = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 92) i += 2;
        else if (d === 34) { i++; break; }
        else i++;
      }
    } else if (c === 47 && text.charCodeAt(i + 1) === 47) {
      let j = i;
      while (j < n && text[j] !== '\n' && text[j] !== '\r') j++;
      out += text.slice(last, i) + ' '.repeat(j - i);
      last = j;
      i = j;
    } else if (c === 47 && text.charCodeAt(i + 1) === 42) {
      const close = text.indexOf('*/', i + 2);
      // An unclosed comment is left in place for JSON.parse to report.
      if (close < 0) break;
      const j = close + 2;
      out += text.slice(last, i) + text.slice(i, j).replace(/[^\r\n]/g, ' ');
      last = j;
      i = j;
    } else i++;
  }
  return last === 0 ? text : out + text.slice(last);
}

export interface ParseOptions {
  /** Keep integral double literals (`2.0`) as `JavaDouble`, so modify functions see Java's number types. */
  readonly javaDoubles?: boolean;
}

// A number literal written with a fraction or exponent; only then can the text hold an integral double.
const DOUBLE_LITERAL = /[0-9](?:\.[0-9]*[eE]|\.0*[^0-9.eE]|[eE])/;
// An integer-like object key: JSON.parse would list it ahead of the keys written before it.
const INDEX_KEY = /"(?:0|[1-9][0-9]{0,9})"\s*:/;

/**
 * Parses JSON text, allowing Java-style comments as Jolt's Jackson setup does, with objects in document order
 * (integer-like keys included, see order.ts). On failure the message names the line and column of the problem.
 */
export function parseJson(text: string, options: ParseOptions = {}): unknown {
  if (typeof text !== 'string') throw new TypeError('parseJson expects a string');
  const cleaned = stripJsonComments(text);
  let value: unknown;
  try {
    value = JSON.parse(cleaned);
  } catch (e) {
    throw positioned(text, cleaned, e);
  }
  const typed = options.javaDoubles === true && DOUBLE_LITERAL.test(cleaned);
  if (typed || INDEX_KEY.test(cleaned)) return new TypedParser(cleaned, typed).parse();
  return value;
}

function positioned(text: string, cleaned: string, e: unknown): SyntaxError {
  const msg = e instanceof Error ? e.message : String(e);
  let pos = -1;
  const m = /position (\d+)/.exec(msg);
  if (m) pos = Number(m[1]);
  else if (/Unexpected end of JSON input|end of data/i.test(msg)) pos = cleaned.length;
  if (pos < 0) return new SyntaxError(`Invalid JSON: ${msg}`);
  let line = 1;
  let col = 1;
  for (let i = 0; i < pos && i < text.length; i++) {
    if (text[i] === '\n') { line++; col = 1; } else col++;
  }
  const reason = msg.replace(/\s*in JSON at position \d+.*$/s, '').replace(/^JSON\.parse: /, '');
  return new SyntaxError(`Invalid JSON at line ${line}, column ${col} (position ${pos}): ${reason}`);
}

/**
 * Second pass over text JSON.parse already accepted: objects keep document order, and with `javaDoubles` integral
 * double literals become `JavaDouble`.
 */
class TypedParser {
  private i = 0;
  constructor(private readonly s: string, private readonly javaDoubles: boolean) {}

  parse(): unknown {
    const v = this.value();
    return v;
  }

  private ws(): void {
    const s = this.s;
    while (this.i < s.length) {
      const c = s.charCodeAt(this.i);
      if (c === 32 || c === 9 || c === 10 || c === 13) this.i++;
      else break;
    }
  }

  private value(): unknown {
    this.ws();
    const c = this.s[this.i];
    if (c === '{') {
      this.i++;
      const o: JsonObject = {};
      this.ws();
      if (this.s[this.i] === '}') { this.i++; return o; }
      for (;;) {
        this.ws();
        const k = this.string();
        this.ws();
        this.i++; // ':'
        setOwn(o, k, this.value());
        this.ws();
        if (this.s[this.i++] === '}') return o;
      }
    }
    if (c === '[') {
      this.i++;
      const a: unknown[] = [];
      this.ws();
      if (this.s[this.i] === ']') { this.i++; return a; }
      for (;;) {
        a.push(this.value());
        this.ws();
        if (this.s[this.i++] === ']') return a;
      }
    }
    if (c === '"') return this.string();
    if (c === 't') { this.i += 4; return true; }
    if (c === 'f') { this.i += 5; return false; }
    if (c === 'n') { this.i += 4; return null; }
    const start = this.i;
    const s = this.s;
    while (this.i < s.length && '+-0123456789.eE'.includes(s[this.i]!)) this.i++;
    const lit = s.slice(start, this.i);
    const v = Number(lit);
    return this.javaDoubles && Number.isInteger(v) && /[.eE]/.test(lit) ? new JavaDouble(v) : v;
  }

  private string(): string {
    const s = this.s;
    const start = this.i;
    this.i++;
    while (s[this.i] !== '"') this.i += s[this.i] === '\\' ? 2 : 1;
    this.i++;
    return JSON.parse(s.slice(start, this.i)) as string;
  }
}

/** Deep copy with every `JavaDouble` replaced by its number. */
export function toPlainJson(v: unknown): unknown {
  if (isJavaDouble(v)) return v.value;
  if (Array.isArray(v)) return v.map(toPlainJson);
  if (v !== null && typeof v === 'object') {
    const out: JsonObject = {};
    for (const k of keysOf(v)) setOwn(out, k, toPlainJson((v as JsonObject)[k]));
    return out;
  }
  return v;
}
