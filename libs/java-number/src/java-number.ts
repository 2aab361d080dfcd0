/** Java's `Double.toString`: JavaScript's shortest round-trip digits in Java's layout. */
export function javaDoubleToString(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(x);
  if (abs >= 1e-3 && abs < 1e7) {
    const s = String(x);
    return s.includes('.') ? s : `${s}.0`;
  }
  // Scientific: the mantissa always has a fraction part, the exponent no sign for positive values.
  const e = x.toExponential();
  const at = e.indexOf('e');
  const mant = e.slice(0, at);
  return `${mant.includes('.') ? mant : `${mant}.0`}E${Number(e.slice(at + 1))}`;
}

/** Java's `String.trim`: strips characters up to U+0020 only (not every Unicode space, unlike `String.prototype.trim`). */
export function javaTrim(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && s.charCodeAt(a) <= 32) a++;
  while (b > a && s.charCodeAt(b - 1) <= 32) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

export const LONG_MAX = 9223372036854775807n;
export const LONG_MIN = -9223372036854775808n;

/** Java's `(long)` cast of a double: truncates toward zero, saturates, NaN is 0. */
export function doubleToLong(x: number): bigint {
  if (Number.isNaN(x)) return 0n;
  if (x >= 9.223372036854775807e18) return LONG_MAX;
  if (x <= -9.223372036854775808e18) return LONG_MIN;
  return BigInt(Math.trunc(x));
}

/** Java's 64-bit overflow: wraps like `long` arithmetic. */
export function wrapLong(v: bigint): bigint {
  return BigInt.asIntN(64, v);
}

/** Java's `(int)` cast of a double: truncates toward zero, saturates, NaN is 0. */
export function doubleToInt(d: number): number {
  if (Number.isNaN(d)) return 0;
  if (d >= 2147483647) return 2147483647;
  if (d <= -2147483648) return -2147483648;
  return Math.trunc(d) | 0;
}
