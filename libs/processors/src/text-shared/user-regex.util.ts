import { compileJavaRegex, type JavaRegex } from '@sluice/expression';

/**
 * Java regular expressions typed by users, run on the server's one JavaScript thread. A backtracking engine can take
 * exponential time on nested repetition such as `(a+)+` or `(\w+\s?)*`, and a JavaScript match cannot be interrupted,
 * so such patterns are refused when the configuration is validated (and, for patterns built by Expression Language,
 * when they are compiled); input sizes are bounded by each processor's buffer size as in NiFi.
 */
export class UnsafeRegexError extends Error {}

/** Java's Pattern.quote: the text as a literal pattern. */
export function quoteJavaRegex(text: string): string {
  if (!text.includes('\\E')) return `\\Q${text}\\E`;
  return `\\Q${text.split('\\E').join('\\E\\\\E\\Q')}\\E`;
}

/** Why the pattern may backtrack exponentially (a repeated group that itself repeats), or null. */
export function nestedRepetition(src: string): string | null {
  // One frame per open group: whether its body holds an unbounded repetition.
  const stack: boolean[] = [];
  let current = false;
  let lastGroupRepeats = false;
  let afterGroup = false;
  let i = 0;
  const unboundedAt = (j: number): number => {
    const c = src[j];
    if (c === '*' || c === '+') return 1;
    if (c === '{') {
      const m = /^\{\d+,\}/.exec(src.slice(j));
      if (m) return m[0].length;
    }
    return 0;
  };
  while (i < src.length) {
    const c = src[i]!;
    if (c === '\\') {
      if (src[i + 1] === 'Q') {
        const e = src.indexOf('\\E', i + 2);
        i = e < 0 ? src.length : e + 2;
      } else i += 2;
      afterGroup = false;
      continue;
    }
    if (c === '[') {
      let j = i + 1;
      if (src[j] === '^') j++;
      if (src[j] === ']') j++;
      let depth = 1;
      while (j < src.length && depth > 0) {
        if (src[j] === '\\') j++;
        else if (src[j] === '[') depth++;
        else if (src[j] === ']') depth--;
        j++;
      }
      i = j;
      afterGroup = false;
      continue;
    }
    if (c === '(') {
      stack.push(current);
      current = false;
      i++;
      afterGroup = false;
      continue;
    }
    if (c === ')') {
      lastGroupRepeats = current;
      const outer = stack.pop() ?? false;
      current = outer || lastGroupRepeats;
      i++;
      afterGroup = true;
      continue;
    }
    const n = unboundedAt(i);
    if (n > 0) {
      if (afterGroup && lastGroupRepeats) {
        return `nested repetition near index ${i} (a repeated group that repeats inside, like (a+)+) can take exponential time`;
      }
      current = true;
      i += n;
      afterGroup = false;
      continue;
    }
    afterGroup = false;
    i++;
  }
  return null;
}

/** Compiles a Java regex for matching user data; throws with a readable message when invalid or unsafe. */
export function compileUserRegex(src: string): JavaRegex {
  const unsafe = nestedRepetition(src);
  if (unsafe) throw new UnsafeRegexError(`regular expression '${src}' is refused: ${unsafe}; rewrite it without repeating a repeated part`);
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
  const g = new RegExp(rx.global.source, rx.global.flags);
  let m: RegExpExecArray | null;
  while ((m = g.exec(text)) !== null) {
    if (m[0].length === 0) g.lastIndex = m.index + 1;
    yield m;
  }
}
