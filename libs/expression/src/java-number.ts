import { LONG_MAX, LONG_MIN } from '@sluice/java-number';

// The Java rules Jolt shares live in @sluice/java-number; these are the Expression Language's own number texts.
export { doubleToLong, javaDoubleToString, javaTrim, LONG_MAX, LONG_MIN, wrapLong } from '@sluice/java-number';

const WHOLE_RE = /^[+-]?(?:\d+|0[xX][0-9a-fA-F]+)$/;
// NiFi's decimal test: the point is required when an exponent is present (so the text "1e3" is not a number).
const DECIMAL_RE =
  /^[+-]?(?:NaN|Infinity|\d+\.\d+(?:[eE][+-]?\d+)?|\d+\.(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|0[xX][0-9a-fA-F]*\.?[0-9a-fA-F]*[pP][+-]?\d+)[fFdD]?$/;

export function isWholeText(t: string): boolean {
  return WHOLE_RE.test(t);
}
export function isDecimalText(t: string): boolean {
  return DECIMAL_RE.test(t);
}

/** Parses trimmed whole-number text (decimal or 0x hex) into a 64-bit value; undefined on overflow. */
export function parseWhole(t: string): bigint | undefined {
  let neg = false;
  let s = t;
  if (s[0] === '+' || s[0] === '-') {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  let v = s.length > 2 && (s[1] === 'x' || s[1] === 'X') ? BigInt('0x' + s.slice(2)) : BigInt(s);
  if (neg) v = -v;
  return v > LONG_MAX || v < LONG_MIN ? undefined : v;
}

export function parseDecimalText(t: string): number {
  let s = t.replace(/[fFdD]$/, '');
  if (/^[+-]?0[xX]/.test(s)) return parseHexFloat(s);
  if (s.endsWith('Infinity')) return s[0] === '-' ? -Infinity : Infinity;
  if (s.endsWith('NaN')) return NaN;
  if (/\.$|\.[eE]/.test(s)) s = s.replace('.', '.0');
  return Number(s);
}

function parseHexFloat(s: string): number {
  const m = /^([+-]?)0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)[pP]([+-]?\d+)$/.exec(s);
  if (!m) return NaN;
  const int = m[2] || '0';
  const frac = m[3] ?? '';
  const mant = parseInt(int + frac, 16) / Math.pow(16, frac.length);
  const v = mant * Math.pow(2, Number(m[4]));
  return m[1] === '-' ? -v : v;
}
