import { ElDate, ElInstant, zoneOf, type Value } from '../el-types.js';
import { toDecimal, toNum, toStr, toWhole, typeName } from '../el-values.js';
import { evalError } from '../expression-error.js';
import { doubleToLong, wrapLong } from '../java-number.js';
import { define, subj } from './function-table.js';
import { str, strArg } from './helpers.js';

function arith(name: string, desc: string, whole: (a: bigint, b: bigint) => bigint, dbl: (a: number, b: number) => number): void {
  define({
    name,
    position: 'chain',
    minArgs: 1,
    maxArgs: 1,
    returns: 'Number',
    signature: `${name}(number) → Number`,
    description: desc,
    build: (s, [a]) => {
      const e = subj(s);
      const aev = a!.ev;
      return (ctx) => {
        const x = toNum(e(ctx), name);
        if (x === null) return null;
        const y = toNum(aev(ctx), name);
        if (y === null) return null;
        if (typeof x === 'bigint' && typeof y === 'bigint') return whole(x, y);
        return dbl(Number(x), Number(y));
      };
    },
  });
}
arith('plus', 'Adds; whole numbers wrap at 64 bits.', (a, b) => wrapLong(a + b), (a, b) => a + b);
arith('minus', 'Subtracts.', (a, b) => wrapLong(a - b), (a, b) => a - b);
arith('multiply', 'Multiplies.', (a, b) => wrapLong(a * b), (a, b) => a * b);
arith(
  'divide',
  'Divides; whole division truncates, division by zero is an error.',
  (a, b) => {
    if (b === 0n) throw evalError('divide', 'division by zero');
    return wrapLong(a / b);
  },
  (a, b) => a / b,
);
arith(
  'mod',
  'Remainder with the sign of the dividend.',
  (a, b) => {
    if (b === 0n) throw evalError('mod', 'division by zero');
    return a % b;
  },
  (a, b) => a % b,
);

define({
  name: 'toRadix',
  position: 'chain',
  minArgs: 1,
  maxArgs: 2,
  returns: 'String',
  signature: 'toRadix(base[, minWidth]) → String',
  description: 'Prints the number in base 2..36, zero-padded to minWidth.',
  build: (s, [a, b]) => {
    const e = subj(s);
    return (ctx) => {
      const n = toWhole(e(ctx), 'toRadix');
      if (n === null) return null;
      const base = Number(toWhole(a!.ev(ctx), 'toRadix') ?? 10n);
      if (base < 2 || base > 36) throw evalError('toRadix', `base must be 2..36, got ${base}`);
      const width = b ? Number(toWhole(b.ev(ctx), 'toRadix') ?? 0n) : 0;
      const neg = n < 0n;
      const digits = (neg ? -n : n).toString(base).padStart(width, '0');
      return neg ? '-' + digits : digits;
    };
  },
});
define({
  name: 'fromRadix',
  position: 'chain',
  minArgs: 1,
  maxArgs: 1,
  returns: 'Whole Number',
  signature: 'fromRadix(base) → Whole Number',
  description: 'Parses text written in base 2..36.',
  build: (s, [a]) => {
    const e = subj(s);
    return (ctx) => {
      const t = str(e, ctx);
      if (t === null) return null;
      const base = Number(toWhole(a!.ev(ctx), 'fromRadix') ?? 10n);
      if (base < 2 || base > 36) throw evalError('fromRadix', `base must be 2..36, got ${base}`);
      const m = /^([+-]?)(.+)$/.exec(t);
      const body = m?.[2] ?? '';
      let v = 0n;
      const B = BigInt(base);
      for (const ch of body.toLowerCase()) {
        const d = parseInt(ch, 36);
        if (Number.isNaN(d) || d >= base) throw evalError('fromRadix', `'${t}' is not a base-${base} number`);
        v = v * B + BigInt(d);
      }
      if (!body) throw evalError('fromRadix', `'${t}' is not a base-${base} number`);
      if (m?.[1] === '-') v = -v;
      if (v > 9223372036854775807n || v < -9223372036854775808n) throw evalError('fromRadix', `'${t}' does not fit in 64 bits`);
      return v;
    };
  },
});

