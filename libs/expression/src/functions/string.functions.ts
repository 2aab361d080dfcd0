import { type Value, zoneOf } from '../el-types.js';
import { toInt, toStr, toWhole } from '../el-values.js';
import { evalError } from '../expression-error.js';
import { compileNested } from '../el-compiler.js';
import { MAX_RESULT, tooLong } from './bounded.js';
import { javaTrim } from '../java-number.js';
import { define, subj } from './function-table.js';
import { dynamicRegex, regexFrom, str, strArg, stringFn } from './helpers.js';

function caseFn(name: string, desc: string, upper: boolean): void {
  define({
    name,
    position: 'chain',
    minArgs: 0,
    maxArgs: 0,
    returns: 'String',
    signature: `${name}() → String`,
    description: desc,
    build: (s) => {
      const e = subj(s);
      const name = s!.attribute;
      // An attribute is a string or absent: read it directly.
      if (name !== undefined) {
        return upper
          ? (ctx) => {
              const v = ctx.attributes[name];
              return typeof v === 'string' ? v.toUpperCase() : null;
            }
          : (ctx) => {
              const v = ctx.attributes[name];
              return typeof v === 'string' ? v.toLowerCase() : null;
            };
      }
      return (ctx) => {
        const v = e(ctx);
        if (v === null) return null;
        const t = typeof v === 'string' ? v : toStr(v, zoneOf(ctx))!;
        return upper ? t.toUpperCase() : t.toLowerCase();
      };
    },
  });
}
caseFn('toUpper', 'Upper-cases the subject (locale-independent).', true);
caseFn('toLower', 'Lower-cases the subject (locale-independent).', false);
stringFn('trim', [], 'String', 'Removes leading and trailing characters <= U+0020.', (s) => (s === null ? null : javaTrim(s)));
stringFn('append', ['text'], 'String', 'Appends the argument; null counts as empty.', (s, [a]) => (s ?? '') + (a ?? ''));
stringFn('prepend', ['text'], 'String', 'Prepends the argument; null counts as empty.', (s, [a]) => (a ?? '') + (s ?? ''));
stringFn('length', [], 'Whole Number', 'Number of UTF-16 code units; null is 0.', (s) => BigInt(s === null ? 0 : s.length));
stringFn('replaceNull', ['replacement'], 'String', 'The argument when the subject is null, else the subject.', (s, [a]) => (s === null ? a! : s));
stringFn('replaceEmpty', ['replacement'], 'String', 'The argument when the subject is null or blank, else the subject.', (s, [a]) =>
  s === null || javaTrim(s) === '' ? a! : s,
);

define({
  name: 'substring',
  position: 'chain',
  minArgs: 1,
  maxArgs: 2,
  returns: 'String',
  signature: 'substring(start[, end]) → String',
  description: 'Characters from start (0-based) up to end (exclusive); out-of-range gives "".',
  build: (s, args) => {
    const e = subj(s);
    const [a, b] = args;
    return (ctx) => {
      const v = str(e, ctx) ?? '';
      const start = toInt(a!.ev(ctx), 'substring', 'start index');
      const end = b ? toInt(b.ev(ctx), 'substring', 'end index') : v.length;
      if (start < 0 || end > v.length || start > end) return '';
      return v.slice(start, end);
    };
  },
});

function searchFn(name: string, desc: string, impl: (s: string, t: string) => string): void {
  stringFn(name, ['text'], 'String', desc, (s, [t]) => {
    if (s === null) return '';
    if (t === null || t === '') return s;
    return impl(s, t);
  });
}
searchFn('substringBefore', 'Text before the first occurrence of the argument.', (s, t) => {
  const i = s.indexOf(t);
  return i < 0 ? s : s.slice(0, i);
});
searchFn('substringBeforeLast', 'Text before the last occurrence of the argument.', (s, t) => {
  const i = s.lastIndexOf(t);
  return i < 0 ? s : s.slice(0, i);
});
searchFn('substringAfter', 'Text after the first occurrence of the argument.', (s, t) => {
  const i = s.indexOf(t);
  return i < 0 ? s : s.slice(i + t.length);
});
searchFn('substringAfterLast', 'Text after the last occurrence of the argument.', (s, t) => {
  const i = s.lastIndexOf(t);
  return i < 0 ? s : s.slice(i + t.length);
});

