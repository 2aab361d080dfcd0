import { compileJavaRegex, EXPRESSION_LIMITS, LinearRegExp, runJavaRegexJob, type JavaRegex } from '@sluice/expression';
import type { ProcessContext, RegexJob, RegexTextResult } from '@sluice/flow-api';

/**
 * Java regular expressions typed by users, compiled by the expression library: a pattern that could backtrack
 * exponentially runs on its linear-time engine (a match on the server's one JavaScript thread cannot be
 * interrupted), and one that engine cannot run is refused (UnsafeRegexError). Input sizes are bounded by each
 * processor's buffer size as in NiFi; a pattern on the linear engine over longer input than that engine's own limit
 * runs off the server's thread (runUserRegex).
 */
export { findFirst, matchWhole, UnsafeRegexError } from '@sluice/expression';

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
 * Runs a regex job over texts of a FlowFile. A pattern on the linear-time engine over more input in all than that
 * engine takes in the server's thread goes to the host's regex engine (a worker with a deadline; RegexJobError on
 * overrun), or is refused (RegexInputLimitError) where the host has none; everything else runs here and now.
 */
export async function runUserRegex(ctx: ProcessContext, rx: JavaRegex, job: Omit<RegexJob, 'pattern'>): Promise<readonly RegexTextResult[]> {
  const full: RegexJob = { ...job, pattern: rx.source };
  const engine = ctx.services.regex;
  if (engine && rx.re instanceof LinearRegExp && job.texts.reduce((n, t) => n + t.length, 0) > EXPRESSION_LIMITS.maxLinearRegexInput) return engine.run(full);
  return runJavaRegexJob(full, { rx });
}
