/** java.util.regex syntax, translated to JavaScript's. Compiling, caching and the backtracking check are in java-regex.ts. */

const LT = '\\n\\r\\u0085\\u2028\\u2029';
const JAVA_S = ' \\t\\n\\x0B\\f\\r';
/** End of input, as Java's `\z`. */
export const END = '(?![\\s\\S])';
const END_OR_FINAL_LT = `(?=(?:\\r\\n|[${LT}])?${END})`;

const POSIX: Record<string, string> = {
  Lower: 'a-z',
  Upper: 'A-Z',
  ASCII: '\\x00-\\x7F',
  Alpha: 'a-zA-Z',
  Digit: '0-9',
  Alnum: 'a-zA-Z0-9',
  Punct: '!-\\/:-@\\[-`{-~',
  Graph: '!-~',
  Print: ' -~',
  Blank: ' \\t',
  Cntrl: '\\x00-\\x1F\\x7F',
  XDigit: '0-9a-fA-F',
  Space: JAVA_S,
  javaLowerCase: '\\p{Ll}',
  javaUpperCase: '\\p{Lu}',
  javaWhitespace: ' \\t\\n\\x0B\\f\\r\\x1C-\\x1F\\u1680\\u2000-\\u2006\\u2008-\\u200A\\u2028\\u2029\\u205F\\u3000',
  javaMirrored: '\\p{Bidi_M}',
  javaLetter: '\\p{L}',
  javaDigit: '\\p{Nd}',
  javaLetterOrDigit: '\\p{L}\\p{Nd}',
  javaAlphabetic: '\\p{Alphabetic}',
  Alphabetic: '\\p{Alphabetic}',
  Letter: '\\p{L}',
  Digit_: '\\p{Nd}',
  IsAlphabetic: '\\p{Alphabetic}',
  IsDigit: '\\p{Nd}',
  IsLetter: '\\p{L}',
  IsUppercase: '\\p{Uppercase}',
  IsLowercase: '\\p{Lowercase}',
  IsWhite_Space: '\\p{White_Space}',
  IsWhiteSpace: '\\p{White_Space}',
  IsPunctuation: '\\p{P}',
};

const SYNTAX = new Set(['^', '$', '\\', '.', '*', '+', '?', '(', ')', '[', ']', '{', '}', '|', '/']);

function lit(c: string, inClass: boolean): string {
  if (inClass) return c === '-' || c === ']' || c === '[' || c === '\\' || c === '^' ? '\\' + c : c;
  return SYNTAX.has(c) ? '\\' + c : c;
}

function propertyClass(name: string): string {
  if (POSIX[name]) return POSIX[name];
  let n = name;
  if (/^(Is|In)/.test(n) && n.length > 2) {
    const rest = n.slice(2);
    if (n.startsWith('In')) throw new Error(`Unicode block \\p{${name}} is not supported`);
    if (/^[A-Z][a-z]?$/.test(rest)) return `\\p{${rest}}`;
    return `\\p{Script=${rest}}`;
  }
  if (/^(general_category|gc)=/.test(n)) n = n.split('=')[1]!;
  if (/^(script|sc)=/i.test(n)) return `\\p{Script=${n.split('=')[1]}}`;
  if (/^[A-Z][a-z]?$/.test(n) || /^L&$/.test(n)) return n === 'L&' ? '\\p{LC}' : `\\p{${n}}`;
  throw new Error(`unknown character property \\p{${name}}`);
}

interface Flags {
  i: boolean;
  s: boolean;
  m: boolean;
  x: boolean;
}

/**
 * Translates java.util.regex syntax to an equivalent JavaScript RegExp (always with the `u` flag).
 * Emulated: `$`/`^`/`.` line-terminator rules, \A \z \Z \Q..\E \h \R \v, Java's ASCII \s, POSIX and java* \p{...}
 * classes, inline flags (?imsx), nested class unions. Approximated: possessive quantifiers and atomic groups become
 * greedy/non-capturing; inline flags anywhere apply to the whole pattern. Unsupported (error): \G, class
 * intersection `&&`.
 */
