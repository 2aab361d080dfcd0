import { RE2JS } from 're2js';

/**
 * The linear-time engine for the Java patterns that could backtrack exponentially (regex-safety.ts): RE2 (re2js, a
 * port of RE2/J), which matches in time proportional to the input whatever the pattern. It takes the JavaScript
 * translation of the Java pattern (java-regex.ts), so Java's syntax, flags, classes and line terminators are read in
 * one place, and rewrites it into RE2's syntax. RE2 is leftmost-first like Java: the same match and the same groups.
 *
 * RE2 has no lookahead. The translation states Java's `$` (`(?m)$`, `\Z`) as a lookahead; where nothing follows it
 * in the pattern, it is matched by consuming the line terminator it looks at into a hidden group, and the match is
 * cut back to that group's start: for every path through the pattern the anchor holds exactly where the consuming
 * form succeeds, so the path that wins is the same. Whole-input matching needs no such group: there the anchor can
 * only hold at the end. What RE2 cannot run is reported (`LinearRegexUnsupported`): back references, lookahead,
 * a `$` that more of the pattern follows, lookbehinds with capturing groups, counted repetitions over 1000.
 */
export class LinearRegexUnsupported extends Error {}

const LT = '\\n\\r\\u0085\\u2028\\u2029';
const RE2_LT = '\\n\\r\\x{85}\\x{2028}\\x{2029}';
/** The translation's own texts for the anchors it states as lookarounds (java-regex.ts); a user writing the same text means the same. */
const ANCHORS: Record<string, Node> = {
  '(?<![\\s\\S])': { k: 'assert', re2: '\\A' },
  '(?![\\s\\S])': { k: 'assert', re2: '\\z' },
  [`(?=(?:\\r\\n|[${LT}])?(?![\\s\\S]))`]: { k: 'end', line: false },
  [`(?=[${LT}]|(?![\\s\\S]))`]: { k: 'end', line: true },
  [`(?:^|(?<=[${LT}]))`]: { k: 'assert', re2: `(?:^|(?<=[${RE2_LT}]))`, lookbehind: true },
  // Java's \R: RE2 may give back the \n of a \r\n where Java does not, which matters only before a \n.
  ['(?:\\r(?:\\n|(?!\\n))|[\\n\\x0B\\f\\x85\\u2028\\u2029])']: { k: 'atom', re2: `(?:\\r\\n|[\\x{b}\\f${RE2_LT}])` },
};
const MAX_REPEAT = 1000;

export type Node =
  | { readonly k: 'atom'; readonly re2: string }
  | { readonly k: 'assert'; readonly re2: string; readonly lookbehind?: boolean }
  | { readonly k: 'end'; readonly line: boolean }
  | { readonly k: 'group'; readonly capture: boolean; readonly name: string | null; readonly body: Node }
  | { readonly k: 'alt'; readonly alts: readonly Node[] }
  | { readonly k: 'seq'; readonly items: readonly Node[] }
  | { readonly k: 'repeat'; readonly body: Node; readonly quant: string; readonly max: number };

function hex(cp: number): string {
  return `\\x{${cp.toString(16)}}`;
}

function re2Char(cp: number, inClass: boolean): string {
  const c = String.fromCodePoint(cp);
  if (/[A-Za-z0-9 _]/.test(c)) return c;
  if (/[!-~]/.test(c)) return '\\' + c;
  if (inClass || cp < 0x80 || (cp >= 0xd800 && cp <= 0xdfff)) return hex(cp);
  return c;
}

const propertyRanges = new Map<string, string>();

