/**
 * JSON text as Jolt's Jackson writes it: objects in insertion order (order.ts), doubles in Java's form (`4.0`,
 * `1.0E10`), uppercase `\uXXXX` escapes, optionally Jackson's default pretty printer layout and ASCII-only output.
 */
import { isJavaDouble, javaDouble, type JsonObject } from './json.js';
import { hasOwnOrder, keysOf } from './order.js';

export interface WriteOptions {
  /** Jackson's default pretty printer: two-space indented object entries, arrays on one line (`[ 1, 2 ]`). */
  readonly pretty?: boolean;
  /** Every non-ASCII character as a `\uXXXX` escape (Jackson's ESCAPE_NON_ASCII). */
  readonly asciiOnly?: boolean;
}

/** Java's text for a number: `Double.toString` for doubles, digits for integers. */
export function javaNumberText(n: number, isDouble: boolean): string {
  if (!Number.isFinite(n)) return 'null';
  if (Number.isInteger(n)) {
    if (isDouble) return Math.abs(n) < 1e7 ? `${n}.0` : javaDouble(n);
    return Math.abs(n) < 1e21 ? String(n) : BigInt(n).toString();
  }
  return javaDouble(n);
}

/** A plain number JSON.stringify writes differently from Java. */
function needsJavaText(n: number): boolean {
  if (Number.isInteger(n)) return Math.abs(n) >= 1e21;
  const a = Math.abs(n);
  return a < 1e-3 || a >= 1e7;
}

class NeedsWriter extends Error {}
const NEEDS_WRITER = new NeedsWriter();

/** Fast path: JSON.stringify, with Java-formatted numbers spliced in; gives up on objects with their own order. */
function viaStringify(v: unknown): string {
  const marked: string[] = [];
  const text = JSON.stringify(v, function (this: Record<string, unknown>, k: string, x: unknown) {
    if (typeof x === 'string') return x;
    if (typeof x === 'object' && x !== null) {
      if (hasOwnOrder(x)) throw NEEDS_WRITER;
      return x;
    }
    if (typeof x === 'number') {
      // The replacer sees toJSON's number, so it checks the holder's raw value for JavaDoubles.
      const raw = k === '' && !(this && k in this) ? v : this[k];
      const dbl = isJavaDouble(raw);
      if (dbl || needsJavaText(x)) {
        marked.push(javaNumberText(x, dbl));
        return `\u0000jn${marked.length - 1}\u0000`;
      }
    }
    return x;
  });
  if (text === undefined) return 'null';
  if (marked.length === 0) return text;
  return text.replace(/"\\u0000jn(\d+)\\u0000"/g, (_, i: string) => marked[Number(i)]!);
}

function writeValue(v: unknown, pretty: boolean, depth: number): string | undefined {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'string': return JSON.stringify(v);
    case 'number': return javaNumberText(v, false);
    case 'boolean': return v ? 'true' : 'false';
    case 'object': break;
    default: return undefined;
  }
  if (isJavaDouble(v)) return javaNumberText(v.value, true);
  if (Array.isArray(v)) {
    if (v.length === 0) return pretty ? '[ ]' : '[]';
    let s = pretty ? '[ ' : '[';
    for (let i = 0; i < v.length; i++) {
      if (i > 0) s += pretty ? ', ' : ',';
      s += writeValue(v[i], pretty, depth) ?? 'null';
    }
    return s + (pretty ? ' ]' : ']');
  }
  const o = v as JsonObject;
  let s = '{';
  let n = 0;
  // Arrays are written inline, so only objects deepen the indentation (Jackson's nesting count).
  const pad = pretty ? `\n${'  '.repeat(depth + 1)}` : '';
  for (const k of keysOf(o)) {
    const text = writeValue(o[k], pretty, depth + 1);
    if (text === undefined) continue;
    s += `${n++ > 0 ? ',' : ''}${pad}${JSON.stringify(k)}${pretty ? ' : ' : ':'}${text}`;
  }
  if (n === 0) return pretty ? '{ }' : '{}';
  return s + (pretty ? `\n${'  '.repeat(depth)}}` : '}');
}

const hex4 = (c: number) => c.toString(16).toUpperCase().padStart(4, '0');

/** Jackson writes its `\u00XX` escapes in uppercase; JSON.stringify in lowercase. Every `\` starts an escape. */
function upperEscapes(text: string): string {
  if (!text.includes('\\u')) return text;
  return text.replace(/\\(u[0-9a-fA-F]{4}|[\s\S])/g, (m, g: string) => (g.length === 5 ? `\\u${g.slice(1).toUpperCase()}` : m));
}

/** JSON text of a value as Jackson writes it, compact unless `pretty`. */
export function stringifyJson(v: unknown, options: WriteOptions = {}): string {
  const pretty = options.pretty === true;
  let text = pretty ? writeText(v, true) : fastOrWriter(v);
  text = upperEscapes(text);
  if (options.asciiOnly) text = text.replace(/[^\x00-\x7f]/g, (c) => `\\u${hex4(c.charCodeAt(0))}`);
  return text;
}

function writeText(v: unknown, pretty: boolean): string {
  return writeValue(v, pretty, 0) ?? 'null';
}

function fastOrWriter(v: unknown): string {
  try {
    return viaStringify(v);
  } catch (e) {
    if (e !== NEEDS_WRITER) throw e;
    return writeText(v, false);
  }
}
