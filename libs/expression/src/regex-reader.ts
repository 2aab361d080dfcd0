/** A Java pattern read into the structure the backtracking analysis needs (regex-safety.ts). */

export type Node =
  | { readonly k: 'char'; readonly atom: string; readonly dotAll: boolean; readonly cp: number | null }
  | { readonly k: 'any' }
  | { readonly k: 'empty' }
  | { readonly k: 'seq'; readonly items: readonly Node[] }
  | { readonly k: 'alt'; readonly alts: readonly Node[]; readonly text: string }
  | { readonly k: 'look'; readonly body: Node }
  | { readonly k: 'repeat'; readonly body: Node; readonly min: number; readonly max: number; readonly text: string };

/** Reads a Java pattern into the structure the analysis needs (java-regex-syntax.ts translates the same syntax). */
export class JavaPatternReader {
  private i = 0;
  private groups = 0;
  private dotAll = false;
  private comments = false;

  constructor(
    private readonly src: string,
    private readonly codePoints: number[],
  ) {}

  read(): Node {
    const node = this.alternation(0);
    if (this.i < this.src.length) throw new Error(`unexpected ')' at ${this.i}`);
    return node;
  }

  private alternation(start: number): Node {
    const alts = [this.sequence()];
    while (this.src[this.i] === '|') {
      this.i++;
      alts.push(this.sequence());
    }
    return alts.length === 1 ? alts[0]! : { k: 'alt', alts, text: this.src.slice(start, this.i) };
  }

  private sequence(): Node {
    const items: Node[] = [];
    for (;;) {
      this.skipComments();
      const c = this.src[this.i];
      if (c === undefined || c === '|' || c === ')') break;
      const start = this.i;
      const atoms = this.atom();
      if (atoms.length === 0) continue;
      let last = atoms.pop()!;
      for (const a of atoms) items.push(a);
      for (;;) {
        this.skipComments();
        const q = this.quantifier();
        if (!q) break;
        last = { k: 'repeat', body: last, min: q.min, max: q.max, text: this.src.slice(start, this.i) };
      }
      items.push(last);
    }
    return items.length === 1 ? items[0]! : { k: 'seq', items };
  }

  private skipComments(): void {
    if (!this.comments) return;
    const src = this.src;
    while (this.i < src.length) {
      const c = src[this.i]!;
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\x0B') this.i++;
      else if (c === '#') while (this.i < src.length && src[this.i] !== '\n') this.i++;
      else break;
    }
  }