/** RE2's name for a property the translation wrote, or its code point ranges when RE2 has no such name. */
function re2Property(name: string): string {
  const n = name.replace(/^(?:Script|sc)=/, '');
  try {
    RE2JS.compile(`\\p{${n}}`);
    return `\\p{${n}}`;
  } catch {
    // e.g. Bidi_M (javaMirrored): the ranges JavaScript's tables give, so both engines agree.
  }
  let ranges = propertyRanges.get(n);
  if (ranges === undefined) {
    const re = new RegExp(`^\\p{${name}}$`, 'u');
    ranges = '';
    let from = -1;
    for (let cp = 0; cp <= 0x110000; cp++) {
      const hit = cp < 0x110000 && (cp < 0xd800 || cp > 0xdfff) && re.test(String.fromCodePoint(cp));
      if (hit && from < 0) from = cp;
      if (!hit && from >= 0 && !(cp >= 0xd800 && cp <= 0xdfff)) {
        ranges += from === cp - 1 ? hex(from) : `${hex(from)}-${hex(cp - 1)}`;
        from = -1;
      }
    }
    propertyRanges.set(n, ranges);
  }
  return ranges;
}

/** Reads the JavaScript (u-mode) pattern the translation produced. */
export class TranslationReader {
  private i = 0;
  constructor(private readonly src: string) {}

  read(): Node {
    const node = this.alternation();
    if (this.i < this.src.length) throw new LinearRegexUnsupported(`unexpected '${this.src[this.i]}'`);
    return node;
  }

  private alternation(): Node {
    const alts = [this.sequence()];
    while (this.src[this.i] === '|') {
      this.i++;
      alts.push(this.sequence());
    }
    return alts.length === 1 ? alts[0]! : { k: 'alt', alts };
  }

  private sequence(): Node {
    const items: Node[] = [];
    for (let c = this.src[this.i]; c !== undefined && c !== '|' && c !== ')'; c = this.src[this.i]) {
      let node = this.atom();
      for (let q = this.quantifier(); q; q = this.quantifier()) {
        if (node.k === 'assert' || node.k === 'end') throw new LinearRegexUnsupported('a repeated anchor');
        node = { k: 'repeat', body: node, quant: q.text, max: q.max };
      }
      items.push(node);
    }
    return items.length === 1 ? items[0]! : { k: 'seq', items };
  }

  private quantifier(): { text: string; max: number } | null {
    const m = /^(?:[*+?]|\{(\d+)(,(\d*))?\})\??/.exec(this.src.slice(this.i));
    if (!m) return null;
    this.i += m[0].length;
    const [, lo, comma, hi] = m;
    if (lo !== undefined && (Number(lo) > MAX_REPEAT || (hi ? Number(hi) : 0) > MAX_REPEAT)) {
      throw new LinearRegexUnsupported(`a repetition count over ${MAX_REPEAT} (${m[0].replace(/\?$/, '')})`);
    }
    const max = m[0][0] === '?' ? 1 : lo === undefined || (comma && !hi) ? Infinity : Number(hi ?? lo);
    return { text: m[0], max };
  }

  private atom(): Node {
    const src = this.src;
    for (const [text, node] of Object.entries(ANCHORS)) {
      if (src.startsWith(text, this.i)) {
        this.i += text.length;
        return node;
      }
    }
    const c = src[this.i]!;
    if (c === '(') return this.group();
    if (c === '[') return { k: 'atom', re2: this.charClass() };
    if (c === '^') {
      this.i++;
      return { k: 'assert', re2: '^' };
    }
    if (c === '$') throw new LinearRegexUnsupported("JavaScript's '$'");
    if (c === '.') throw new LinearRegexUnsupported("JavaScript's '.'");
    if (c === '\\') {
      const e = src[this.i + 1];
      if (e === 'b' || e === 'B') {
        this.i += 2;
        return { k: 'assert', re2: '\\' + e };
      }
      return { k: 'atom', re2: this.escape(false) };
    }
    const cp = src.codePointAt(this.i)!;
    this.i += cp > 0xffff ? 2 : 1;
    return { k: 'atom', re2: re2Char(cp, false) };
  }

