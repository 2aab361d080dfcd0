import { DateTime, type Zone } from 'luxon';
import { ElDate, ElInstant, zoneOf, type EvalContext, type Evaluator, type Value } from '../el-types.js';
import { toNum, toWhole, typeName } from '../el-values.js';
import { evalError } from '../expression-error.js';
import { javaTrim } from '../java-number.js';
import { implicitStringToDateMs, isInGap, parseInstantText, parsePattern, resolveParsed } from '../java-date-parse.js';
import { compilePattern, formatPattern, resolveZone } from '../java-dates.js';
import { define, subj, type BuildSite, type Compiled } from './function-table.js';
import { str, strArg } from './helpers.js';

/** Implicit conversion of a subject to epoch millis (Date semantics). */
function toDateMs(v: Value, ctx: EvalContext, fn: string): number | null {
  if (v === null) return null;
  if (v instanceof ElDate || v instanceof ElInstant) return v.ms;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') return Math.trunc(v);
  if (typeof v === 'string') {
    const ms = implicitStringToDateMs(v, zoneOf(ctx));
    if (ms === null) throw evalError(fn, `cannot convert '${v}' to a Date`);
    return ms;
  }
  throw evalError(fn, `cannot convert ${typeName(v)} to a Date`);
}

function toInstantValue(v: Value, fn: string): ElInstant | null {
  if (v === null) return null;
  if (v instanceof ElInstant) return v;
  if (v instanceof ElDate) return ElInstant.ofMillis(v.ms);
  if (typeof v === 'bigint') return ElInstant.ofMillis(Number(v));
  if (typeof v === 'number') return ElInstant.ofMillis(Math.trunc(v));
  if (typeof v === 'string') {
    const p = parseInstantText(javaTrim(v), true);
    if (!p) throw evalError(fn, `cannot convert '${v}' to an Instant`);
    return new ElInstant(p.sec, p.nano);
  }
  throw evalError(fn, `cannot convert ${typeName(v)} to an Instant`);
}

/** Validates a literal pattern at compile time; returns a run-time getter. */
function patternArg(a: Compiled, site: BuildSite): (ctx: EvalContext) => string | null {
  if (a.isConst) {
    const p = typeof a.value === 'string' ? a.value : null;
    if (p !== null) {
      try {
        compilePattern(p);
      } catch (e) {
        site.fail((e as Error).message);
      }
    }
    return () => p;
  }
  return (ctx) => strArg(a, ctx);
}

function zoneArg(a: Compiled | undefined, site: BuildSite): (ctx: EvalContext) => Zone {
  if (!a) return (ctx) => resolveZone(zoneOf(ctx));
  if (a.isConst && typeof a.value === 'string') {
    let z: Zone;
    try {
      z = resolveZone(a.value);
    } catch (e) {
      return site.fail((e as Error).message);
    }
    return () => z;
  }
  return (ctx) => {
    const id = strArg(a, ctx);
    if (id === null) return resolveZone(zoneOf(ctx));
    try {
      return resolveZone(id);
    } catch (e) {
      throw evalError(site.name, (e as Error).message);
    }
  };
}

function safe<T>(fn: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof Error && e.name === 'ExpressionError') throw e;
    throw evalError(fn, (e as Error).message);
  }
}

define({
  name: 'format',
  position: 'chain',
  minArgs: 1,
  maxArgs: 2,
  returns: 'String',
  pure: false,
  signature: 'format(pattern[, zone]) → String',
  description: 'Formats a Date with a java.time DateTimeFormatter pattern, in the zone or the default zone.',
  build: (s, [p, z], site) => {
    const e = subj(s);
    const pat = patternArg(p!, site);
    const zone = zoneArg(z, site);
    return (ctx) => {
      const ms = toDateMs(e(ctx), ctx, 'format');
      if (ms === null) return null;
      const pattern = pat(ctx);
      if (pattern === null) return null;
      return safe('format', () => formatPattern(pattern, ms, (((ms % 1000) + 1000) % 1000) * 1e6, zone(ctx)));
    };
  },
});

define({
  name: 'formatInstant',
  position: 'chain',
  minArgs: 2,
  maxArgs: 2,
  returns: 'String',
  signature: 'formatInstant(pattern, zone) → String',
  description: 'Formats an Instant with a DateTimeFormatter pattern in the given zone.',
  build: (s, [p, z], site) => {
    const e = subj(s);
    const pat = patternArg(p!, site);
    const zone = zoneArg(z, site);
    return (ctx) => {
      const i = toInstantValue(e(ctx), 'formatInstant');
      if (i === null) return null;
      const pattern = pat(ctx);
      if (pattern === null) return null;
      return safe('formatInstant', () => formatPattern(pattern, i.sec * 1000 + Math.floor(i.nano / 1e6), i.nano, zone(ctx)));
    };
  },
});