export function translateJavaRegex(src: string, native = false): { source: string; flags: string; groupCount: number; groupNames: string[]; groupNumbers: number[] } {
  const flags: Flags = { i: false, s: false, m: false, x: false };
  let out = '';
  let groups = 0;
  const names: string[] = [];
  const numbers: number[] = [];
  let i = 0;
  const n = src.length;

  const applyFlags = (spec: string): void => {
    let on = true;
    for (const f of spec) {
      if (f === '-') on = false;
      else if (f === 'i' || f === 's' || f === 'm' || f === 'x') flags[f] = on;
      else if (f === 'u' || f === 'U' || f === 'd' || f === 'c') continue;
      else throw new Error(`unknown inline flag '${f}'`);
    }
  };

  /** Reads one escape at src[i] === '\\'; returns the JS text. */
  const escape = (inClass: boolean): string => {
    const c = src[i + 1];
    if (c === undefined) throw new Error('pattern ends with a lone backslash');
    i += 2;
    switch (c) {
      case 'A':
        if (inClass) throw new Error('\\A inside a class');
        return '(?<![\\s\\S])';
      case 'z':
        if (inClass) throw new Error('\\z inside a class');
        return END;
      case 'Z':
        if (inClass) throw new Error('\\Z inside a class');
        return END_OR_FINAL_LT;
      case 'G':
        throw new Error('\\G is not supported');
      case 'h':
        return inClass ? ' \\t\\xA0\\u1680\\u180e\\u2000-\\u200a\\u202f\\u205f\\u3000' : '[ \\t\\xA0\\u1680\\u180e\\u2000-\\u200a\\u202f\\u205f\\u3000]';
      case 'H':
        return '[^ \\t\\xA0\\u1680\\u180e\\u2000-\\u200a\\u202f\\u205f\\u3000]';
      case 'v':
        return inClass ? '\\n\\x0B\\f\\r\\x85\\u2028\\u2029' : '[\\n\\x0B\\f\\r\\x85\\u2028\\u2029]';
      case 'V':
        return '[^\\n\\x0B\\f\\r\\x85\\u2028\\u2029]';
      case 'R':
        // Java's \R never gives back the \n of a \r\n: no backtracking into it, so repeating it is linear.
        return '(?:\\r(?:\\n|(?!\\n))|[\\n\\x0B\\f\\x85\\u2028\\u2029])';
      case 's':
        return inClass ? JAVA_S : `[${JAVA_S}]`;
      case 'S':
        return inClass ? '\\S' : `[^${JAVA_S}]`;
      case 'w':
      case 'W':
      case 'd':
      case 'D':
      case 'b':
      case 'B':
        return inClass ? '\\' + c : `(?:\\${c})`;
      case 't':
      case 'n':
      case 'r':
      case 'f':
        return '\\' + c;
      case 'e':
        return '\\x1B';
      case 'a':
        return '\\x07';
      case 'c': {
        const x = src[i++];
        if (!x) throw new Error('\\c needs a letter');
        return '\\x' + (x.charCodeAt(0) ^ 64).toString(16).padStart(2, '0');
      }
      case 'Q': {
        const e = src.indexOf('\\E', i);
        const body = e < 0 ? src.slice(i) : src.slice(i, e);
        i = e < 0 ? n : e + 2;
        return [...body].map((ch) => lit(ch, inClass)).join('');
      }
      case 'E':
        return '';
      case 'x': {
        if (src[i] === '{') {
          const e = src.indexOf('}', i);
          const hex = src.slice(i + 1, e);
          i = e + 1;
          return `\\u{${hex}}`;
        }
        const hex = src.slice(i, i + 2);
        i += 2;
        return '\\x' + hex;
      }
      case 'u': {
        const hex = src.slice(i, i + 4);
        i += 4;
        return '\\u' + hex;
      }
      case '0': {
        const m = /^[0-3]?[0-7]{1,2}/.exec(src.slice(i));
        if (!m) throw new Error('bad octal escape');
        i += m[0].length;
        return '\\u{' + parseInt(m[0], 8).toString(16) + '}';
      }
      case 'k': {
        const m = /^<([A-Za-z][A-Za-z0-9]*)>/.exec(src.slice(i));
        if (!m) throw new Error('\\k needs a <name>');
        i += m[0].length;
        return `\\k<${m[1]}>`;
      }
      case 'p':
      case 'P': {
        let name: string;
        if (src[i] === '{') {
          const e = src.indexOf('}', i);
          if (e < 0) throw new Error('unclosed \\p{');
          name = src.slice(i + 1, e);
          i = e + 1;
        } else {
          name = src[i++] ?? '';
        }
        const body = propertyClass(name);
        if (c === 'P') {
          if (inClass) throw new Error('\\P inside a class is not supported');
          return `[^${body}]`;
        }
        return inClass ? body : `[${body}]`;
      }
      default:
        if (c >= '1' && c <= '9') {
          if (inClass) throw new Error('back reference inside a class');
          let num = c;
          while (i < n && /[0-9]/.test(src[i]!) && Number(num + src[i]) <= groups) num += src[i++];
          return `(?:\\${num})`;
        }
        if (/[A-Za-z0-9]/.test(c)) throw new Error(`illegal escape sequence \\${c}`);
        return lit(c, inClass);
    }
  };

  const parseClass = (): string => {
    // src[i] === '['
    i++;
    let body = '';
    let negate = false;
    if (src[i] === '^') {
      negate = true;
      i++;
    }
    let first = true;
    while (i < n) {
      const c = src[i]!;
      if (c === ']' && !first) {
        i++;
        return `[${negate ? '^' : ''}${body}]`;
      }
      first = false;
      if (c === '[') {
        const inner = parseClass();
        if (inner.startsWith('[^')) throw new Error('negated nested classes are not supported');
        body += inner.slice(1, -1);
      } else if (c === '&' && src[i + 1] === '&') {
        throw new Error('class intersection && is not supported');
      } else if (c === '\\') {
        body += escape(true);
      } else {
        body += c === ']' ? '\\]' : c === '[' ? '\\[' : c === '/' ? '\\/' : c;
        i++;
      }
    }
    throw new Error('unclosed character class');
  };

  while (i < n) {
    const c = src[i]!;
    if (flags.x && (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\x0B')) {
      i++;
      continue;
    }
    if (flags.x && c === '#') {
      while (i < n && src[i] !== '\n') i++;
      continue;
    }
    switch (c) {
      case '\\':
        out += escape(false);
        break;
      case '[':
        out += parseClass();
        break;
      case '.':
        out += flags.s ? '[\\s\\S]' : native ? '.' : `[^${LT}]`;
        i++;
        break;
      case '$':
        out += flags.m ? `(?=[${LT}]|${END})` : native ? '$' : END_OR_FINAL_LT;
        i++;
        break;
      case '^':
        out += flags.m ? `(?:^|(?<=[${LT}]))` : '^';
        i++;
        break;
      case '(': {
        if (src[i + 1] !== '?') {
          groups++;
          out += '(';
          i++;
          break;
        }
        const rest = src.slice(i + 2);
        const named = /^<([A-Za-z][A-Za-z0-9]*)>/.exec(rest);
        if (named) {
          groups++;
          names.push(named[1]!);
          numbers.push(groups);
          out += `(?<${named[1]}>`;
          i += 2 + named[0].length;
        } else if (/^(?:[:=!]|<=|<!)/.test(rest)) {
          const m = /^(?:[:=!]|<=|<!)/.exec(rest)!;
          out += '(?' + m[0];
          i += 2 + m[0].length;
        } else if (rest[0] === '>') {
          out += '(?:';
          i += 3;
        } else {
          const f = /^([a-zA-Z-]*)([:)])/.exec(rest);
          if (!f) throw new Error(`unknown group construct at index ${i}`);
          applyFlags(f[1]!);
          i += 2 + f[0].length;
          if (f[2] === ':') out += '(?:';
        }
        break;
      }
      case '*':
      case '+':
      case '?':
      case '}': {
        out += c;
        i++;
        if (src[i] === '+') i++;
        break;
      }
      case '{': {
        const m = /^\{\d+(?:,\d*)?\}/.exec(src.slice(i));
        if (!m) throw new Error(`illegal repetition near index ${i}`);
        out += m[0];
        i += m[0].length;
        if (src[i] === '+') i++;
        break;
      }
      case ']':
        out += '\\]';
        i++;
        break;
      case '/':
        out += '\\/';
        i++;
        break;
      default:
        out += c;
        i++;
    }
  }
  return { source: out, flags: flags.i ? 'ui' : 'u', groupCount: groups, groupNames: names, groupNumbers: numbers };
}