  private group(): Node {
    const src = this.src;
    this.i++;
    let capture = false;
    let name: string | null = null;
    let look: string | null = null;
    if (src[this.i] !== '?') capture = true;
    else {
      const m = /^\?(?::|<([A-Za-z][A-Za-z0-9]*)>|(=|!|<=|<!))/.exec(src.slice(this.i));
      if (!m) throw new LinearRegexUnsupported(`the group construct at ${this.i}`);
      this.i += m[0].length;
      if (m[1]) {
        capture = true;
        name = m[1];
      }
      look = m[2] ?? null;
    }
    const body = this.alternation();
    if (src[this.i] !== ')') throw new LinearRegexUnsupported('an unclosed group');
    this.i++;
    if (look === '=' || look === '!') throw new LinearRegexUnsupported(`a lookahead ((?${look}…))`);
    if (look) {
      if (hasCapture(body)) throw new LinearRegexUnsupported('a capturing group inside a lookbehind');
      const inner = emit(body, { full: false, tail: false, loop: false }, { groups: [], markers: [], lookbehind: false });
      return { k: 'assert', re2: `(?${look}${inner})`, lookbehind: true };
    }
    return { k: 'group', capture, name, body };
  }

  private charClass(): string {
    const src = this.src;
    this.i++;
    let negate = false;
    if (src[this.i] === '^') {
      negate = true;
      this.i++;
    }
    const items: string[] = [];
    while (src[this.i] !== ']') {
      if (this.i >= src.length) throw new LinearRegexUnsupported('an unclosed class');
      const lo = this.classItem();
      if (src[this.i] === '-' && src[this.i + 1] !== ']' && lo.cp !== null) {
        this.i++;
        const hi = this.classItem();
        if (hi.cp === null) throw new LinearRegexUnsupported('a class range to a class');
        items.push(`${re2Char(lo.cp, true)}-${re2Char(hi.cp, true)}`);
      } else items.push(lo.text);
    }
    this.i++;
    if (items.length === 0) return negate ? '[\\x{0}-\\x{10ffff}]' : '[^\\x{0}-\\x{10ffff}]';
    return `[${negate ? '^' : ''}${items.join('')}]`;
  }

  private classItem(): { cp: number | null; text: string } {
    const src = this.src;
    if (src[this.i] === '\\') {
      const text = this.escape(true);
      return { cp: escapedCp(text), text };
    }
    const cp = src.codePointAt(this.i)!;
    this.i += cp > 0xffff ? 2 : 1;
    return { cp, text: re2Char(cp, true) };
  }

  /** One escape at src[i] === '\\' in RE2's syntax; in a class, the class body. */
  private escape(inClass: boolean): string {
    const src = this.src;
    const c = src[this.i + 1];
    if (c === undefined) throw new LinearRegexUnsupported('a lone backslash');
    this.i += 2;
    switch (c) {
      case 'w':
      case 'W':
      case 'd':
      case 'D':
        return '\\' + c;
      case 's':
        // Only the translation's `[\s\S]` (any character) uses these: Java's own classes, RE2's [:space:].
        return inClass ? '[:space:]' : '[[:space:]]';
      case 'S':
        return inClass ? '[:^space:]' : '[[:^space:]]';
      case 't':
      case 'n':
      case 'r':
      case 'f':
        return '\\' + c;
      case 'x': {
        const h = src.slice(this.i, this.i + 2);
        this.i += 2;
        return re2Char(parseInt(h, 16), inClass);
      }
      case 'u': {
        let cp: number;
        if (src[this.i] === '{') {
          const e = src.indexOf('}', this.i);
          cp = parseInt(src.slice(this.i + 1, e), 16);
          this.i = e + 1;
        } else {
          cp = parseInt(src.slice(this.i, this.i + 4), 16);
          this.i += 4;
          const low = /^\\u(d[c-f][0-9a-f]{2})/i.exec(src.slice(this.i));
          if (cp >= 0xd800 && cp <= 0xdbff && low) {
            cp = 0x10000 + ((cp - 0xd800) << 10) + (parseInt(low[1]!, 16) - 0xdc00);
            this.i += 6;
          }
        }
        if (cp >= 0xd800 && cp <= 0xdfff) throw new LinearRegexUnsupported(`a lone surrogate (\\u${cp.toString(16)})`);
        return re2Char(cp, inClass);
      }
      case 'p':
      case 'P': {
        const e = src.indexOf('}', this.i);
        const name = src.slice(this.i + 1, e);
        this.i = e + 1;
        const body = re2Property(name);
        if (body.startsWith('\\p')) return c === 'P' ? `\\P${body.slice(2)}` : body;
        if (c === 'P') {
          if (inClass) throw new LinearRegexUnsupported(`\\P{${name}} inside a class`);
          return `[^${body}]`;
        }
        return inClass ? body : `[${body}]`;
      }
      case 'k':
        throw new LinearRegexUnsupported(`a back reference (${src.slice(this.i - 2, src.indexOf('>', this.i) + 1)})`);
      default:
        if (c >= '0' && c <= '9') throw new LinearRegexUnsupported(`a back reference (\\${c})`);
        return re2Char(c.codePointAt(0)!, inClass);
    }
  }
}