function oneChar(v: string | null, fn: string, what: string): string {
  if (v === null || v.length !== 1) throw evalError(fn, `${what} must be exactly one character`);
  return v;
}

define({
  name: 'getDelimitedField',
  position: 'chain',
  minArgs: 1,
  maxArgs: 5,
  returns: 'String',
  signature: "getDelimitedField(index[, delimiter=','[, quote='\"'[, escape='\\\\'[, stripChars=false]]]]) → String",
  description: 'The 1-based field of a delimited line, honouring quotes and escapes.',
  build: (s, args) => {
    const e = subj(s);
    return (ctx) => {
      const text = str(e, ctx);
      if (text === null || text === '') return '';
      const index = toInt(args[0]!.ev(ctx), 'getDelimitedField', 'field index');
      const delim = args[1] ? oneChar(strArg(args[1], ctx), 'getDelimitedField', 'delimiter') : ',';
      const quote = args[2] ? oneChar(strArg(args[2], ctx), 'getDelimitedField', 'quote character') : '"';
      const esc = args[3] ? oneChar(strArg(args[3], ctx), 'getDelimitedField', 'escape character') : '\\';
      const stripV = args[4] ? args[4].ev(ctx) : false;
      const strip = stripV === true || (typeof stripV === 'string' && javaTrim(stripV).toLowerCase() === 'true');
      if (delim === quote || delim === esc || quote === esc) throw evalError('getDelimitedField', 'delimiter, quote and escape characters must all differ');
      if (index < 1) return '';
      let field = 1;
      let cur = '';
      let inQuote = false;
      let escaped = false;
      for (let i = 0; i < text.length; i++) {
        const c = text[i]!;
        if (escaped) {
          cur += c;
          escaped = false;
          continue;
        }
        if (c === esc) {
          escaped = true;
          if (!strip) cur += c;
        } else if (c === quote) {
          inQuote = !inQuote;
          if (!strip) cur += c;
        } else if (c === delim && !inQuote) {
          if (field === index) return cur;
          field++;
          cur = '';
        } else cur += c;
      }
      return field === index ? cur : '';
    };
  },
});

function splitLiteral(s: string, d: string): string[] {
  return s.split(d);
}
stringFn('compactDelimitedList', ['delimiter'], 'String', 'Drops empty items of a delimited list.', (s, [d]) => {
  if (s === null) return '';
  if (!d) return s;
  return splitLiteral(s, d)
    .filter((t) => t !== '')
    .join(d);
});
stringFn('trimDelimitedList', ['delimiter'], 'String', 'Drops empty items at the start and end of a delimited list.', (s, [d]) => {
  if (s === null) return '';
  if (!d) return s;
  const parts = splitLiteral(s, d);
  let a = 0;
  let b = parts.length;
  while (a < b && parts[a] === '') a++;
  while (b > a && parts[b - 1] === '') b--;
  return parts.slice(a, b).join(d);
});
stringFn('unique', ['delimiter'], 'String', 'Removes repeated items of a delimited list, keeping the first.', (s, [d]) => {
  if (s === null) return '';
  if (d === null) return s;
  const parts = d === '' ? [...s] : splitLiteral(s, d);
  return [...new Set(parts)].join(d);
});

function pad(name: string, left: boolean): void {
  define({
    name,
    position: 'chain',
    minArgs: 1,
    maxArgs: 2,
    returns: 'String',
    signature: `${name}(length[, padding='_']) → String`,
    description: `Pads the subject on the ${left ? 'left' : 'right'} to the given length.`,
    build: (s, [a, b]) => {
      const e = subj(s);
      return (ctx) => {
        const v = str(e, ctx);
        if (v === null) return null;
        const len = toWhole(a!.ev(ctx), name);
        if (len === null || len <= 0n || len > 2147483647n) return v;
        let p = b ? strArg(b, ctx) : '_';
        if (!p) p = '_';
        if (Number(len) > MAX_RESULT) tooLong(name, Number(len));
        const need = Number(len) - v.length;
        if (need <= 0) return v;
        const fill = p.repeat(Math.ceil(need / p.length)).slice(0, need);
        return left ? fill + v : v + fill;
      };
    },
  });
}
pad('padLeft', true);
pad('padRight', false);

