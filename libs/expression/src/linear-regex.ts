import { type Matcher, MatcherInput, type MatcherInputBase, RE2JS } from 're2js';
import type { JavaRegex } from './java-regex.js';
import { emit, type Emitted, groupCount, LinearRegexUnsupported, TranslationReader } from './linear-regex-translation.js';
import { EXPRESSION_LIMITS } from './limits.js';
import { possessiveThatMatters } from './regex-possessive.js';
import { UnsafeRegexError } from './regex-safety.js';

export { LinearRegexUnsupported } from './linear-regex-translation.js';

// The linear engine's compiled programs and the RegExp face the rest of the library uses; how a pattern becomes an
// RE2 program (and what RE2 cannot run) is linear-regex-translation.ts.

/**
 * The input is longer than a pattern on the linear engine may be run over (EXPRESSION_LIMITS.maxLinearRegexInput):
 * a refusal like the pattern's own, so whoever routes an unsafe pattern to failure routes this one too.
 */
export class RegexInputLimitError extends UnsafeRegexError {
  constructor(javaSource: string, length: number) {
    super(
      `regular expression '${javaSource}' could backtrack exponentially, so it runs on the linear-time engine, which takes at most ` +
        `${EXPRESSION_LIMITS.maxLinearRegexInput} characters of input (this one has ${length}); rewrite it so that each repeated part can match a ` +
        'given text in only one way, or split the content into smaller pieces first',
    );
    this.name = 'RegexInputLimitError';
  }
}

/** RE2's own entry point below Matcher: one pass that reports every group (Matcher makes a second pass for them). */
interface GroupMatch {
  matchMachineInput(input: MatcherInputBase, start: number, end: number, anchor: number, groups: number): [boolean, number[] | null];
}

/** A compiled RE2 program and how its groups map to the Java pattern's. */
class LinearProgram {
  private input: string | null = null;
  private source: MatcherInputBase | null = null;
  private matcher: Matcher | null = null;
  /** The input has no match at all (RE2's DFA says so without tracking groups, much faster than a search for them). */
  private none = false;
  private readonly slots: number;

  constructor(
    readonly re2: RE2JS,
    /** The user's Java pattern, for messages. */
    readonly javaSource: string,
    private readonly map: Emitted,
    readonly groupNames: readonly string[],
    private readonly nameIndex: readonly number[],
  ) {
    this.slots = 1 + groupCount(map);
  }

  /** RE2's [start, end) of the match and of each group (-1: took no part), for the leftmost match at `from` or later. */
  private offsets(input: string, from: number): number[] | null {
    if (this.input !== input) {
      this.source = MatcherInput.utf16(input);
      this.matcher = null;
      this.none = !this.re2.test(input);
    }
    // Kept even when only equal: the next searches of this string then compare one reference, not every character.
    this.input = input;
    if (this.none) return null;
    if (!this.map.lookbehind) {
      const [found, offsets] = (this.re2.re2() as unknown as GroupMatch).matchMachineInput(this.source!, from, input.length, 0, this.slots);
      return found ? offsets : null;
    }
    // Lookbehinds keep state between searches of one input, which Matcher manages.
    const m = (this.matcher ??= this.re2.matcher(this.source!));
    if (!m.find(from)) return null;
    const offsets: number[] = [];
    for (let g = 0; g < this.slots; g++) offsets.push(m.start(g), m.end(g));
    return offsets;
  }

  /** The leftmost match starting at `from` or later, as RegExp.exec answers it (null: none). */
  find(input: string, from: number): RegExpExecArray | null {
    const at = this.offsets(input, from);
    if (!at) return null;
    const start = at[0]!;
    let end = at[1]!;
    for (const g of this.map.markers) {
      if (at[2 * g]! >= 0 && at[2 * g + 1] === end) end = at[2 * g]!;
    }
    const out: (string | undefined)[] = [input.slice(start, end)];
    for (let j = 1; j < this.map.groups.length; j++) {
      const g = this.map.groups[j]!;
      const s = at[2 * g]!;
      out.push(s < 0 ? undefined : input.slice(Math.min(s, end), Math.min(at[2 * g + 1]!, end)));
    }
    const arr = out as unknown as RegExpExecArray;
    arr.index = start;
    arr.input = input;
    let groups: Record<string, string | undefined> | undefined;
    if (this.groupNames.length > 0) {
      groups = Object.create(null) as Record<string, string | undefined>;
      this.groupNames.forEach((name, j) => (groups![name] = out[this.nameIndex[j]!]));
    }
    // As RegExp.exec: a group that took no part is undefined, in the array and in `groups`.
    arr.groups = groups as RegExpExecArray['groups'];
    return arr;
  }
}

const programs = new WeakMap<LinearRegExp, LinearProgram>();
/** For a sticky copy (String.prototype.split): the last unanchored search, so positions before its match answer at once. */
const misses = new WeakMap<LinearRegExp, { input: string; from: number; next: number; match: RegExpExecArray | null }>();

/**
 * A RegExp whose matching runs on the linear engine: `exec` (which test, String.prototype.replace, match, matchAll,
 * split and search call) honours lastIndex and the global and sticky flags and answers like RegExp.exec. Copies,
 * such as the sticky one split makes through Symbol.species, keep the engine.
 */
