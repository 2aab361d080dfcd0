import { zoneOf } from '../el-types.js';
import { toStr } from '../el-values.js';
import { evalError } from '../expression-error.js';
import { joinBounded, MAX_RESULT, replaceBounded, tooLong } from './bounded.js';
import { compileJavaRegex, type JavaRegex, translateReplacement } from '../java-regex.js';
import { UnsafeRegexError } from '../regex-safety.js';
import { javaTrim } from '../java-number.js';
import { type Compiled, define, type DynamicSegment, type Segment, subj } from './function-table.js';
import { dynamicRegex, regexFrom, requireArg, str, strArg } from './helpers.js';

/** replace, replaceFirst, replaceAll and replaceByPattern: literal and Java-regex replacement, bounded in size. */
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