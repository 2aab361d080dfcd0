import { ElDate, ElInstant, zoneOf, type Value } from '../el-types.js';
import { toBool, toNum, toStr } from '../el-values.js';
import { evalError } from '../expression-error.js';
import { javaTrim } from '../java-number.js';
import { define, subj } from './function-table.js';
import { str, strArg, stringFn } from './helpers.js';

const JAVA_BLANK = /^[\t\n\x0B\f\r\x1C-\x1F \u1680\u2000-\u2006\u2008-\u200A\u2028\u2029\u205F\u3000]*$/;

define({
  name: 'isNull',
  position: 'chain',
  minArgs: 0,
  maxArgs: 0,
  returns: 'Boolean',
  signature: 'isNull() → Boolean',
  description: 'True when the subject is null (a missing attribute).',
  build: (s) => {
    const e = subj(s);
    return (ctx) => e(ctx) === null;
  },
});
define({
  name: 'notNull',
  position: 'chain',
  minArgs: 0,
  maxArgs: 0,
  returns: 'Boolean',
  signature: 'notNull() → Boolean',
  description: 'True when the subject is not null.',
  build: (s) => {
    const e = subj(s);
    return (ctx) => e(ctx) !== null;
  },
});
stringFn('isEmpty', [], 'Boolean', 'True when the subject is null, empty or only whitespace.', (s) => {
  if (s === null || s.length === 0) return true;
  const c = s.charCodeAt(0);
  if (c > 32 && c < 0x80) return false;
  return JAVA_BLANK.test(s);
});

function typedEquals(a: Value, b: Value, tz: string): boolean {
  if (a === null || b === null) return false;
  if (typeof a === typeof b && typeof a !== 'object') return a === b;
  if (a instanceof ElDate && b instanceof ElDate) return a.ms === b.ms;
  if (a instanceof ElInstant && b instanceof ElInstant) return a.sec === b.sec && a.nano === b.nano;
  const sa = a instanceof ElDate || a instanceof ElInstant ? String(a.ms) : toStr(a, tz);
  const sb = b instanceof ElDate || b instanceof ElInstant ? String(b.ms) : toStr(b, tz);
  return sa === sb;
}

define({
  name: 'equals',
  position: 'chain',
  minArgs: 1,
  maxArgs: 1,
  returns: 'Boolean',
  signature: 'equals(value) → Boolean',
  description: 'True when the subject equals the argument (typed comparison, then text).',
  build: (s, [a]) => {
    const e = subj(s);
    const aev = a!.ev;
    if (a!.isConst && typeof a!.value === 'string') {
      const want = a!.value;
      return (ctx) => {
        const v = e(ctx);
        return typeof v === 'string' ? v === want : typedEquals(v, want, zoneOf(ctx));
      };
    }
    return (ctx) => {
      const v = e(ctx);
      if (v === null) return false;
      return typedEquals(v, aev(ctx), zoneOf(ctx));
    };
  },
});
define({
  name: 'equalsIgnoreCase',
  position: 'chain',
  minArgs: 1,
  maxArgs: 1,
  returns: 'Boolean',
  signature: 'equalsIgnoreCase(value) → Boolean',
  description: 'Case-insensitive text comparison.',
  build: (s, [a]) => {
    const e = subj(s);
    return (ctx) => {
      const v = str(e, ctx);
      if (v === null) return false;
      const w = strArg(a!, ctx);
      if (w === null || w.length !== v.length) return false;
      return v.toUpperCase() === w.toUpperCase() || v.toLowerCase() === w.toLowerCase();
    };
  },
});

function comparator(name: string, test: (c: number) => boolean, desc: string): void {
  define({
    name,
    position: 'chain',
    minArgs: 1,
    maxArgs: 1,
    returns: 'Boolean',
    signature: `${name}(number) → Boolean`,
    description: desc,
    build: (s, [a]) => {
      const e = subj(s);
      return (ctx) => {
        const x = toNum(e(ctx), name);
        if (x === null) return false;
        const y = toNum(a!.ev(ctx), name);
        if (y === null) return false;
        if (typeof x === 'bigint' && typeof y === 'bigint') return test(x < y ? -1 : x > y ? 1 : 0);
        const fx = Number(x);
        const fy = Number(y);
        if (Number.isNaN(fx) || Number.isNaN(fy)) return false;
        return test(fx < fy ? -1 : fx > fy ? 1 : 0);
      };
    },
  });
}
comparator('gt', (c) => c > 0, 'Numeric greater-than.');
comparator('ge', (c) => c >= 0, 'Numeric greater-than-or-equal.');
comparator('lt', (c) => c < 0, 'Numeric less-than.');
comparator('le', (c) => c <= 0, 'Numeric less-than-or-equal.');

define({
  name: 'and',
  position: 'chain',
  minArgs: 1,
  maxArgs: 1,
  returns: 'Boolean',
  signature: 'and(Boolean) → Boolean',
  description: 'Logical AND; stops when the subject is false.',
  build: (s, [a]) => {
    const e = subj(s);
    return (ctx) => {
      if (toBool(e(ctx), 'and') === false) return false;
      return toBool(a!.ev(ctx), 'and');
    };
  },
});
define({
  name: 'or',
  position: 'chain',
  minArgs: 1,
  maxArgs: 1,
  returns: 'Boolean',
  signature: 'or(Boolean) → Boolean',
  description: 'Logical OR; stops when the subject is true.',
  build: (s, [a]) => {
    const e = subj(s);
    return (ctx) => {
      if (toBool(e(ctx), 'or') === true) return true;
      return toBool(a!.ev(ctx), 'or');
    };
  },
});
define({
  name: 'not',
  position: 'chain',
  minArgs: 0,
  maxArgs: 0,
  returns: 'Boolean',
  signature: 'not() → Boolean',
  description: 'Logical NOT; a null subject is an error.',
  build: (s) => {
    const e = subj(s);
    return (ctx) => {
      const v = e(ctx);
      if (typeof v === 'boolean') return !v;
      const b = toBool(v, 'not');
      if (b === null) throw evalError('not', 'subject is null');
      return !b;
    };
  },
});
define({
  name: 'ifElse',
  position: 'chain',
  minArgs: 2,
  maxArgs: 2,
  returns: 'String',
  signature: 'ifElse(whenTrue, whenFalse) → String',
  description: 'Returns the first argument when the subject is true, else the second; only the chosen one is evaluated.',
  build: (s, [t, f]) => {
    const e = subj(s);
    const tev = t!.ev;
    const fev = f!.ev;
    return (ctx) => {
      const v = e(ctx);
      const cond = v === true || (typeof v === 'string' ? toBool(v, 'ifElse') === true : v !== null && v !== false && toBool(v, 'ifElse') === true);
      const r = cond ? tev(ctx) : fev(ctx);
      return typeof r === 'string' ? r : toStr(r, zoneOf(ctx));
    };
  },
});
stringFn('isJson', [], 'Boolean', 'True when the trimmed subject is a JSON object or array.', (s) => {
  if (s === null) return false;
  const t = javaTrim(s);
  if (!((t.startsWith('{') && t.endsWith('}')) || (t.startsWith('[') && t.endsWith(']')))) return false;
  try {
    JSON.parse(t);
    return true;
  } catch {
    return false;
  }
});
