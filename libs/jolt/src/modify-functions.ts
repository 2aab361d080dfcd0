/**
 * Jolt's stock modify functions (0.1.8), with its argument conventions. A function returns `undefined` for
 * "no value" (Java's `Optional.empty()`); `null` is a value.
 */
import { deleteKey, keysOf } from './order.js';
import { deepEqual, isObject, javaString, isJavaDouble } from './json.js';
import {
  intValue, JavaDouble, javaTrim, javaType, longValue, numValue, roundHalfUp, toNumeric,
  type JavaType,
} from './java-number.js';

export type ModifyFunction = (args: unknown[]) => unknown;

/** Maps over a list (or 2+ args); items it cannot handle stay as they were. */
function single(fn: (v: unknown) => unknown): ModifyFunction & { one: (v: unknown) => unknown } {
  const each = (list: unknown[]) => list.map((o) => { const r = fn(o); return r === undefined ? o : r; });
  const call = (args: unknown[]): unknown => {
    if (args.length === 0) return undefined;
    if (args.length === 1) {
      const a = args[0];
      if (Array.isArray(a)) return a.length === 0 ? undefined : each(a);
      if (a === null || a === undefined) return undefined;
      return fn(a);
    }
    return each(args);
  };
  return Object.assign(call, { one: fn });
}

/** Needs 2+ args or one non-empty list. */
function list(fn: (items: unknown[]) => unknown): ModifyFunction {
  return (args) => {
    if (args.length === 0) return undefined;
    if (args.length === 1) {
      const a = args[0];
      return Array.isArray(a) && a.length > 0 ? fn(a) : undefined;
    }
    return fn(args);
  };
}

/** Handles a single value or a list. */
function either(one: (v: unknown) => unknown, many: (items: unknown[]) => unknown): ModifyFunction {
  return (args) => {
    if (args.length === 0) return undefined;
    if (args.length === 1) {
      const a = args[0];
      if (Array.isArray(a)) return a.length === 0 ? undefined : many(a);
      if (a === null || a === undefined) return undefined;
      return one(a);
    }
    return many(args);
  };
}

/** First argument typed (`String` or `Integer`), the rest a value or a list. */
function argDriven(
  accepts: (v: unknown) => boolean,
  onSingle: ((arg: unknown, v: unknown) => unknown) | null,
  onList: (arg: unknown, items: unknown[]) => unknown,
): ModifyFunction {
  return (rawArgs) => {
    let args = rawArgs;
    if (args.length === 1 && Array.isArray(args[0])) args = args[0] as unknown[];
    if (args.length < 2 || !accepts(args[0])) return undefined;
    const arg = args[0];
    if (args.length === 2) {
      const second = args[1];
      if (Array.isArray(second)) return onList(arg, second);
      return onSingle ? onSingle(arg, second) : undefined;
    }
    return onList(arg, args.slice(1));
  };
}

const isString = (v: unknown): v is string => typeof v === 'string';

/** A Java Double result: integral values keep their double type as `JavaDouble`. */
function dbl(x: number): unknown {
  return Number.isInteger(x) ? new JavaDouble(x) : x;
}

function typed(n: { value: number; type: JavaType }): unknown {
  return n.type === 'double' ? dbl(n.value) : n.value;
}
const isInt = (v: unknown): v is number => javaType(v) === 'int';

/** `Integer.parseInt` for up to nine digits with an optional `-`: always an int, no allocation; else undefined. */
function shortInt(s: string): number | undefined {
  const n = s.length;
  let i = n > 1 && s.charCodeAt(0) === 45 ? 1 : 0;
  if (n === 0 || n - i > 9) return undefined;
  let x = 0;
  for (; i < n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return undefined;
    x = x * 10 + c;
  }
  return s.charCodeAt(0) === 45 && x !== 0 ? -x : x;
}

function toIntegerOne(v: unknown): unknown {
  if (typeof v === 'number' && (v | 0) === v) return v;
  if (typeof v === 'string') {
    const quick = shortInt(v);
    if (quick !== undefined) return quick;
  }
  const n = toNumeric(v);
  return n ? intValue(n) : undefined;
}

function toLongOne(v: unknown): unknown {
  const n = toNumeric(v);
  return n ? longValue(n) : undefined;
}

function toDoubleOne(v: unknown): unknown {
  const n = toNumeric(v);
  return n ? dbl(n.value) : undefined;
}

function absOne(v: unknown): unknown {
  const n = toNumeric(v);
  if (!n) return undefined;
  if (n.type === 'int' && n.value === -2147483648) return n.value;
  return typed({ value: Math.abs(n.value), type: n.type });
}

