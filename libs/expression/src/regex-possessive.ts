/**
 * Possessive quantifiers (`a++`) and atomic groups (`(?>…)`) never give back what they took; both regex engines run
 * them as greedy ones. That changes the result only when something after them can fail and so make the engine
 * backtrack into them: at the end of the pattern (past closing groups, their loops and optional parts) it cannot.
 * For a hazardous pattern, which the linear engine runs, the first construct where it could is reported.
 */

/** `from`: where the token (for a group end, its group) begins in the pattern. */
type Token = { readonly k: 'open' | 'close' | 'alt' | 'atom'; readonly from: number } | { readonly k: 'quant'; readonly min: number; readonly from: number };

interface Scanned {
  readonly tokens: Token[];
  /** Token index where each possessive quantifier or atomic group ends, with its text. */
  readonly constructs: { readonly end: number; readonly text: string }[];
}

function scan(src: string): Scanned | null {
  const tokens: Token[] = [];
  const constructs: { end: number; text: string }[] = [];
  const atomic: { token: number; at: number }[] = [];
  const opens: number[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    const from = i;
    if (c === '\\') {
      if (src[i + 1] === 'Q') {
        const e = src.indexOf('\\E', i + 2);
        i = e < 0 ? src.length : e + 2;
      } else if ('pPx'.includes(src[i + 1] ?? '') && src[i + 2] === '{') i = src.indexOf('}', i) + 1 || src.length;
      else i += 2;
      tokens.push({ k: 'atom', from });
    } else if (c === '[') {
      let depth = 0;
      for (; i < src.length; i++) {
        if (src[i] === '\\') i++;
        else if (src[i] === '[') depth++;
        else if (src[i] === ']' && --depth === 0) break;
      }
      i++;
      tokens.push({ k: 'atom', from });
    } else if (c === '(') {
      const flags = /^\(\?[a-zA-Z-]*\)/.exec(src.slice(i));
      if (flags) {
        // Comments mode makes whitespace and # text; not worth reading here.
        if (/x/.test(flags[0])) return null;
        i += flags[0].length;
        continue;
      }
      if (src.startsWith('(?>', i)) atomic.push({ token: tokens.length, at: i });
      opens.push(i);
      tokens.push({ k: 'open', from });
      i += src[i + 1] === '?' ? (/^\(\?(?:<[=!]|[:=!>]|<[A-Za-z][A-Za-z0-9]*>|[a-zA-Z-]*:)/.exec(src.slice(i))?.[0].length ?? 2) : 1;
    } else if (c === ')') {
      const open = opens.pop() ?? 0;
      tokens.push({ k: 'close', from: open });
      i++;
      const a = atomic.findIndex((x) => x.at === open);
      if (a >= 0) {
        const q = /^(?:[*+?]|\{\d+(?:,\d*)?\})[?+]?/.exec(src.slice(i));
        constructs.push({ end: tokens.length - 1 + (q ? 1 : 0), text: src.slice(open, i + (q ? q[0].length : 0)) });
        atomic.splice(a, 1);
      }
    } else if (c === '|') {
      tokens.push({ k: 'alt', from });
      i++;
    } else if (c === '*' || c === '+' || c === '?' || c === '{') {
      const q = /^(?:[*+?]|\{(\d+)(?:,\d*)?\})([?+]?)/.exec(src.slice(i));
      if (!q) return null;
      const quantified = tokens[tokens.length - 1]?.from ?? 0;
      tokens.push({ k: 'quant', min: c === '+' ? 1 : c === '{' ? Number(q[1]) : 0, from });
      if (q[2] === '+') constructs.push({ end: tokens.length - 1, text: src.slice(quantified, i + q[0].length) });
      i += q[0].length;
    } else {
      tokens.push({ k: 'atom', from });
      i += (src.codePointAt(i) ?? 0) > 0xffff ? 2 : 1;
    }
  }
  if (src.includes('(?x') || src.includes('(?-x')) return null;
  return { tokens, constructs };
}

/** Index of the token that closes the group opened at `open`. */
function closing(tokens: readonly Token[], open: number): number {
  let depth = 0;
  for (let j = open; j < tokens.length; j++) {
    if (tokens[j]!.k === 'open') depth++;
    else if (tokens[j]!.k === 'close' && --depth === 0) return j;
  }
  return tokens.length;
}

/**
 * Whether nothing after token `end` can fail: group ends, loops needing at most one turn, optional parts, and the
 * other alternatives of the groups it is in.
 */
function nothingCanFail(tokens: readonly Token[], end: number): boolean {
  for (let j = end + 1; j < tokens.length; j++) {
    const t = tokens[j]!;
    if (t.k === 'close' || (t.k === 'quant' && t.min <= 1 && tokens[j - 1]!.k === 'close')) continue;
    if (t.k === 'atom' || t.k === 'open') {
      const last = t.k === 'open' ? closing(tokens, j) : j;
      const q = tokens[last + 1];
      if (q?.k !== 'quant' || q.min !== 0) return false;
      j = last + 1;
      continue;
    }
    if (t.k !== 'alt') return false;
    // The other alternatives of this group are not tried after this one succeeded: go on at its end.
    let depth = 0;
    for (j++; j < tokens.length && !(tokens[j]!.k === 'close' && depth === 0); j++) {
      if (tokens[j]!.k === 'open') depth++;
      else if (tokens[j]!.k === 'close') depth--;
    }
    j--;
  }
  return true;
}

/** The first possessive quantifier or atomic group whose greedy stand-in could give another result, or null. */
export function possessiveThatMatters(src: string): string | null {
  if (!/\(\?>|[*+?}]\+/.test(src)) return null;
  const scanned = scan(src);
  if (!scanned) return 'a possessive quantifier or atomic group';
  for (const c of scanned.constructs) if (!nothingCanFail(scanned.tokens, c.end)) return `'${c.text}'`;
  return null;
}
