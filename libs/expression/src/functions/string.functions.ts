import { zoneOf, type Value } from '../el-types.js';
import { toInt, toStr, toWhole } from '../el-values.js';
import { evalError } from '../expression-error.js';
import { compileNested } from '../el-compiler.js';
import { joinBounded, MAX_RESULT, replaceBounded, tooLong } from './bounded.js';
import { compileJavaRegex, translateReplacement, type JavaRegex } from '../java-regex.js';
import { UnsafeRegexError } from '../regex-safety.js';
import { javaTrim } from '../java-number.js';
import { define, subj, type Compiled, type DynamicSegment, type Segment } from './function-table.js';
import { requireArg, str, strArg, stringFn } from './helpers.js';

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

/**
 * replace() with a constant search on a string known at compile time, as in the seeds' URL templates
 * (`literal("…{SKU}…"):replace("{SKU}", ${sku}):replace("{TOKEN}", ${token})`): the literal text is split once, here,
 * and a later replace applies to the text now and to inserted values at run time. That equals replacing in the whole
 * string only when no match can span a literal/inserted boundary, which is checked here; otherwise null.
 */
function fuseReplace(subject: Compiled, search: string, replacement: Compiled): ((ctx: Parameters<DynamicSegment['get']>[0]) => string) & { segments: readonly Segment[] } | null {
  const segments: readonly Segment[] | undefined = subject.segments ?? (subject.isConst && typeof subject.value === 'string' ? [subject.value] : undefined);
  if (!segments) return null;
  for (let i = 0; i < segments.length; i++) {
    if (typeof segments[i] === 'string') continue;
    const before = segments[i - 1];
    const after = segments[i + 1];
    if ((i > 0 && typeof before !== 'string') || (i + 1 < segments.length && typeof after !== 'string')) return null;
    for (let k = 1; k < search.length; k++) {
      if (typeof before === 'string' && before.endsWith(search.slice(0, k))) return null;
      if (typeof after === 'string' && after.startsWith(search.slice(k))) return null;
    }
  }
  const constRepl = replacement.isConst && typeof replacement.value === 'string' ? replacement.value : null;
  const getRepl = (ctx: Parameters<DynamicSegment['get']>[0]): string => {
    const r = replacement.ev(ctx);
    if (r === null) throw evalError('replace', 'replacement argument is null');
    return typeof r === 'string' ? r : toStr(r, zoneOf(ctx))!;
  };
  const inserted: DynamicSegment = { get: getRepl, replaces: [] };
  const out: Segment[] = [];
  const pushText = (t: string) => {
    if (t === '') return;
    if (typeof out[out.length - 1] === 'string') out[out.length - 1] = (out[out.length - 1] as string) + t;
    else out.push(t);
  };
  for (const seg of segments) {
    if (typeof seg === 'string') {
      const pieces = seg.split(search);
      pieces.forEach((piece, j) => {
        if (j > 0) {
          if (constRepl !== null) pushText(constRepl);
          else out.push(inserted);
        }
        pushText(piece);
      });
    } else {
      out.push({ get: seg.get, replaces: [...seg.replaces, { search, get: getRepl }] });
    }
  }
  // Two inserted values side by side could form a match between them: keep the plain evaluator then.
  for (let i = 1; i < out.length; i++) if (typeof out[i] !== 'string' && typeof out[i - 1] !== 'string') return null;
  const parts = out;
  // Each replacement is evaluated once per evaluation, however often it is inserted (UUID() must repeat itself).
  const getters: ((ctx: Parameters<DynamicSegment['get']>[0]) => string)[] = [];
  const slot = (g: (ctx: Parameters<DynamicSegment['get']>[0]) => string): number => {
    const i = getters.indexOf(g);
    return i >= 0 ? i : getters.push(g) - 1;
  };
  const plan = parts.map((p) => (typeof p === 'string' ? p : { get: slot(p.get), replaces: p.replaces.map((r) => ({ search: r.search, get: slot(r.get) })) }));
  // A null replacement is an error even when the search is not found, as in the unfused evaluator.
  slot(getRepl);
  const n = getters.length;
  const ev = (ctx: Parameters<DynamicSegment['get']>[0]): string => {
    const values: string[] = new Array(n);
    for (let g = 0; g < n; g++) values[g] = getters[g]!(ctx);
    let result = '';
    for (let i = 0; i < plan.length; i++) {
      const p = plan[i]!;
      if (typeof p === 'string') {
        result += p;
        continue;
      }
      let v = values[p.get]!;
      for (let r = 0; r < p.replaces.length; r++) {
        const rep = p.replaces[r]!;
        if (v.indexOf(rep.search) >= 0) v = v.split(rep.search).join(values[rep.get]!);
      }
      result += v;
    }
    return result;
  };
  return Object.assign(ev, { segments: parts });
}

