import { compileJavaRegex, type JavaRegex } from './java-regex.js';
import { checkLinearInput, copyRegExp, withoutLinearInputLimit } from './linear-regex.js';

// The shapes of flow-api's RegexJob, RegexMatch and RegexTextResult (this library cannot import flow-api): the one
// implementation of a regex job, run in the server's thread for small inputs and in a worker (or a test's process)
// for the rest, so every path answers alike.

export interface JavaRegexJob {
  readonly pattern: string;
  readonly operation: 'find' | 'matches' | 'findAll' | 'replaceAll';
  readonly texts: readonly string[];
  readonly replacement?: string;
  readonly maxMatches?: number;
}

export interface JavaRegexMatch {
  readonly index: number;
  readonly groups: readonly (string | undefined)[];
}

export interface JavaRegexTextResult {
  readonly matches: readonly JavaRegexMatch[];
  readonly replaced?: string | null;
}

/** A replacement Java's Matcher.appendReplacement refuses (`$` with no group index, a group that does not exist). */
export class ReplacementError extends Error {}

/** Java's Matcher.find from the start: the first match, or null. */
export function findFirst(rx: JavaRegex, text: string): RegExpExecArray | null {
  rx.re.lastIndex = 0;
  return rx.re.exec(text);
}

/** Java's Matcher.matches: the whole text, or null. */
export function matchWhole(rx: JavaRegex, text: string): RegExpExecArray | null {
  return rx.full.exec(text);
}

/** Every match in order, as Java's repeated Matcher.find (an empty match advances by one character). */
export function* findAll(rx: JavaRegex, text: string): Generator<RegExpExecArray> {
  const g = copyRegExp(rx.global);
  let m: RegExpExecArray | null;
  while ((m = g.exec(text)) !== null) {
    if (m[0].length === 0) g.lastIndex = m.index + 1;
    yield m;
  }
}

const toMatch = (m: RegExpExecArray): JavaRegexMatch => ({ index: m.index, groups: [...m] });

/** The value of a named group in a match (undefined when it took no part or the pattern has no such group). */
export function namedGroup(rx: JavaRegex, match: JavaRegexMatch, name: string): string | undefined {
  const at = rx.groupNames.indexOf(name);
  return at < 0 ? undefined : match.groups[rx.groupNumbers[at]!];
}

/**
 * Java's Matcher.appendReplacement for one match: `\x` is a literal x, `$n` takes the longest group number that
 * exists (`$12` with one group is group 1 then `2`), `${name}` a named group; an unmatched group adds nothing.
 */
export function expandJavaReplacement(replacement: string, match: JavaRegexMatch, rx: JavaRegex): string {
  let out = '';
  for (let i = 0; i < replacement.length; i++) {
    const c = replacement[i]!;
    if (c === '\\') {
      i++;
      if (i >= replacement.length) throw new ReplacementError('character to be escaped is missing');
      out += replacement[i];
      continue;
    }
    if (c !== '$') {
      out += c;
      continue;
    }
    i++;
    if (i >= replacement.length) throw new ReplacementError('Illegal group reference: group index is missing');
    if (replacement[i] === '{') {
      const end = replacement.indexOf('}', i);
      const name = end < 0 ? '' : replacement.slice(i + 1, end);
      if (end < 0 || !/^[A-Za-z][A-Za-z0-9]*$/.test(name)) throw new ReplacementError("named capturing group is missing trailing '}'");
      if (!rx.groupNames.includes(name)) throw new ReplacementError(`No group with name {${name}}`);
      out += namedGroup(rx, match, name) ?? '';
      i = end;
      continue;
    }
    const d = replacement.charCodeAt(i) - 48;
    if (d < 0 || d > 9) throw new ReplacementError('Illegal group reference');
    let ref = d;
    while (i + 1 < replacement.length) {
      const next = replacement.charCodeAt(i + 1) - 48;
      if (next < 0 || next > 9 || ref * 10 + next > rx.groupCount) break;
      ref = ref * 10 + next;
      i++;
    }
    if (ref > rx.groupCount) throw new ReplacementError(`No group ${ref}`);
    out += match.groups[ref] ?? '';
  }
  return out;
}

/** Java's Matcher.replaceAll over one text; null when nothing matched. */
function replaceAll(rx: JavaRegex, text: string, replacement: string): string | null {
  let out = '';
  let last = 0;
  let matched = false;
  for (const m of findAll(rx, text)) {
    matched = true;
    out += text.slice(last, m.index) + expandJavaReplacement(replacement, toMatch(m), rx);
    last = m.index + m[0].length;
  }
  return matched ? out + text.slice(last) : null;
}

function runOne(rx: JavaRegex, job: JavaRegexJob, text: string): JavaRegexTextResult {
  switch (job.operation) {
    case 'find':
    case 'matches': {
      const m = job.operation === 'find' ? findFirst(rx, text) : matchWhole(rx, text);
      return { matches: m ? [toMatch(m)] : [] };
    }
    case 'findAll': {
      const matches: JavaRegexMatch[] = [];
      const max = job.maxMatches ?? Number.POSITIVE_INFINITY;
      if (max > 0) for (const m of findAll(rx, text)) if (matches.push(toMatch(m)) >= max) break;
      return { matches };
    }
    case 'replaceAll':
      return { matches: [], replaced: replaceAll(rx, text, job.replacement ?? '') };
  }
}

/**
 * Runs a regex job. In the server's thread (`unbounded` false) a pattern on the linear-time engine is refused
 * (RegexInputLimitError) over more than that engine's limit of input in all; `unbounded` is for a thread whose run
 * can be stopped (a worker with a deadline) or a test's process.
 */
export function runJavaRegexJob(job: JavaRegexJob, options: { rx?: JavaRegex; unbounded?: boolean } = {}): JavaRegexTextResult[] {
  const rx = options.rx ?? compileJavaRegex(job.pattern);
  const run = () => job.texts.map((text) => runOne(rx, job, text));
  if (options.unbounded) return withoutLinearInputLimit(run);
  // Each text may be short (a line), but together they are the whole input.
  checkLinearInput(rx.re, job.texts.reduce((n, t) => n + t.length, 0));
  return run();
}
