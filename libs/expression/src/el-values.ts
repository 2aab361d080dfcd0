import { ElDate, type Value } from './el-types.js';
import { evalError } from './expression-error.js';
import { dateToJavaString, instantToIsoString } from './java-dates.js';
import {
  doubleToLong,
  isDecimalText,
  isWholeText,
  javaDoubleToString,
  javaTrim,
  parseDecimalText,
  parseWhole,
} from './java-number.js';

/** Java toString of a value; null stays null. */
export function toStr(v: Value, tz: string): string | null {
  switch (typeof v) {
    case 'string':
      return v;
    case 'boolean':
      return v ? 'true' : 'false';
    case 'bigint':
      return v.toString();
    case 'number':
      return javaDoubleToString(v);
    default:
      if (v === null) return null;
      if (v instanceof ElDate) return dateToJavaString(v.ms, tz);
      return instantToIsoString(v);
  }
}

export function typeName(v: Value): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'string':
      return 'String';
    case 'boolean':
      return 'Boolean';
    case 'bigint':
      return 'Whole Number';
    case 'number':
      return 'Decimal';
    default:
      return v instanceof ElDate ? 'Date' : 'Instant';
  }
}

/** String to Boolean: trimmed, case-insensitive "true"; anything else false. */
export function toBool(v: Value, fn: string): boolean | null {
  if (v === null) return null;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') return javaTrim(v).toLowerCase() === 'true';
  throw evalError(fn, `cannot convert ${typeName(v)} to Boolean`);
}

/** Whole (bigint) or decimal (number) or null when the text is not a number. */
export function toNum(v: Value, fn: string): bigint | number | null {
  if (v === null) return null;
  switch (typeof v) {
    case 'bigint':
    case 'number':
      return v;
    case 'string': {
      const t = javaTrim(v);
      if (isWholeText(t)) {
        const w = parseWhole(t);
        if (w === undefined) throw evalError(fn, `number '${t}' does not fit in 64 bits`);
        return w;
      }
      if (isDecimalText(t)) return parseDecimalText(t);
      return null;
    }
    case 'boolean':
      throw evalError(fn, 'cannot convert Boolean to a number');
    default:
      return BigInt(v instanceof ElDate ? v.ms : v.ms);
  }
}

export function toWhole(v: Value, fn: string): bigint | null {
  const n = toNum(v, fn);
  if (n === null || typeof n === 'bigint') return n;
  return doubleToLong(n);
}

export function toDecimal(v: Value, fn: string): number | null {
  const n = toNum(v, fn);
  if (n === null || typeof n === 'number') return n;
  return Number(n);
}

/** Whole number as a JS integer, for indexes and counts. */
export function toInt(v: Value, fn: string, what: string): number {
  const w = toWhole(v, fn);
  if (w === null) throw evalError(fn, `${what} must be a number, got ${v === null ? 'null' : `'${String(toStr(v, 'UTC'))}'`}`);
  return Number(w);
}