define({
  name: 'replace',
  position: 'chain',
  minArgs: 2,
  maxArgs: 2,
  returns: 'String',
  signature: 'replace(search, replacement) → String',
  description: 'Replaces every literal occurrence of search; a null argument is an error.',
  build: (s, [a, b]) => {
    const e = subj(s);
    if (a!.isConst && typeof a!.value === 'string' && b!.isConst && typeof b!.value === 'string') {
      const search = a!.value;
      const repl = b!.value;
      return (ctx) => {
        const v = str(e, ctx);
        if (v === null) return null;
        return search === '' ? insertEverywhere(v, repl) : joinBounded(v.split(search), repl, v.length, search.length);
      };
    }
    if (a!.isConst && typeof a!.value === 'string' && a!.value !== '') {
      const fused = fuseReplace(s!, a!.value, b!);
      if (fused) return fused;
      const search = a!.value;
      const bev = b!.ev;
      return (ctx) => {
        const v = str(e, ctx);
        if (v === null) return null;
        const r = bev(ctx);
        if (r === null) throw evalError('replace', 'replacement argument is null');
        const repl = typeof r === 'string' ? r : toStr(r, zoneOf(ctx))!;
        const i = v.indexOf(search);
        if (i < 0) return v;
        if (v.indexOf(search, i + search.length) < 0) return v.slice(0, i) + repl + v.slice(i + search.length);
        return joinBounded(v.split(search), repl, v.length, search.length);
      };
    }
    return (ctx) => {
      const v = str(e, ctx);
      if (v === null) return null;
      const search = requireArg(strArg(a!, ctx), 'replace', 'search argument');
      const repl = requireArg(strArg(b!, ctx), 'replace', 'replacement argument');
      return search === '' ? insertEverywhere(v, repl) : joinBounded(v.split(search), repl, v.length, search.length);
    };
  },
});

function insertEverywhere(v: string, r: string): string {
  const n = v.length + (v.length + 1) * r.length;
  if (n > MAX_RESULT) tooLong('replace', n);
  let out = r;
  for (const ch of v) out += ch + r;
  return out;
}

const LINE_TERMINATOR = /[\n\r\u0085\u2028\u2029\uD800-\uDFFF]/;

function regexFrom(a: Compiled, fn: string, fail: (m: string) => never): JavaRegex | null {
  if (!a.isConst || typeof a.value !== 'string') return null;
  try {
    return compileJavaRegex(a.value);
  } catch (err) {
    return fail((err as Error).message);
  }
}

function dynamicRegex(src: string | null, fn: string): JavaRegex {
  if (src === null) throw evalError(fn, 'regular expression argument is null');
  try {
    return compileJavaRegex(src);
  } catch (err) {
    throw evalError(fn, (err as Error).message);
  }
}