/** Jolt's min/max: best int, long and double found separately, then compared as truncated longs, int winning ties. */
function extreme(items: unknown[], isMax: boolean): unknown {
  const best: Partial<Record<JavaType, number>> = {};
  for (const item of items) {
    const n = toNumeric(item);
    if (!n || Number.isNaN(n.value)) continue;
    const cur = best[n.type];
    if (cur === undefined || (isMax ? n.value > cur : n.value < cur)) best[n.type] = n.value;
  }
  let winner: { value: number; type: JavaType } | undefined;
  for (const type of ['int', 'long', 'double'] as const) {
    const v = best[type];
    if (v === undefined) continue;
    const cand = { value: v, type };
    if (!winner) { winner = cand; continue; }
    const a = longValue(cand);
    const b = longValue(winner);
    if (isMax ? a > b : a < b) winner = cand;
  }
  return winner === undefined ? undefined : typed(winner);
}

function sortKey(v: unknown): string | null {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'boolean';
  return javaType(v);
}

function javaSort(items: unknown[]): unknown {
  if (items.length === 0) return items;
  const type = sortKey(items[0]);
  if (type === null || items.some((i) => sortKey(i) !== type)) return items;
  const copy = items.slice();
  if (type === 'string') copy.sort((a, b) => ((a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0));
  else if (type === 'boolean') copy.sort((a, b) => Number(a) - Number(b));
  else copy.sort((a, b) => numValue(a)! - numValue(b)!);
  return copy;
}

/** How a host compiles the patterns of `split`; one running user specifications can refuse some. */
export interface RegexCompiler {
  /** A global RegExp for the pattern; throws when the pattern is invalid or refused. */
  compile(pattern: string): RegExp;
  /** Why a pattern is refused outright (a spec that writes it does not compile), or null. */
  refusal?(pattern: string): string | null;
}

const jsRegex = (pattern: string): RegExp => new RegExp(pattern, 'g');

/** `split(regex, value or list)`, its patterns compiled by `regex`. */
export function splitFunction(regex?: RegexCompiler): ModifyFunction {
  const compile = regex ? (p: string) => regex.compile(p) : jsRegex;
  const split = argDriven(
    isString,
    (sep, v) => (isString(v) ? javaSplit(sep as string, v, compile) : undefined),
    (sep, items) => items.map((v) => (isString(v) ? javaSplit(sep as string, v, compile) : v)),
  );
  const refusal = regex?.refusal?.bind(regex);
  if (!refusal) return split;
  // A pattern written in the spec is judged when the spec compiles; one looked up in the input fails that call only.
  const checkArgs = (constants: readonly unknown[]): void => {
    const why = typeof constants[0] === 'string' ? refusal(constants[0]) : null;
    if (why) throw new Error(why);
  };
  return Object.assign(split, { checkArgs });
}

/** Java `String.split(regex)`: drops trailing empty strings; an empty input gives `[""]`. */
export function javaSplit(sep: string, s: string, compile: (pattern: string) => RegExp = jsRegex): string[] {
  if (s === '') return [''];
  const re = compile(sep);
  re.lastIndex = 0;
  const out: string[] = [];
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s)) !== null) {
    if (m[0] === '') {
      if (m.index >= s.length) break;
      if (m.index === 0) { re.lastIndex++; continue; }
      out.push(s.slice(last, m.index));
      last = m.index;
      re.lastIndex++;
      continue;
    }
    out.push(s.slice(last, m.index));
    last = m.index + m[0].length;
  }
  out.push(s.slice(last));
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out;
}

function squashNulls(v: unknown, deep: boolean): void {
  if (Array.isArray(v)) {
    for (let i = v.length - 1; i >= 0; i--) if (v[i] === null) v.splice(i, 1);
    if (deep) for (const x of v) squashNulls(x, true);
  } else if (isObject(v)) {
    for (const k of keysOf(v)) if (v[k] === null) deleteKey(v, k);
    if (deep) for (const k of keysOf(v)) squashNulls(v[k], true);
  }
}

function squash(fn: (v: unknown) => unknown): ModifyFunction {
  return (args) => {
    if (args.length === 0) return undefined;
    if (args.length === 1) {
      const a = args[0];
      if (a === null || a === undefined || (Array.isArray(a) && a.length === 0)) return undefined;
      return fn(a);
    }
    return fn(args.slice());
  };
}

function pad(left: boolean): ModifyFunction {
  return argDriven(isString, null, (s, rest) => {
    if (rest.length !== 2) return undefined;
    const [width, ch] = rest;
    if (!isInt(width) || width < 1 || width > 500 || typeof ch !== 'string' || ch.length !== 1) return undefined;
    const str = s as string;
    if (width <= str.length) return str;
    return left ? ch.repeat(width - str.length) + str : str + ch.repeat(width - str.length);
  });
}

function subtract(type: JavaType): ModifyFunction {
  return list((items) => {
    if (items.length !== 2) return undefined;
    const [a, b] = items;
    if (javaType(a) !== type || javaType(b) !== type) return undefined;
    const r = numValue(a)! - numValue(b)!;
    return typed({ value: type === 'int' ? r | 0 : r, type });
  });
}

