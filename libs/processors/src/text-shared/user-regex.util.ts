import { checkLinearInput, compileJavaRegex, copyRegExp, type JavaRegex } from '@sluice/expression';

/**
 * Java regular expressions typed by users, compiled by the expression library: a pattern that could backtrack
 * exponentially runs on its linear-time engine (a match on the server's one JavaScript thread cannot be
 * interrupted), and one that engine cannot run is refused (UnsafeRegexError). Input sizes are bounded by each
 * processor's buffer size as in NiFi, and a pattern on the linear engine by that engine's own limit
 * (RegexInputLimitError, an UnsafeRegexError).
 */
export { UnsafeRegexError } from '@sluice/expression';

/** Java's Pattern.quote: the text as a literal pattern. */
export function quoteJavaRegex(text: string): string {
  if (!text.includes('\\E')) return `\\Q${text}\\E`;
  return `\\Q${text.split('\\E').join('\\E\\\\E\\Q')}\\E`;
}

/** Compiles a Java regex for matching user data; throws with a readable message when invalid or unsafe. */
export function compileUserRegex(src: string): JavaRegex {
  return compileJavaRegex(src);
}

/** Validation text for a user regex, or null when it compiles and is safe. */
export function checkUserRegex(src: string, minGroups = 0, maxGroups = Number.MAX_SAFE_INTEGER): string | null {
  let rx: JavaRegex;
  try {
    rx = compileUserRegex(src);
  } catch (e) {
    return (e as Error).message;
  }
  if (rx.groupCount < minGroups) return `regular expression '${src}' must have at least ${minGroups} capturing group${minGroups === 1 ? '' : 's'}`;
  if (rx.groupCount > maxGroups) return `regular expression '${src}' has ${rx.groupCount} capturing groups; at most ${maxGroups} are allowed`;
  return null;
}

/**
 * Refuses (RegexInputLimitError) a text of `length` characters that a pattern on the linear engine would be run over
 * piece by piece (line by line): each piece is within that engine's limit, but the run holds the server's thread
 * for the whole text.
 */
export function boundLinearInput(rx: JavaRegex, length: number): void {
  checkLinearInput(rx.re, length);
}

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