define({
  name: 'toDate',
  position: 'chain',
  minArgs: 0,
  maxArgs: 2,
  returns: 'Date',
  pure: false,
  signature: 'toDate([pattern[, zone]]) → Date',
  description: 'Parses text with a DateTimeFormatter pattern (lenient); without a pattern reads epoch milliseconds.',
  build: (s, [p, z], site) => {
    const e = subj(s);
    if (!p) {
      return (ctx) => {
        const v = e(ctx);
        if (v instanceof ElDate) return v;
        if (v instanceof ElInstant) return new ElDate(v.ms);
        const n = toNum(v, 'toDate');
        if (n === null) return null;
        return new ElDate(typeof n === 'bigint' ? Number(n) : Math.trunc(n));
      };
    }
    const pat = patternArg(p, site);
    const zone = zoneArg(z, site);
    return (ctx) => {
      const v = e(ctx);
      if (v !== null && typeof v !== 'string') return new ElDate(toDateMs(v, ctx, 'toDate')!);
      const text = str(e, ctx);
      if (text === null) return null;
      const pattern = pat(ctx);
      if (pattern === null) return null;
      return safe('toDate', () => {
        const parsed = parsePattern(text, pattern, { strict: false, caseInsensitive: true });
        return new ElDate(resolveParsed(parsed, zone(ctx), false).ms);
      });
    };
  },
});

define({
  name: 'toInstant',
  position: 'chain',
  minArgs: 0,
  maxArgs: 2,
  returns: 'Instant',
  signature: 'toInstant([pattern, zone]) → Instant',
  description: 'Parses text strictly with a DateTimeFormatter pattern in a zone; without arguments reads epoch milliseconds.',
  build: (s, args, site) => {
    const e = subj(s);
    if (args.length === 1) site.fail('takes no arguments or both a pattern and a time zone');
    if (args.length === 0) {
      return (ctx) => {
        const v = e(ctx);
        if (v instanceof ElInstant) return v;
        if (v instanceof ElDate) return ElInstant.ofMillis(v.ms);
        const n = toNum(v, 'toInstant');
        if (n === null) return null;
        return ElInstant.ofMillis(typeof n === 'bigint' ? Number(n) : Math.trunc(n));
      };
    }
    const pat = patternArg(args[0]!, site);
    const zone = zoneArg(args[1], site);
    return (ctx) => {
      const v = e(ctx);
      if (v !== null && typeof v !== 'string') return toInstantValue(v, 'toInstant');
      const text = str(e, ctx);
      if (text === null) return null;
      const pattern = pat(ctx);
      if (pattern === null) return null;
      return safe('toInstant', () => {
        const parsed = parsePattern(text, pattern, { strict: true, caseInsensitive: false });
        const r = resolveParsed(parsed, zone(ctx), false);
        return new ElInstant(Math.floor(r.ms / 1000), r.nano);
      });
    };
  },
});

function epochUnit(name: string, scale: bigint, nanoDiv: bigint): void {
  define({
    name,
    position: 'chain',
    minArgs: 0,
    maxArgs: 0,
    returns: 'Whole Number',
    signature: `${name}() → Whole Number`,
    description: `${name === 'toMicros' ? 'Microseconds' : 'Nanoseconds'} since the epoch of an Instant.`,
    build: (s) => {
      const e = subj(s);
      return (ctx) => {
        const v = e(ctx);
        if (v === null) return null;
        if (!(v instanceof ElInstant)) throw evalError(name, `needs an Instant subject, got ${typeName(v)}`);
        return BigInt(v.sec) * scale + BigInt(v.nano) / nanoDiv;
      };
    },
  });
}
epochUnit('toMicros', 1_000_000n, 1000n);
epochUnit('toNanos', 1_000_000_000n, 1n);

const AMOUNT = /^\s*(\d+)\s+(nanoseconds?|seconds?|minutes?|hours?|days?|weeks?|months?|years?)\s*$/i;

interface Amount {
  n: number;
  unit: string;
}

function parseAmount(text: string): Amount | null {
  const m = AMOUNT.exec(text);
  if (!m) return null;
  let unit = m[2]!.toLowerCase();
  if (!unit.endsWith('s')) unit += 's';
  return { n: Number(m[1]), unit };
}

function amountArg(a: Compiled, site: BuildSite): (ctx: EvalContext) => Amount {
  if (a.isConst) {
    const text = typeof a.value === 'string' ? a.value : String(a.value);
    const am = parseAmount(text);
    if (!am) site.fail(`invalid duration '${text}'; expected '<number> <unit>' with unit nanoseconds, seconds, minutes, hours, days, weeks, months or years`);
    return () => am!;
  }
  return (ctx) => {
    const text = strArg(a, ctx);
    const am = text === null ? null : parseAmount(text);
    if (!am) throw evalError(site.name, `invalid duration '${text}'`);
    return am;
  };
}