const CONTROL: Record<string, number> = { t: 9, n: 10, f: 12, r: 13 };

/** The character an escape in a class stands for, or null when it stands for a class. */
function escapedCp(text: string): number | null {
  const code = /^\\x\{([0-9a-f]+)\}$/.exec(text);
  if (code) return parseInt(code[1]!, 16);
  if (!text.startsWith('\\')) return [...text].length === 1 ? text.codePointAt(0)! : null;
  const c = text.slice(1);
  if (c.length !== 1) return null;
  if (CONTROL[c] !== undefined) return CONTROL[c]!;
  return /[A-Za-z0-9]/.test(c) ? null : c.codePointAt(0)!;
}

function hasCapture(node: Node): boolean {
  switch (node.k) {
    case 'group':
      return node.capture || hasCapture(node.body);
    case 'alt':
      return node.alts.some(hasCapture);
    case 'seq':
      return node.items.some(hasCapture);
    case 'repeat':
      return hasCapture(node.body);
    default:
      return false;
  }
}

interface Place {
  /** Whole-input match: an end anchor at the tail can only hold at the end. */
  readonly full: boolean;
  /** Nothing of the pattern follows. */
  readonly tail: boolean;
  /** Inside a repetition that can run more than once. */
  readonly loop: boolean;
}

export interface Emitted {
  /** RE2 group number of each Java group (index 0: the match). */
  groups: number[];
  /** RE2 group numbers of the hidden groups that took the terminator an end anchor looked at. */
  markers: number[];
  lookbehind: boolean;
}

export function groupCount(out: Emitted): number {
  return out.groups.length - 1 + out.markers.length;
}

export function emit(node: Node, at: Place, out: Emitted): string {
  switch (node.k) {
    case 'atom':
      return node.re2;
    case 'assert':
      if (node.lookbehind) out.lookbehind = true;
      return node.re2;
    case 'end': {
      if (!at.tail || at.loop) throw new LinearRegexUnsupported(`'$' (or \\Z) followed by more of the pattern`);
      if (at.full) return '\\z';
      out.markers.push(groupCount(out) + 1);
      return node.line ? `(?:([${RE2_LT}])|\\z)` : `(\\r\\n|[${RE2_LT}])?\\z`;
    }
    case 'group': {
      if (!node.capture) return `(?:${emit(node.body, at, out)})`;
      out.groups.push(groupCount(out) + 1);
      return `(${node.name ? `?P<${node.name}>` : ''}${emit(node.body, at, out)})`;
    }
    case 'alt':
      return node.alts.map((a) => emit(a, at, out)).join('|');
    case 'seq':
      return node.items.map((item, j) => emit(item, { ...at, tail: at.tail && j === node.items.length - 1 }, out)).join('');
    case 'repeat': {
      const body = emit(node.body, { ...at, loop: at.loop || node.max > 1 }, out);
      const wrapped = node.body.k === 'atom' || node.body.k === 'group' ? body : `(?:${body})`;
      return wrapped + node.quant;
    }
  }
}