type MathImpl = { arity: 0 | 1 | 2; whole?: (a: bigint, b: bigint) => Value; dbl: (a: number, b: number) => Value; wholeOnly?: boolean };
const MATH: Record<string, MathImpl> = {
  abs: { arity: 1, whole: (a) => (a < 0n ? wrapLong(-a) : a), dbl: (a) => Math.abs(a) },
  max: { arity: 2, whole: (a, b) => (a > b ? a : b), dbl: (a, b) => Math.max(a, b) },
  min: { arity: 2, whole: (a, b) => (a < b ? a : b), dbl: (a, b) => Math.min(a, b) },
  pow: { arity: 2, dbl: (a, b) => javaPow(a, b) },
  sqrt: { arity: 1, dbl: (a) => Math.sqrt(a) },
  cbrt: { arity: 1, dbl: (a) => Math.cbrt(a) },
  floor: { arity: 1, dbl: (a) => Math.floor(a) },
  ceil: { arity: 1, dbl: (a) => Math.ceil(a) },
  round: { arity: 1, dbl: (a) => doubleToLong(Math.floor(a + 0.5)) },
  rint: { arity: 1, dbl: (a) => rint(a) },
  signum: { arity: 1, dbl: (a) => Math.sign(a) },
  exp: { arity: 1, dbl: (a) => Math.exp(a) },
  expm1: { arity: 1, dbl: (a) => Math.expm1(a) },
  log: { arity: 1, dbl: (a) => Math.log(a) },
  log10: { arity: 1, dbl: (a) => Math.log10(a) },
  log1p: { arity: 1, dbl: (a) => Math.log1p(a) },
  sin: { arity: 1, dbl: (a) => Math.sin(a) },
  cos: { arity: 1, dbl: (a) => Math.cos(a) },
  tan: { arity: 1, dbl: (a) => Math.tan(a) },
  asin: { arity: 1, dbl: (a) => Math.asin(a) },
  acos: { arity: 1, dbl: (a) => Math.acos(a) },
  atan: { arity: 1, dbl: (a) => Math.atan(a) },
  sinh: { arity: 1, dbl: (a) => Math.sinh(a) },
  cosh: { arity: 1, dbl: (a) => Math.cosh(a) },
  tanh: { arity: 1, dbl: (a) => Math.tanh(a) },
  atan2: { arity: 2, dbl: (a, b) => Math.atan2(a, b) },
  hypot: { arity: 2, dbl: (a, b) => Math.hypot(a, b) },
  scalb: { arity: 2, dbl: (a, b) => a * Math.pow(2, Math.trunc(b)) },
  toDegrees: { arity: 1, dbl: (a) => (a * 180) / Math.PI },
  toRadians: { arity: 1, dbl: (a) => (a / 180) * Math.PI },
  random: { arity: 0, dbl: () => Math.random() },
  negateExact: { arity: 1, whole: (a) => -a, dbl: (a) => -a },
  addExact: { arity: 2, whole: (a, b) => a + b, dbl: (a, b) => a + b, wholeOnly: true },
  multiplyExact: { arity: 2, whole: (a, b) => a * b, dbl: (a, b) => a * b, wholeOnly: true },
};

/** V8's Math.pow can be 1 ulp off for fractional exponents; split off the integer part for correctly rounded common cases. */
function javaPow(a: number, b: number): number {
  if (!Number.isFinite(a) || !Number.isFinite(b) || Number.isInteger(b) || a <= 0) return Math.pow(a, b);
  const n = Math.floor(b);
  const f = b - n;
  if (f === 0.5) return Math.pow(a, n) * Math.sqrt(a);
  return Math.pow(a, b);
}