/** Adds (sign 1) or subtracts a duration to epoch nanos split as ms + sub-ms nanos. */
function shift(ms: number, subNano: number, am: Amount, sign: number, zone: Zone): { ms: number; subNano: number } {
  const n = am.n * sign;
  switch (am.unit) {
    case 'nanoseconds': {
      const total = BigInt(ms) * 1_000_000n + BigInt(subNano) + BigInt(n);
      const q = total >= 0n ? total / 1_000_000n : (total - 999_999n) / 1_000_000n;
      return { ms: Number(q), subNano: Number(total - q * 1_000_000n) };
    }
    case 'seconds':
      return { ms: ms + n * 1000, subNano };
    case 'minutes':
      return { ms: ms + n * 60_000, subNano };
    case 'hours':
      return { ms: ms + n * 3_600_000, subNano };
    default: {
      const dt = DateTime.fromMillis(ms, { zone });
      return { ms: dt.plus({ [am.unit]: n }).toMillis(), subNano };
    }
  }
}

function durationFn(name: string, sign: number, instant: boolean): void {
  define({
    name,
    position: 'chain',
    minArgs: 1,
    maxArgs: instant ? 1 : 2,
    returns: instant ? 'Instant' : 'Date',
    pure: instant,
    signature: `${name}(amount${instant ? '' : '[, zone]'}) → ${instant ? 'Instant' : 'Date'}`,
    description: `${sign > 0 ? 'Adds' : 'Subtracts'} a duration such as '2 hours' or '1 month'${instant ? ' (in UTC)' : ' (calendar units in the zone)'}.`,
    build: (s, [a, z], site) => {
      const e = subj(s);
      const amount = amountArg(a!, site);
      const zone = instant ? () => resolveZone('UTC') : zoneArg(z, site);
      return (ctx) => {
        const v = e(ctx);
        if (instant) {
          const i = toInstantValue(v, name);
          if (i === null) return null;
          const am = amount(ctx);
          const r = safe(name, () => shift(i.sec * 1000 + Math.floor(i.nano / 1e6), i.nano % 1_000_000, am, sign, zone(ctx)));
          const sec = Math.floor(r.ms / 1000);
          return new ElInstant(sec, (r.ms - sec * 1000) * 1e6 + r.subNano);
        }
        const ms = toDateMs(v, ctx, name);
        if (ms === null) return null;
        const am = amount(ctx);
        return new ElDate(safe(name, () => shift(ms, 0, am, sign, zone(ctx))).ms);
      };
    },
  });
}
durationFn('plusDuration', 1, false);
durationFn('minusDuration', -1, false);
durationFn('plusInstantDuration', 1, true);
durationFn('minusInstantDuration', -1, true);

define({
  name: 'isValidDate',
  position: 'chain',
  minArgs: 1,
  maxArgs: 2,
  returns: 'Boolean',
  pure: false,
  signature: 'isValidDate(pattern[, zone]) → Boolean',
  description: 'True when the trimmed subject parses strictly against the pattern and is a real calendar date.',
  build: (s, [p, z], site) => {
    const e = subj(s);
    const pat = patternArg(p!, site);
    const zone = zoneArg(z, site);
    const hasZone = !!z;
    return (ctx) => {
      const v = str(e, ctx);
      if (v === null) return false;
      const pattern = pat(ctx);
      if (pattern === null) return false;
      try {
        const zn = zone(ctx);
        const parsed = parsePattern(javaTrim(v), pattern, { strict: true, caseInsensitive: true });
        resolveParsed(parsed, zn, true);
        if (hasZone && isInGap(parsed, zn)) return false;
        return true;
      } catch {
        return false;
      }
    };
  },
});

define({
  name: 'isValidInstant',
  position: 'chain',
  minArgs: 0,
  maxArgs: 0,
  returns: 'Boolean',
  signature: 'isValidInstant() → Boolean',
  description: 'True when the trimmed subject is an ISO instant, ISO offset date-time or RFC-1123 date.',
  build: (s) => {
    const e = subj(s);
    return (ctx) => {
      const v = str(e, ctx);
      return v !== null && parseInstantText(javaTrim(v), false) !== null;
    };
  },
});

define({
  name: 'now',
  position: 'head',
  minArgs: 0,
  maxArgs: 0,
  returns: 'Date',
  pure: false,
  signature: 'now() → Date',
  description: 'The current date and time.',
  build: (): Evaluator => () => new ElDate(Date.now()),
});

export { toWhole };
