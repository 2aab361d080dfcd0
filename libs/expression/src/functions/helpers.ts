import { ElDate, ElInstant, zoneOf, type EvalContext, type Evaluator, type Value } from '../el-types.js';
import { toStr } from '../el-values.js';
import { evalError } from '../expression-error.js';
import { compileJavaRegex, type JavaRegex } from '../java-regex.js';
import { define, subj, type Compiled, type ResultType } from './function-table.js';

/** Subject as a String (null stays null). */
export function str(ev: Evaluator, ctx: EvalContext): string | null {
  const v = ev(ctx);
  return typeof v === 'string' ? v : toStr(v, zoneOf(ctx));
}

export function strArg(a: Compiled, ctx: EvalContext): string | null {
  if (a.isConst) return typeof a.value === 'string' ? a.value : toStr(a.value, 'UTC');
  return str(a.ev, ctx);
}

/** Defines a chained String→X function with a fixed argument count and eager String arguments. */
export function stringFn(
  name: string,
  argNames: readonly string[],
  returns: ResultType,
  description: string,
  impl: (s: string | null, args: (string | null)[], ctx: EvalContext) => Value,
  optional = 0,
): void {
  define({
    name,
    position: 'chain',
    minArgs: argNames.length - optional,
    maxArgs: argNames.length,
    returns,
    signature: `${name}(${argNames.join(', ')}) → ${returns}`,
    description,
    build(s, args) {
      const sev = subj(s);
      // impl never keeps its args array, so one array per call site avoids allocating on the hot path
      if (args.length === 0) {
        const none: (string | null)[] = [];
        return (ctx) => {
          const v = sev(ctx);
          return impl(typeof v === 'string' || v === null ? v : toStr(v, zoneOf(ctx)), none, ctx);
        };
      }
      if (args.length === 1) {
        const a0 = args[0]!;
        const one: (string | null)[] = [null];
        if (a0.isConst && (typeof a0.value === 'string' || a0.value === null)) {
          one[0] = a0.value;
          return (ctx) => impl(str(sev, ctx), one, ctx);
        }
        return (ctx) => {
          const s0 = str(sev, ctx);
          one[0] = strArg(a0, ctx);
          return impl(s0, one, ctx);
        };
      }
      return (ctx) => impl(str(sev, ctx), args.map((a) => strArg(a, ctx)), ctx);
    },
  });
}

export function requireArg<T>(v: T | null, fn: string, what: string): T {
  if (v === null) throw evalError(fn, `${what} is null`);
  return v;
}

export function isDateLike(v: Value): v is ElDate | ElInstant {
  return v instanceof ElDate || v instanceof ElInstant;
}

/** A Java regex argument compiled at build time when it is a constant; null when it must wait for run time. */
export function regexFrom(a: Compiled, fn: string, fail: (m: string) => never): JavaRegex | null {
  if (!a.isConst || typeof a.value !== 'string') return null;
  try {
    return compileJavaRegex(a.value);
  } catch (err) {
    return fail((err as Error).message);
  }
}

export function dynamicRegex(src: string | null, fn: string): JavaRegex {
  if (src === null) throw evalError(fn, 'regular expression argument is null');
  try {
    return compileJavaRegex(src);
  } catch (err) {
    throw evalError(fn, (err as Error).message);
  }
}