  private quantifier(): { min: number; max: number } | null {
    const src = this.src;
    const c = src[this.i];
    let q: { min: number; max: number } | null = null;
    if (c === '*') q = { min: 0, max: Infinity };
    else if (c === '+') q = { min: 1, max: Infinity };
    else if (c === '?') q = { min: 0, max: 1 };
    if (q) this.i++;
    else if (c === '{') {
      const m = /^\{(\d+)(?:(,)(\d*))?\}/.exec(src.slice(this.i));
      if (!m) throw new Error('bad repetition');
      const min = Number(m[1]);
      q = { min, max: m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]) };
      this.i += m[0].length;
    } else return null;
    // Lazy and possessive forms backtrack like the greedy one once translated.
    if (src[this.i] === '?' || src[this.i] === '+') this.i++;
    return q;
  }

  /** The next atom: usually one node; a quoted run gives one per character (a quantifier takes the last). */
  private atom(): Node[] {
    const src = this.src;
    const c = src[this.i]!;
    const start = this.i;
    if (c === '\\') return this.escape();
    if (c === '[') {
      this.skipClass();
      return [this.char(src.slice(start, this.i), null)];
    }
    if (c === '.') {
      this.i++;
      return [this.char('.', null)];
    }
    if (c === '^' || c === '$') {
      this.i++;
      return [{ k: 'empty' }];
    }
    if (c === '(') return this.group();
    const cp = src.codePointAt(this.i)!;
    this.i += cp > 0xffff ? 2 : 1;
    return [this.char(String.fromCodePoint(cp), cp)];
  }

  private group(): Node[] {
    const src = this.src;
    const start = this.i;
    const rest = src.slice(this.i + 1);
    let look = false;
    if (rest[0] !== '?') {
      this.groups++;
      this.i++;
    } else {
      const named = /^\?<([A-Za-z][A-Za-z0-9]*)>/.exec(rest);
      const special = /^\?(?:[:>]|[=!]|<=|<!)/.exec(rest);
      if (named) {
        this.groups++;
        this.i += 1 + named[0].length;
      } else if (special) {
        look = special[0] !== '?:' && special[0] !== '?>';
        this.i += 1 + special[0].length;
      } else {
        const f = /^\?([a-zA-Z-]*)([:)])/.exec(rest);
        if (!f) throw new Error('unknown group');
        this.flags(f[1]!);
        this.i += 1 + f[0].length;
        if (f[2] === ')') return [];
      }
    }
    const body = this.alternation(start);
    if (src[this.i] !== ')') throw new Error('unclosed group');
    this.i++;
    if (look) return [{ k: 'look', body }];
    return [body.k === 'alt' ? { ...body, text: src.slice(start, this.i) } : body];
  }

  /** As the translation, flags once set stay set for the rest of the pattern. */
  private flags(spec: string): void {
    let on = true;
    for (const f of spec) {
      if (f === '-') on = false;
      else if (f === 's') this.dotAll = on;
      else if (f === 'x') this.comments = on;
    }
  }

  private escape(): Node[] {
    const src = this.src;
    const start = this.i;
    const c = src[this.i + 1];
    this.i += 2;
    switch (c) {
      case 'Q': {
        const e = src.indexOf('\\E', this.i);
        const body = e < 0 ? src.slice(this.i) : src.slice(this.i, e);
        this.i = e < 0 ? src.length : e + 2;
        return [...body].map((ch) => this.char(`\\Q${ch}\\E`, ch.codePointAt(0)!));
      }
      case 'E':
        return [];
      case 'b':
      case 'B':
      case 'A':
      case 'z':
      case 'Z':
      case 'G':
        return [{ k: 'empty' }];
      case 'k':
        this.i = src.indexOf('>', this.i) + 1;
        return [{ k: 'any' }];
      case 'p':
      case 'P':
        if (src[this.i] === '{') this.i = src.indexOf('}', this.i) + 1;
        else this.i++;
        return [this.char(src.slice(start, this.i), null)];
      case 'x': {
        const m = src[this.i] === '{' ? /^\{([0-9a-fA-F]+)\}/.exec(src.slice(this.i)) : /^([0-9a-fA-F]{2})/.exec(src.slice(this.i));
        if (m) this.i += m[0].length;
        return [this.char(src.slice(start, this.i), m ? parseInt(m[1]!, 16) : null)];
      }
      case 'u': {
        const hex = src.slice(this.i, this.i + 4);
        this.i += 4;
        return [this.char(src.slice(start, this.i), parseInt(hex, 16))];
      }
      case '0': {
        const m = /^[0-3]?[0-7]{1,2}/.exec(src.slice(this.i));
        if (m) this.i += m[0].length;
        return [this.char(src.slice(start, this.i), m ? parseInt(m[0], 8) : null)];
      }
      case 'c': {
        const x = src.charCodeAt(this.i++);
        return [this.char(src.slice(start, this.i), x ^ 64)];
      }
      default: {
        if (c !== undefined && c >= '1' && c <= '9') {
          let num = c;
          while (/[0-9]/.test(src[this.i] ?? '') && Number(num + src[this.i]) <= this.groups) num += src[this.i++];
          return [{ k: 'any' }];
        }
        const named: Record<string, number> = { t: 9, n: 10, r: 13, f: 12, e: 27, a: 7 };
        return [this.char(src.slice(start, this.i), c !== undefined && named[c] !== undefined ? named[c]! : c !== undefined && !/[A-Za-z0-9]/.test(c) ? c.codePointAt(0)! : null)];
      }
    }
  }

  /** Skips a character class, nested classes and escapes included (src[i] is its '['). */
  private skipClass(): void {
    const src = this.src;
    this.i++;
    if (src[this.i] === '^') this.i++;
    let first = true;
    while (this.i < src.length) {
      const c = src[this.i]!;
      if (c === ']' && !first) {
        this.i++;
        return;
      }
      first = false;
      if (c === '[') this.skipClass();
      else if (c === '\\') {
        const d = src[this.i + 1];
        if (d === 'Q') {
          const e = src.indexOf('\\E', this.i + 2);
          this.i = e < 0 ? src.length : e + 2;
        } else if ((d === 'p' || d === 'P' || d === 'x') && src[this.i + 2] === '{') this.i = src.indexOf('}', this.i) + 1;
        else this.i += 2;
      } else this.i++;
    }
    throw new Error('unclosed class');
  }

  private char(atom: string, cp: number | null): Node {
    if (cp !== null) this.codePoints.push(cp);
    return { k: 'char', atom, dotAll: this.dotAll, cp };
  }
}
