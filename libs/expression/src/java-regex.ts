import { END, translateJavaRegex } from './java-regex-syntax.js';
import { copyRegExp, LinearRegexUnsupported, linearJavaRegex } from './linear-regex.js';
import { regexHazard, UnsafeRegexError } from './regex-safety.js';

/** A compiled Java regex: the RegExps each Java operation needs, translated once (java-regex-syntax.ts) and cached. */
export interface JavaRegex {
  readonly source: string;
  readonly groupCount: number;
  readonly groupNames: readonly string[];
  /** The number of each named group, in the order of groupNames: a named group is also a numbered one. */
  readonly groupNumbers: readonly number[];
  /** Non-global: test/exec for `find`. */
  readonly re: RegExp;
  /** Global: replaceAll. */
  readonly global: RegExp;
  /** Whole-input match, for `matches`. */
  readonly full: RegExp;
  /** Same pattern with native `$`/`^`/`.`; equivalent when the input has no line terminator (null if identical). */
  readonly fastRe: RegExp | null;
  readonly fastGlobal: RegExp | null;
}

const cache = new Map<string, JavaRegex>();
const refused = new Map<string, string>();

/**
 * Compiles (and caches) a Java regex; throws Error with a readable message when invalid. A pattern that could
 * backtrack exponentially (see regex-safety.ts) runs on the linear-time engine (linear-regex.ts), or is refused
 * (UnsafeRegexError) when it needs what that engine lacks. Every user regex is compiled here.
 */
export function compileJavaRegex(src: string): JavaRegex {
  const hit = cache.get(src);
  if (hit) return hit;
  const known = refused.get(src);
  if (known) throw new UnsafeRegexError(known);
  const t = translateJavaRegex(src);
  let re: RegExp;
  try {
    re = new RegExp(t.source, t.flags);
  } catch (e) {
    throw new Error(`invalid regular expression '${src}': ${(e as Error).message.replace(/^Invalid regular expression: /, '')}`);
  }
  const hazard = regexHazard(src, t.flags.includes('i'));
  if (hazard) {
    // Exponential on the backtracking engine: the linear one runs it, unless it uses what RE2 cannot run.
    let linear: JavaRegex;
    try {
      linear = linearJavaRegex(src, t);
    } catch (e) {
      if (!(e instanceof LinearRegexUnsupported)) throw e;
      const message = `regular expression '${src}' is refused: ${hazard}, and it uses ${e.message}, which the linear-time engine cannot run; rewrite it so that each repeated part can match a given text in only one way`;
      if (refused.size > 500) refused.clear();
      refused.set(src, message);
      throw new UnsafeRegexError(message);
    }
    if (cache.size > 2000) cache.clear();
    cache.set(src, linear);
    return linear;
  }
  const n = translateJavaRegex(src, true);
  // without surrogates or line terminators in the input, native `$`/`.` and the non-unicode engine match like Java
  const needsUnicode = /\\[pP]\{|\\u\{/.test(n.source);
  const fastFlags = needsUnicode ? n.flags : n.flags.replace('u', '');
  let fast: RegExp | null = null;
  try {
    fast = new RegExp(n.source, fastFlags);
  } catch {
    fast = null;
  }
  const compiled: JavaRegex = {
    fastRe: fast,
    fastGlobal: fast ? new RegExp(n.source, fastFlags + 'g') : null,
    source: src,
    groupCount: t.groupCount,
    groupNames: t.groupNames,
    groupNumbers: t.groupNumbers,
    re,
    global: new RegExp(t.source, t.flags + 'g'),
    full: new RegExp(`^(?:${t.source})${END}`, t.flags),
  };
  if (cache.size > 2000) cache.clear();
  cache.set(src, compiled);
  return compiled;
}

/**
 * Translates a Java replacement string (`$n`, `${name}`, `\x`) into JavaScript replacement syntax.
 * Throws like Java for an illegal group reference or a trailing backslash.
 */
export function translateReplacement(repl: string, rx: JavaRegex): string {
  let out = '';
  for (let i = 0; i < repl.length; i++) {
    const c = repl[i]!;
    if (c === '\\') {
      i++;
      if (i >= repl.length) throw new Error('character to be escaped is missing');
      out += repl[i] === '$' ? '$$' : repl[i];
    } else if (c === '$') {
      i++;
      if (i >= repl.length) throw new Error('Illegal group reference: group index is missing');
      const d = repl[i]!;
      if (d === '{') {
        const e = repl.indexOf('}', i);
        const name = e < 0 ? '' : repl.slice(i + 1, e);
        if (e < 0 || !/^[A-Za-z][A-Za-z0-9]*$/.test(name)) throw new Error("named capturing group is missing trailing '}'");
        if (!rx.groupNames.includes(name)) throw new Error(`No group with name {${name}}`);
        out += `$<${name}>`;
        i = e;
      } else if (d >= '0' && d <= '9') {
        let num = Number(d);
        if (num > rx.groupCount) throw new Error(`No group ${num}`);
        while (i + 1 < repl.length && /[0-9]/.test(repl[i + 1]!) && num * 10 + Number(repl[i + 1]) <= rx.groupCount) {
          num = num * 10 + Number(repl[++i]);
        }
        out += num === 0 ? '$&' : `$${String(num).padStart(2, '0')}`;
      } else {
        throw new Error('Illegal group reference');
      }
    } else out += c;
  }
  return out;
}

/** Java String.split(regex): trailing empty strings removed; a zero-width match at 0 adds no leading "". */
export function javaSplit(text: string, regex: string): string[] {
  let parts: string[];
  if (regex.length === 1 && !'.$|()[{^?*+\\'.includes(regex)) parts = text.split(regex);
  else {
    const rx = compileJavaRegex(regex);
    parts = [];
    const g = copyRegExp(rx.global);
    let last = 0;
    let m: RegExpExecArray | null;
    while ((m = g.exec(text)) !== null) {
      if (m[0].length === 0) {
        if (m.index >= text.length) break;
        if (m.index === 0) {
          g.lastIndex++;
          continue;
        }
      }
      parts.push(text.slice(last, m.index));
      last = m.index + m[0].length;
      if (m[0].length === 0) g.lastIndex = m.index + 1;
    }
    parts.push(text.slice(last));
  }
  if (text.length === 0) return [''];
  let end = parts.length;
  while (end > 0 && parts[end - 1] === '') end--;
  return parts.slice(0, end);
}