/** True when every match of the Java pattern must end at the end of the input: it ends in `$` outside any group or alternative. */
export function endAnchored(source: string): boolean {
  // Quoting (\Q…\E), comment mode (?x) and multiline mode (?m, where $ ends every line) change the meaning.
  if (!source.endsWith('$') || source.includes('\\Q') || /\(\?[a-zA-Z-]*[mx]/.test(source)) return false;
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      if (i === source.length - 2) return false; // the final $ is escaped
      i++;
    } else if (inClass) {
      if (c === ']') inClass = false;
    } else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) return false;
  }
  return depth === 0 && !inClass;
}

function regexReplace(name: string, global: boolean): void {
  define({
    name,
    position: 'chain',
    minArgs: 2,
    maxArgs: 2,
    returns: 'String',
    signature: `${name}(regex, replacement) → String`,
    description: `Java String.${name}: replaces ${global ? 'every match' : 'the first match'} of a Java regex; $1 and \${name} insert groups.`,
    build: (s, [a, b], site) => {
      const e = subj(s);
      const rx = regexFrom(a!, name, site.fail);
      if (rx && b!.isConst && typeof b!.value === 'string') {
        let repl: string;
        try {
          repl = translateReplacement(b!.value, rx);
        } catch (err) {
          return () => {
            throw evalError(name, (err as Error).message);
          };
        }
        // Deleting what an end-anchored pattern matches: after the first match only an empty one at the end can
        // follow, which deletes nothing, so the single-match regex gives the same string faster.
        const once = !global || (repl === '' && endAnchored(rx.source));
        const re = once ? rx.re : rx.global;
        const fast = once ? rx.fastRe : rx.fastGlobal;
        return (ctx) => {
          const v = str(e, ctx);
          if (v === null) return null;
          return replaceBounded(v, fast && !LINE_TERMINATOR.test(v) ? fast : re, repl, name);
        };
      }
      return (ctx) => {
        const v = str(e, ctx);
        if (v === null) return null;
        const r = rx ?? dynamicRegex(strArg(a!, ctx), name);
        const replText = requireArg(strArg(b!, ctx), name, 'replacement argument');
        let repl: string;
        try {
          repl = translateReplacement(replText, r);
        } catch (err) {
          throw evalError(name, (err as Error).message);
        }
        return replaceBounded(v, global ? r.global : r.re, repl, name);
      };
    },
  });
}
regexReplace('replaceFirst', false);
regexReplace('replaceAll', true);

function parseRules(text: string, fail: (m: string) => never): { rx: JavaRegex | null; out: string }[] {
  if (javaTrim(text) === '') return [];
  return text.split(',').map((rule) => {
    const at = rule.indexOf(':');
    const pattern = javaTrim(at < 0 ? rule : rule.slice(0, at));
    const rest = at < 0 ? '' : rule.slice(at + 1);
    const out = javaTrim(rest.split(':')[0]!);
    if (at < 0 || javaTrim(out) === '') fail(`rule '${rule}' has no output after ':'`);
    let rx: JavaRegex | null = null;
    if (javaTrim(pattern) !== '') {
      try {
        rx = compileJavaRegex(pattern);
      } catch (e) {
        // An invalid rule never matches, as in NiFi; one that could stall the server is an error.
        if (e instanceof UnsafeRegexError) fail(e.message);
        rx = null;
      }
    }
    return { rx, out };
  });
}

define({
  name: 'replaceByPattern',
  position: 'chain',
  minArgs: 1,
  maxArgs: 1,
  returns: 'String',
  signature: "replaceByPattern('regex1:out1,regex2:out2') → String",
  description: 'Returns the output of the first rule whose regex matches the whole subject.',
  build: (s, [a], site) => {
    const e = subj(s);
    const constRules = a!.isConst && typeof a!.value === 'string' ? parseRules(a!.value, site.fail) : null;
    return (ctx) => {
      const v = str(e, ctx);
      if (v === null) return null;
      const rules =
        constRules ??
        parseRules(strArg(a!, ctx) ?? '', (m) => {
          throw evalError('replaceByPattern', m);
        });
      for (const r of rules) if (r.rx && r.rx.full.test(v)) return r.out;
      return v;
    };
  },
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