function rint(a: number): number {
  const f = Math.floor(a);
  const d = a - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

define({
  name: 'math',
  position: 'both',
  minArgs: 1,
  maxArgs: 2,
  returns: 'Number',
  pure: false,
  signature: "math(method[, number]) → Number",
  description: 'Calls a java.lang.Math method (abs, max, min, pow, sqrt, floor, ceil, round, log, sin, random...).',
  build: (s, [a, b], site) => {
    const e = s?.ev;
    if (a!.isConst && typeof a!.value === 'string' && !MATH[a!.value]) {
      const method = a!.value;
      return () => {
        throw evalError('math', `java.lang.Math has no method '${method}'`);
      };
    }
    void site;
    return (ctx) => {
      const method = strArg(a!, ctx);
      const impl = method === null ? undefined : MATH[method];
      if (!impl) throw evalError('math', `java.lang.Math has no method '${method}'`);
      const args: (bigint | number)[] = [];
      if (e) {
        const x = toNum(e(ctx), 'math');
        if (x === null) return null;
        args.push(x);
      }
      if (b) {
        const y = toNum(b.ev(ctx), 'math');
        if (y === null) return null;
        args.push(y);
      }
      if (args.length !== impl.arity) throw evalError('math', `Math.${method} takes ${impl.arity} argument(s), got ${args.length}`);
      if (method === 'scalb') {
        if (typeof args[0] !== 'number') throw evalError('math', 'Math.scalb needs a decimal subject');
      }
      const allWhole = args.every((x) => typeof x === 'bigint');
      if (allWhole && impl.whole) {
        if (method === 'pow') throw evalError('math', 'Math.pow(long, long) does not exist; use a decimal');
        return impl.whole(args[0] as bigint, args[1] as bigint);
      }
      if (allWhole && args.length > 0 && !impl.whole && !['pow', 'round'].includes(method!) && impl.arity !== 0) {
        // Java widens long to double for these (sqrt, floor, log...)
      }
      if (method === 'pow' && args.some((x) => typeof x === 'bigint') && !args.every((x) => typeof x === 'number')) {
        if (allWhole || typeof args[0] === 'bigint' || typeof args[1] === 'bigint') {
          // NiFi resolves by reflection: pow(long, ...) has no overload
          if (typeof args[0] === 'bigint' || typeof args[1] === 'bigint') throw evalError('math', `no Math.pow overload for (${args.map((x) => typeName(x)).join(', ')})`);
        }
      }
      if (method === 'round' && allWhole) throw evalError('math', 'no Math.round(long) overload');
      return impl.dbl(Number(args[0] ?? 0), Number(args[1] ?? 0));
    };
  },
});

define({
  name: 'toNumber',
  position: 'chain',
  minArgs: 0,
  maxArgs: 0,
  returns: 'Whole Number',
  signature: 'toNumber() → Whole Number',
  description: 'Converts to a whole number; text that is not a number gives null, decimals are truncated.',
  build: (s) => {
    const e = subj(s);
    return (ctx) => toWhole(e(ctx), 'toNumber');
  },
});
define({
  name: 'toDecimal',
  position: 'chain',
  minArgs: 0,
  maxArgs: 0,
  returns: 'Decimal',
  signature: 'toDecimal() → Decimal',
  description: 'Converts to a decimal (double).',
  build: (s) => {
    const e = subj(s);
    return (ctx) => toDecimal(e(ctx), 'toDecimal');
  },
});
define({
  name: 'toString',
  position: 'chain',
  minArgs: 0,
  maxArgs: 0,
  returns: 'String',
  signature: 'toString() → String',
  description: 'Prints the subject the Java way (10.0, 1.0E7, dates...).',
  build: (s) => {
    const e = subj(s);
    return (ctx) => toStr(e(ctx), zoneOf(ctx));
  },
});
define({
  name: 'literal',
  position: 'head',
  minArgs: 1,
  maxArgs: 1,
  returns: 'String',
  signature: 'literal(value) → String',
  description: 'The printed form of the argument; null prints as "null".',
  build: (_s, [a]) => (ctx) => {
    const v = a!.ev(ctx);
    if (v === null) return 'null';
    if (v instanceof ElDate || v instanceof ElInstant) return toStr(v, zoneOf(ctx));
    return typeof v === 'string' ? v : toStr(v, 'UTC');
  },
});
define({
  name: 'random',
  position: 'head',
  minArgs: 0,
  maxArgs: 0,
  returns: 'Whole Number',
  pure: false,
  signature: 'random() → Whole Number',
  description: 'A random whole number in [0, 2^63).',
  build: () => () => {
    const hi = BigInt(Math.floor(Math.random() * 2 ** 31));
    const lo = BigInt(Math.floor(Math.random() * 2 ** 32));
    return (hi << 32n) | lo;
  },
});
let counter = 0n;
define({
  name: 'nextInt',
  position: 'head',
  minArgs: 0,
  maxArgs: 0,
  returns: 'Whole Number',
  pure: false,
  signature: 'nextInt() → Whole Number',
  description: 'A process-wide counter starting at 0.',
  build: () => () => counter++,
});