define({
  name: 'repeat',
  position: 'chain',
  minArgs: 1,
  maxArgs: 2,
  returns: 'String',
  pure: false,
  signature: 'repeat(times) | repeat(min, max) → String',
  description: 'Repeats the subject a fixed or random (min..max) number of times.',
  build: (s, [a, b]) => {
    const e = subj(s);
    return (ctx) => {
      const v = str(e, ctx) ?? '';
      const min = toInt(a!.ev(ctx), 'repeat', 'repeat count');
      if (min <= 0) throw evalError('repeat', `repeat count must be positive, got ${min}`);
      let times = min;
      if (b) {
        const max = toInt(b.ev(ctx), 'repeat', 'maximum repeat count');
        if (max < min) throw evalError('repeat', `maximum ${max} is below minimum ${min}`);
        times = min + Math.floor(Math.random() * (max - min + 1));
      }
      if (v.length * times > MAX_RESULT) tooLong('repeat', v.length * times);
      return v.repeat(times);
    };
  },
});

define({
  name: 'evaluateELString',
  position: 'chain',
  minArgs: 0,
  maxArgs: 0,
  returns: 'String',
  pure: false,
  signature: 'evaluateELString() → String',
  description: "Evaluates the subject's text as an expression template against the same attributes.",
  build: (s) => {
    const e = subj(s);
    return (ctx) => {
      const v = str(e, ctx);
      if (v === null) return null;
      const fn = compileNested(v);
      return fn(ctx.parametersDisabled ? ctx : { ...ctx, parametersDisabled: true });
    };
  },
});

// Searching
function predicate(name: string, desc: string, test: (s: string, t: string) => boolean): void {
  stringFn(name, ['text'], 'Boolean', desc, (s, [t]) => (s === null || t === null ? false : test(s, t)));
}
predicate('startsWith', 'True when the subject starts with the argument.', (s, t) => s.startsWith(t));
predicate('endsWith', 'True when the subject ends with the argument.', (s, t) => s.endsWith(t));
predicate('contains', 'True when the subject contains the argument.', (s, t) => s.includes(t));

define({
  name: 'in',
  position: 'chain',
  minArgs: 1,
  maxArgs: Infinity,
  returns: 'Boolean',
  signature: 'in(value1, value2, ...) → Boolean',
  description: 'True when the subject equals one of the arguments.',
  build: (s, args) => {
    const e = subj(s);
    return (ctx) => {
      const v = str(e, ctx);
      if (v === null) return false;
      return args.some((a) => strArg(a, ctx) === v);
    };
  },
});

function regexPredicate(name: string, desc: string, full: boolean): void {
  define({
    name,
    position: 'chain',
    minArgs: 1,
    maxArgs: 1,
    returns: 'Boolean',
    signature: `${name}(regex) → Boolean`,
    description: desc,
    build: (s, [a], site) => {
      const e = subj(s);
      const rx = regexFrom(a!, name, site.fail);
      return (ctx) => {
        const v = str(e, ctx);
        if (v === null) return false;
        const r = rx ?? (strArg(a!, ctx) === null ? null : dynamicRegex(strArg(a!, ctx), name));
        if (!r) return false;
        return (full ? r.full : r.re).test(v);
      };
    },
  });
}
regexPredicate('find', 'True when part of the subject matches the Java regex.', false);
regexPredicate('matches', 'True when the whole subject matches the Java regex.', true);

function indexFn(name: string, last: boolean): void {
  stringFn(name, ['text'], 'Whole Number', `${last ? 'Last' : 'First'} index of the argument, or -1.`, (s, [t]) => {
    if (s === null) return -1n;
    if (t === null) throw evalError(name, 'search argument is null');
    return BigInt(last ? s.lastIndexOf(t) : s.indexOf(t));
  });
}
indexFn('indexOf', false);
indexFn('lastIndexOf', true);

export type { Value };
