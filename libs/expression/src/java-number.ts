/** Java's Double.toString layout over JavaScript's shortest round-trip digits. */
export function javaDoubleToString(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(x);
  if (abs >= 1e-3 && abs < 1e7) {
    const s = String(x);
    return s.includes('.') ? s : s + '.0';
  }
  const e = x.toExponential();
  const at = e.indexOf('e');
  let mant = e.slice(0, at);
  const exp = Number(e.slice(at + 1));
  if (!mant.includes('.')) mant += '.0';
  return `${mant}E${exp}`;
}

const WHOLE_RE = /^[+-]?(?:\d+|0[xX][0-9a-fA-F]+)$/;
// NiFi's decimal test: the point is required when an exponent is present (so the text "1e3" is not a number).
const DECIMAL_RE =
  /^[+-]?(?:NaN|Infinity|\d+\.\d+(?:[eE][+-]?\d+)?|\d+\.(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|0[xX][0-9a-fA-F]*\.?[0-9a-fA-F]*[pP][+-]?\d+)[fFdD]?$/;

/** Java's String.trim: strips chars <= U+0020 only. */
export function javaTrim(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && s.charCodeAt(a) <= 32) a++;
  while (b > a && s.charCodeAt(b - 1) <= 32) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

export function isWholeText(t: string): boolean {
  return WHOLE_RE.test(t);
}
export function isDecimalText(t: string): boolean {
  return DECIMAL_RE.test(t);
}

export const LONG_MAX = 9223372036854775807n;
export const LONG_MIN = -9223372036854775808n;

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

/** Java (long) cast of a double. */
export function doubleToLong(x: number): bigint {
  if (Number.isNaN(x)) return 0n;
  if (x >= 9.223372036854775807e18) return LONG_MAX;
  if (x <= -9.223372036854775808e18) return LONG_MIN;
  return BigInt(Math.trunc(x));
}

export function wrapLong(v: bigint): bigint {
  return BigInt.asIntN(64, v);
}