export class LinearRegExp extends RegExp {
  constructor(program: LinearProgram | LinearRegExp, flags: string) {
    super('(?:)', flags);
    const p = program instanceof LinearRegExp ? programs.get(program) : program;
    if (!p) throw new TypeError('LinearRegExp needs a compiled program');
    programs.set(this, p);
  }

  static override get [Symbol.species](): RegExpConstructor {
    return LinearRegExp as unknown as RegExpConstructor;
  }

  override get source(): string {
    return programs.get(this)!.re2.pattern();
  }

  override exec(input: string): RegExpExecArray | null {
    const s = String(input);
    const p = programs.get(this)!;
    checkLength(p, s.length);
    const stateful = this.global || this.sticky;
    const from = stateful ? Math.min(Math.max(Math.trunc(Number(this.lastIndex)) || 0, 0), Number.MAX_SAFE_INTEGER) : 0;
    if (from > s.length) {
      this.lastIndex = 0;
      return null;
    }
    let m: RegExpExecArray | null;
    if (this.sticky) {
      const miss = misses.get(this);
      if (miss && miss.input === s && from >= miss.from && from <= miss.next) m = from === miss.next ? miss.match : null;
      else {
        const found = p.find(s, from);
        misses.set(this, { input: s, from, next: found ? found.index : s.length + 1, match: found });
        m = found && found.index === from ? found : null;
      }
    } else m = p.find(s, from);
    if (!m) {
      if (stateful) this.lastIndex = 0;
      return null;
    }
    if (stateful) this.lastIndex = m.index + m[0]!.length;
    return m;
  }

  override test(input: string): boolean {
    if (this.global || this.sticky) return this.exec(input) !== null;
    const s = String(input);
    const p = programs.get(this)!;
    checkLength(p, s.length);
    return p.re2.test(s);
  }

  override toString(): string {
    return `/${this.source}/${this.flags}`;
  }
}

/** Set while a run that can be stopped from outside (a worker thread with a deadline) takes input of any length. */
let unbounded = false;

/** Runs `fn` without the linear engine's input limit: only where a runaway match can be stopped from outside. */
export function withoutLinearInputLimit<T>(fn: () => T): T {
  const was = unbounded;
  unbounded = true;
  try {
    return fn();
  } finally {
    unbounded = was;
  }
}

function checkLength(p: LinearProgram, length: number): void {
  if (!unbounded && length > EXPRESSION_LIMITS.maxLinearRegexInput) throw new RegexInputLimitError(p.javaSource, length);
}

/**
 * Throws RegexInputLimitError when `re` runs on the linear engine and `length` characters are more than it may be
 * run over: for callers that run it over many pieces of one input (line by line), where each piece alone is short.
 */
export function checkLinearInput(re: RegExp, length: number): void {
  const p = re instanceof LinearRegExp ? programs.get(re) : undefined;
  if (p) checkLength(p, length);
}

/** A fresh copy of a user regex with its own lastIndex, on the same engine. */
export function copyRegExp(re: RegExp): RegExp {
  return re instanceof LinearRegExp ? new LinearRegExp(re, re.flags) : new RegExp(re.source, re.flags);
}

/**
 * The Java pattern `src` (translated by translateJavaRegex) on the linear engine; throws LinearRegexUnsupported
 * naming the construct RE2 cannot run.
 */
export function linearJavaRegex(src: string, t: { source: string; flags: string; groupCount: number; groupNames: string[]; groupNumbers: number[] }): JavaRegex {
  const possessive = possessiveThatMatters(src);
  if (possessive) throw new LinearRegexUnsupported(`${possessive}, possessive or atomic, with more of the pattern after it (both engines would give back what it took)`);
  const tree = new TranslationReader(t.source).read();
  const compile = (full: boolean): LinearProgram => {
    const out: Emitted = { groups: [0], markers: [], lookbehind: false };
    const body = emit(tree, { full, tail: true, loop: false }, out);
    const flags = (t.flags.includes('i') ? RE2JS.CASE_INSENSITIVE : 0) | (out.lookbehind ? RE2JS.LOOKBEHINDS : 0);
    let re2: RE2JS;
    try {
      re2 = RE2JS.compile(full ? `\\A(?:${body})\\z` : body, flags);
    } catch (e) {
      throw new LinearRegexUnsupported((e as Error).message.replace(/^error parsing regexp: /, ''));
    }
    const names = [...t.groupNames];
    const index = names.map((name) => re2.namedGroups()[name]!).map((g) => out.groups.indexOf(g));
    return new LinearProgram(re2, src, out, names, index);
  };
  const find = compile(false);
  const full = compile(true);
  const flags = t.flags.includes('i') ? 'iu' : 'u';
  return {
    source: src,
    groupCount: t.groupCount,
    groupNames: t.groupNames,
    groupNumbers: t.groupNumbers,
    re: new LinearRegExp(find, flags),
    global: new LinearRegExp(find, flags + 'g'),
    full: new LinearRegExp(full, flags),
    fastRe: null,
    fastGlobal: null,
  };
}
