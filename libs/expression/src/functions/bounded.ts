import { evalError } from '../expression-error.js';
import { EXPRESSION_LIMITS } from '../limits.js';

/** Helpers that refuse to build a string over the result limit. */
export const MAX_RESULT = EXPRESSION_LIMITS.maxResultLength;

export function tooLong(fn: string, length: number): never {
  throw evalError(fn, `result of ${length} characters would exceed the limit of ${MAX_RESULT}`);
}

/** split/join for replace, refusing before it builds a result over the limit. */
export function joinBounded(parts: string[], repl: string, length: number, searchLength: number): string {
  const n = length + (parts.length - 1) * (repl.length - searchLength);
  if (n > MAX_RESULT) tooLong('replace', n);
  return parts.join(repl);
}

/**
 * String.replace with a translated replacement, refusing a result over the limit. The cheap bound (every
 * position matching, every group the whole input) clears nearly every call; the rest count as they go.
 */
export function replaceBounded(v: string, re: RegExp, repl: string, fn: string): string {
  const bound = v.length + (v.length + 1) * (repl.length + (repl.includes('$') ? v.length : 0));
  if (bound <= MAX_RESULT) return v.replace(re, repl);
  let length = v.length;
  return v.replace(re, (...args: unknown[]) => {
    const named = typeof args[args.length - 1] === 'object' ? (args[args.length - 1] as Record<string, string | undefined>) : undefined;
    const piece = repl.replace(/\$(\$|&|\d\d|<([^>]*)>)/g, (_, t: string, name: string | undefined) =>
      t === '$' ? '$' : t === '&' ? (args[0] as string) : name !== undefined ? (named?.[name] ?? '') : ((args[Number(t)] as string | undefined) ?? ''),
    );
    length += piece.length - (args[0] as string).length;
    if (length > MAX_RESULT) tooLong(fn, length);
    return piece;
  });
}

