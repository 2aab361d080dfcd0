/** Java number semantics over JS numbers: int/long/double typing, Java parsing, HALF_UP on the exact binary value. */
import { doubleToInt, javaTrim } from '@sluice/java-number';
import { isIntNumber, isLongNumber, JavaDouble, isJavaDouble } from './json.js';

export { JavaDouble };
export { doubleToInt, javaTrim } from '@sluice/java-number';

export type JavaType = 'int' | 'long' | 'double';

export function javaType(v: unknown): JavaType | null {
  if (isJavaDouble(v)) return 'double';
  if (typeof v !== 'number') return null;
  if (isIntNumber(v)) return 'int';
  if (isLongNumber(v)) return 'long';
  return 'double';
}

export function numValue(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (isJavaDouble(v)) return v.value;
  return undefined;
}

const INT_RE = /^[+-]?\d+$/;
const DOUBLE_RE = /^[+-]?(NaN|Infinity|((\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)[fFdD]?)$/;

/** `Integer.parseInt`, then `Long.parseLong`, then `Double.parseDouble`; null when none accepts the text. */
export function parseJavaNumber(s: string): { value: number; type: JavaType } | null {
  const len = s.length;
  if (len > 0 && len < 10) {
    // Fast path for short plain digit strings, always ints.
    let ok = true;
    for (let i = s.charCodeAt(0) === 45 && len > 1 ? 1 : 0; i < len; i++) {
      const c = s.charCodeAt(i);
      if (c < 48 || c > 57) { ok = false; break; }
    }
    if (ok) return { value: Number(s), type: 'int' };
  }
  if (INT_RE.test(s)) {
    const v = Number(s);
    if (v >= -2147483648 && v <= 2147483647) return { value: v, type: 'int' };
    if (v >= -9223372036854775808 && v <= 9223372036854775807) return { value: v, type: 'long' };
  }
  const t = javaTrim(s);
  if (!DOUBLE_RE.test(t)) return null;
  const body = /[fFdD]$/.test(t) ? t.slice(0, -1) : t;
  const v = body.endsWith('NaN') ? NaN : Number(body);
  if (Number.isNaN(v) && !body.endsWith('NaN')) return null;
  return { value: v, type: 'double' };
}

/** A number, or a numeric string converted the Java way. */
export function toNumeric(v: unknown): { value: number; type: JavaType } | null {
  if (typeof v === 'string') return parseJavaNumber(v);
  const t = javaType(v);
  return t === null ? null : { value: numValue(v)!, type: t };
}

/** `Number.intValue()`: doubles truncate and saturate, longs wrap to 32 bits. */
export function intValue(n: { value: number; type: JavaType }): number {
  if (n.type === 'double') return doubleToInt(n.value);
  // ToInt32 is exact modulo 2^32 for every integer JS holds exactly, which is Java's long-to-int narrowing.
  return n.value | 0;
}

export function longValue(n: { value: number; type: JavaType }): number {
  if (n.type !== 'double') return n.value;
  if (Number.isNaN(n.value)) return 0;
  if (n.value >= 9223372036854775807) return 9223372036854775807;
  if (n.value <= -9223372036854775808) return -9223372036854775808;
  return Math.trunc(n.value);
}

/** `new BigDecimal(d).setScale(digits, HALF_UP).doubleValue()`: rounds the exact binary value, not its shortest text. */
export function roundHalfUp(d: number, digits: number): number {
  if (!Number.isFinite(d) || d === 0) return d;
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, d);
  const hi = buf.getUint32(0);
  const lo = buf.getUint32(4);
  const neg = hi >>> 31 === 1;
  const expBits = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exp: number;
  if (expBits === 0) exp = -1074;
  else {
    mant |= 1n << 52n;
    exp = expBits - 1075;
  }
  // |d| = mant * 2^exp = num / 10^scale exactly.
  let num: bigint;
  let scale: number;
  if (exp >= 0) {
    num = mant << BigInt(exp);
    scale = 0;
  } else {
    num = mant * 5n ** BigInt(-exp);
    scale = -exp;
  }
  if (scale <= digits) return d;
  const div = 10n ** BigInt(scale - digits);
  let q = num / div;
  if ((num % div) * 2n >= div) q += 1n;
  return Number(`${neg ? '-' : ''}${q}e${-digits}`);
}