function sum(conv: (v: unknown) => unknown, type: JavaType): ModifyFunction {
  return list((items) => {
    let total = 0;
    for (const i of items) {
      if (i === null || i === undefined) continue;
      const n = numValue(conv(i));
      if (n !== undefined) total = type === 'int' ? (total + n) | 0 : total + n;
    }
    return typed({ value: total, type });
  });
}

export const stockFunctions: Record<string, ModifyFunction> = {
  toLower: single((v) => (isString(v) ? v.toLowerCase() : undefined)),
  toUpper: single((v) => (isString(v) ? v.toUpperCase() : undefined)),
  trim: single((v) => (isString(v) ? javaTrim(v) : undefined)),
  abs: single(absOne),
  toInteger: single(toIntegerOne),
  toLong: single(toLongOne),
  toDouble: single(toDoubleOne),
  toBoolean: single((v) => {
    if (typeof v === 'boolean') return v;
    if (isString(v)) {
      const l = v.toLowerCase();
      if (l === 'true') return true;
      if (l === 'false') return false;
    }
    return undefined;
  }),
  toString: single((v) => (isString(v) ? v : javaString(v))),

  concat: list((items) => items.filter((i) => i !== null && i !== undefined).map(javaString).join('')),
  substring: list((items) => {
    if (items.length !== 3) return undefined;
    const [s, a, b] = items;
    if (!isString(s) || !isInt(a) || !isInt(b)) return undefined;
    if (a < 0 || b > s.length || a >= b) return undefined;
    return s.substring(a, b);
  }),
  firstElement: list((items) => items[0]),
  lastElement: list((items) => items[items.length - 1]),
  avg: list((items) => {
    let total = 0;
    let n = 0;
    for (const i of items) {
      const v = toNumeric(i);
      if (v) { total += v.value; n++; }
    }
    return n === 0 ? undefined : dbl(total / n);
  }),
  intSum: sum(toIntegerOne, 'int'),
  longSum: sum(toLongOne, 'long'),
  doubleSum: sum(toDoubleOne, 'double'),
  intSubtract: subtract('int'),
  longSubtract: subtract('long'),
  doubleSubtract: subtract('double'),
  divide: list((items) => {
    if (items.length !== 2) return undefined;
    const a = toNumeric(items[0]);
    const b = toNumeric(items[1]);
    if (!a || !b || b.value === 0) return undefined;
    return dbl(a.value / b.value);
  }),
  divideAndRound: argDriven(isInt, null, (digits, rest) => {
    if (rest.length !== 2) return undefined;
    const a = toNumeric(rest[0]);
    const b = toNumeric(rest[1]);
    if (!a || !b || b.value === 0) return undefined;
    return dbl(roundHalfUp(a.value / b.value, digits as number));
  }),

  min: either((v) => toNumeric(v)?.value, (items) => extreme(items, false)),
  max: either((v) => toNumeric(v)?.value, (items) => extreme(items, true)),
  toList: either((v) => [v], (items) => items),
  sort: either((v) => v, javaSort),

  join: argDriven(isString, null, (sep, items) => {
    let out = '';
    const last = items.length - 1;
    items.forEach((item, i) => {
      if (item === null || item === undefined) return;
      const s = javaString(item);
      if (s === '') return;
      out += s;
      if (i < last) out += sep as string;
    });
    return out;
  }),
  split: splitFunction(),
  leftPad: pad(true),
  rightPad: pad(false),
  elementAt: argDriven(isInt, null, (i, items) => {
    const idx = i as number;
    return idx >= 0 && idx < items.length ? items[idx] : undefined;
  }),

  size: (args) => {
    if (args.length === 0) return undefined;
    if (args.length > 1) return args.length;
    const a = args[0];
    if (Array.isArray(a)) return a.length;
    if (isString(a)) return a.length;
    if (isObject(a)) return Object.keys(a).length;
    return undefined;
  },

  squashNulls: squash((v) => { squashNulls(v, false); return v; }),
  recursivelySquashNulls: squash((v) => { squashNulls(v, true); return v; }),
  squashDuplicates: squash((v) => {
    if (!Array.isArray(v)) return v;
    const kept: unknown[] = [];
    for (const x of v) if (!kept.some((k) => javaEquals(k, x))) kept.push(x);
    v.splice(0, v.length, ...kept);
    return v;
  }),

  noop: () => undefined,
  isPresent: (args) => (args.length === 0 ? undefined : args[0]),
  notNull: (args) => (args.length === 0 || args[0] === null || args[0] === undefined ? undefined : args[0]),
  isNull: (args) => (args.length === 0 || (args[0] !== null && args[0] !== undefined) ? undefined : null),
};

function javaEquals(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a === b && javaType(a) === javaType(b);
  return deepEqual(a, b);
}

/** Replaces the literal-only `JavaDouble` marker by its number before a value reaches the document. */
export function unwrapJava(v: unknown): unknown {
  if (typeof v !== 'object' || v === null) return v;
  if (isJavaDouble(v)) return v.value;
  if (Array.isArray(v) && v.some((x) => isJavaDouble(x) || Array.isArray(x))) return v.map(unwrapJava);
  return v;
}

