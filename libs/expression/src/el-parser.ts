import { compileError } from './expression-error.js';
import { EXPRESSION_LIMITS } from './limits.js';

export type Node =
  | { readonly k: 'attr'; readonly name: string; readonly pos: number }
  | { readonly k: 'dynAttr'; readonly name: Node; readonly pos: number }
  | { readonly k: 'param'; readonly name: string; readonly pos: number }
  | { readonly k: 'str'; readonly value: string; readonly pos: number }
  | { readonly k: 'num'; readonly value: bigint | number; readonly pos: number }
  | { readonly k: 'bool'; readonly value: boolean; readonly pos: number }
  | { readonly k: 'null'; readonly pos: number }
  | { readonly k: 'call'; readonly name: string; readonly subject: Node | null; readonly args: readonly Node[]; readonly pos: number; readonly end: number };

/** A piece of a property value: literal text, a parameter reference, or an expression. */
export type TemplatePart =
  | { readonly k: 'text'; readonly text: string }
  | { readonly k: 'param'; readonly name: string }
  | { readonly k: 'expr'; readonly node: Node; readonly start: number; readonly end: number };

export interface FunctionShape {
  /** Chained functions need a subject; 'head' ones (subjectless, selectors) start an expression. */
  readonly position: 'chain' | 'head' | 'both';
}

/** Name lookup the parser needs; the compiler owns the full table. */
export type FunctionLookup = ((name: string) => FunctionShape | undefined) & { suggest?: (name: string) => string | undefined };

const NAME_STOP = new Set(['$', '{', '}', '(', ')', '[', ']', ',', ':', ';', '/', '*', "'", ' ', '\t', '\r', '\n']);

/** Index of the `}` that closes the brace at `open`, skipping quoted strings; -1 when unclosed. */
function findClose(text: string, open: number): number {
  let depth = 0;
  for (let j = open; j < text.length; j++) {
    const c = text[j];
    if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (depth === 0) return j;
    } else if ((c === "'" || c === '"') && depth > 0) {
      let k = j + 1;
      while (k < text.length && text[k] !== c) k += text[k] === '\\' ? 2 : 1;
      if (k >= text.length) return -1;
      j = k;
    }
  }
  return -1;
}

/** Splits a property value into literal text, parameter references and parsed expressions. */
export function parseTemplate(text: string, lookup: FunctionLookup, parametersInText = true): TemplatePart[] {
  const ranges: { start: number; end: number; escaped: boolean }[] = [];
  for (let i = 1; i < text.length; i++) {
    if (text.charCodeAt(i) !== 123 || text.charCodeAt(i - 1) !== 36) continue;
    let run = 0;
    for (let j = i - 1; j >= 0 && text.charCodeAt(j) === 36; j--) run++;
    const close = findClose(text, i);
    if (close < 0) continue;
    if (run % 2 === 1) ranges.push({ start: i - 1, end: close, escaped: false });
    else ranges.push({ start: i - run, end: close, escaped: true });
    i = close;
  }
  if (ranges.length === 0) return literalParts(text, parametersInText, false);

  const parts: TemplatePart[] = [];
  const budget = { nodes: 0 };
  let litStart = 0;
  for (const r of ranges) {
    if (r.escaped) {
      // an escaped expression is its own literal segment: its $$ pairs collapse, its body stays text
      if (r.start > litStart) parts.push(...literalParts(text.slice(litStart, r.start), parametersInText, true));
      parts.push(...literalParts(text.slice(r.start, r.end + 1), false, true));
      litStart = r.end + 1;
      continue;
    }
    if (r.start > litStart) parts.push(...literalParts(text.slice(litStart, r.start), parametersInText, true));
    const parser = new Parser(text, lookup, r.start + 2, r.end, 1, budget);
    parts.push({ k: 'expr', node: parser.parseWhole(), start: r.start, end: r.end + 1 });
    litStart = r.end + 1;
  }
  if (litStart < text.length) parts.push(...literalParts(text.slice(litStart), parametersInText, true));
  return parts;
}

function literalParts(seg: string, parametersInText: boolean, unescapeDollars: boolean): TemplatePart[] {
  let s = seg;
  if (unescapeDollars) {
    const brace = s.indexOf('{');
    const head = brace < 0 ? s : s.slice(0, brace);
    if (head.includes('$$')) s = head.replace(/\$\$/g, '$') + (brace < 0 ? '' : s.slice(brace));
  }
  if (!parametersInText || !s.includes('#{')) return s ? [{ k: 'text', text: s }] : [];
  const out: TemplatePart[] = [];
  let buf = '';
  let i = 0;
  while (i < s.length) {
    const at = s.indexOf('#{', i);
    if (at < 0) break;
    let run = 0;
    for (let j = at; j >= i && s[j] === '#'; j--) run++;
    const close = s.indexOf('}', at + 2);
    if (close < 0) break;
    buf += s.slice(i, at + 1 - run) + '#'.repeat(Math.floor(run / 2));
    if (run % 2 === 1) {
      if (buf) out.push({ k: 'text', text: buf });
      buf = '';
      out.push({ k: 'param', name: s.slice(at + 2, close) });
    } else {
      buf += s.slice(at + 1, close + 1);
    }
    i = close + 1;
  }
  buf += s.slice(i);
  if (buf) out.push({ k: 'text', text: buf });
  return out;
}

/** Two-pass unescape of an EL string literal body (lexer pass, then literal evaluator pass). */
export function unescapeStringLiteral(raw: string): string {
  let p1 = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c !== '\\' || i + 1 >= raw.length) {
      p1 += c;
      continue;
    }
    const n = raw[++i]!;
    if (n === '"' || n === "'") p1 += n;
    else if (n === 'n') p1 += '\n';
    else if (n === 'r') p1 += '\r';
    else if (n === 't') p1 += '\t';
    else p1 += '\\' + n;
  }
  if (!p1.includes('\\')) return p1;
  let p2 = '';
  for (let i = 0; i < p1.length; i++) {
    const c = p1[i]!;
    if (c !== '\\' || i + 1 >= p1.length) {
      p2 += c;
      continue;
    }
    const n = p1[i + 1]!;
    if (n === '\\') {
      p2 += '\\';
      i++;
    } else if (n === 'n') {
      p2 += '\n';
      i++;
    } else if (n === 'r') {
      p2 += '\r';
      i++;
    } else p2 += c;
  }
  return p2;
}

/** A numeric argument at the parser's position (sticky, so long expressions are not copied per argument). */
const NUMBER = /[+-]?(?:\d+\.\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|\d+[eE][+-]?\d+|\d+)/y;

export const LITERAL_KEYWORDS = new Set(['true', 'false', 'null']);

class Parser {
  private pos: number;
  /** Level of the call being parsed, so arguments nest below it. */
  private chainLevel: number;
  constructor(
    private readonly text: string,
    private readonly lookup: FunctionLookup,
    start: number,
    private readonly end: number,
    /** Nesting level of this `${…}`; chained calls below it count too. */
    private readonly depth: number,
    private readonly budget: { nodes: number },
  ) {
    this.pos = start;
    this.chainLevel = depth;
  }

  /** Counts one node against the limits; `level` is how deep it sits. */
  private count(level: number, at: number): void {
    if (level > EXPRESSION_LIMITS.maxDepth) this.fail(`expression nests deeper than the limit of ${EXPRESSION_LIMITS.maxDepth} levels (nested \${…} and chained functions)`, at);
    if (++this.budget.nodes > EXPRESSION_LIMITS.maxNodes) this.fail(`expression has more than the limit of ${EXPRESSION_LIMITS.maxNodes} parts`, at);
  }

  private fail(message: string, at = this.pos, fn?: string, suffix = ''): never {
    throw compileError(this.text, at, message, fn, suffix);
  }

  private unknown(name: string, at: number): never {
    const s = this.lookup.suggest?.(name);
    return this.fail(`unknown function '${name}'`, at, name, s ? `; did you mean '${s}'?` : '');
  }

  private skip(): void {
    const t = this.text;
    while (this.pos < this.end) {
      const c = t[this.pos];
      if (c === ' ' || c === '\t' || c === '\r' || c === '\n') this.pos++;
      else if (c === '#' && t[this.pos + 1] !== '{') {
        const nl = t.indexOf('\n', this.pos);
        if (nl < 0 || nl >= this.end) this.fail('a comment must end with a line break');
        this.pos = nl + 1;
      } else break;
    }
  }

  private peek(): string {
    this.skip();
    return this.pos < this.end ? this.text[this.pos]! : '}';
  }

  private expect(c: string): void {
    const got = this.peek();
    if (got !== c || (c === '}' && this.pos >= this.end && this.text[this.pos] !== '}')) {
      this.fail(`expected '${c}' but found ${this.describeHere()}`);
    }
    this.pos++;
  }

  private describeHere(): string {
    if (this.pos >= this.end) return 'the end of the expression';
    const m = /^[^\s:(),}]+/.exec(this.text.slice(this.pos, this.end));
    return `'${m ? m[0] : this.text[this.pos]}'`;
  }

  /** Parses the body of `${...}` from start to end. */
  parseWhole(): Node {
    const node = this.parseChain();
    this.skip();
    if (this.pos < this.end) this.fail(`unexpected ${this.describeHere()}; expected ':' or '}'`);
    return node;
  }

  private parseChain(): Node {
    let node = this.parseHead();
    let level = this.depth;
    while (this.peek() === ':') {
      this.pos++;
      this.skip();
      const start = this.pos;
      this.count(++level, start);
      this.chainLevel = level;
      const name = this.readName();
      if (!name) this.fail(`expected a function name after ':' but found ${this.describeHere()}`);
      const shape = this.lookup(name);
      if (!shape) this.unknown(name, start);
      if (shape.position === 'head') this.fail(`'${name}' takes no subject and cannot follow ':'`, start, name);
      if (this.peek() !== '(') this.fail(`expected '(' after '${name}'`, this.pos, name);
      const args = this.parseArgs(name);
      node = { k: 'call', name, subject: node, args, pos: start, end: this.pos };
    }
    return node;
  }

  private readName(): string {
    const t = this.text;
    const s = this.pos;
    while (this.pos < this.end && !NAME_STOP.has(t[this.pos]!)) this.pos++;
    return t.slice(s, this.pos);
  }

  private parseHead(): Node {
    const c = this.peek();
    const start = this.pos;
    if (c === '$' && this.text[this.pos + 1] === '{') return { k: 'dynAttr', name: this.parseEmbedded(), pos: start };
    if (c === '#' && this.text[this.pos + 1] === '{') return this.parseParam();
    if (c === "'" || c === '"') return { k: 'dynAttr', name: this.parseString(), pos: start };
    if (c === '}' || this.pos >= this.end) this.fail('expected an attribute name or a function');
    if (c >= '0' && c <= '9') this.fail(`attribute name '${this.peekName()}' starts with a digit; quote it`);
    const name = this.readName();
    if (!name) this.fail(`unexpected ${this.describeHere()}`);
    if (this.peek() === '(') {
      const shape = this.lookup(name);
      if (!shape) this.unknown(name, start);
      if (shape.position === 'chain') this.fail(`'${name}' needs a subject, as in \${attr:${name}(...)}`, start, name);
      const args = this.parseArgs(name);
      return { k: 'call', name, subject: null, args, pos: start, end: this.pos };
    }
    if (LITERAL_KEYWORDS.has(name) || this.lookup(name)) this.fail(`'${name}' is a reserved word; quote the attribute name as \${'${name}'}`, start);
    return { k: 'attr', name, pos: start };
  }

  private peekName(): string {
    const s = this.pos;
    const n = this.readName();
    this.pos = s;
    return n;
  }

  private parseEmbedded(): Node {
    const open = this.pos + 1;
    const close = findClose(this.text, open);
    if (close < 0 || close >= this.end + 1) this.fail("unclosed '${'");
    this.count(this.chainLevel + 1, this.pos);
    const inner = new Parser(this.text, this.lookup, open + 1, close, this.chainLevel + 1, this.budget);
    const node = inner.parseWhole();
    this.pos = close + 1;
    return node;
  }

  private parseParam(): Node {
    const start = this.pos;
    this.pos += 2;
    this.skip();
    let name: string;
    const q = this.text[this.pos];
    if (q === "'" || q === '"') {
      const s = this.parseString();
      name = s.k === 'str' ? s.value : '';
      this.skip();
    } else {
      const close = this.text.indexOf('}', this.pos);
      if (close < 0 || close > this.end) this.fail("unclosed '#{'");
      name = this.text.slice(this.pos, close).trim();
      this.pos = close;
    }
    if (this.text[this.pos] !== '}') this.fail("expected '}' to close the parameter reference");
    this.pos++;
    if (!name) this.fail('empty parameter name', start);
    return { k: 'param', name, pos: start };
  }

  private parseString(): Node {
    const start = this.pos;
    const q = this.text[this.pos]!;
    let i = this.pos + 1;
    const t = this.text;
    while (i < this.end && t[i] !== q) {
      const ch = t[i];
      if (ch === '\n' || ch === '\r' || ch === '\t') this.fail('a string literal cannot contain a raw tab or line break; use \\t or \\n', i);
      i += ch === '\\' ? 2 : 1;
    }
    if (i >= this.end) this.fail('unterminated string literal', start);
    this.pos = i + 1;
    return { k: 'str', value: unescapeStringLiteral(t.slice(start + 1, i)), pos: start };
  }

  private parseArgs(fn: string): Node[] {
    this.expect('(');
    const args: Node[] = [];
    if (this.peek() === ')') {
      this.pos++;
      return args;
    }
    for (;;) {
      this.count(this.chainLevel, this.pos);
      args.push(this.parseArg(fn));
      const c = this.peek();
      if (c === ',') {
        this.pos++;
        continue;
      }
      if (c === ')') {
        this.pos++;
        return args;
      }
      this.fail(`expected ',' or ')' in the arguments of '${fn}' but found ${this.describeHere()}`, this.pos, fn);
    }
  }

  private parseArg(fn: string): Node {
    const c = this.peek();
    const start = this.pos;
    if (c === '$' && this.text[this.pos + 1] === '{') return this.parseEmbedded();
    if (c === '#' && this.text[this.pos + 1] === '{') return this.parseParam();
    if (c === "'" || c === '"') return this.parseString();
    NUMBER.lastIndex = this.pos;
    const num = NUMBER.exec(this.text);
    if (num && num.index + num[0].length <= this.end && !/[A-Za-z_.]/.test(this.text[this.pos + num[0].length] ?? '')) {
      this.pos += num[0].length;
      const s = num[0];
      if (/^[+-]?\d+$/.test(s)) {
        const v = BigInt(s);
        if (v > 9223372036854775807n || v < -9223372036854775808n) this.fail(`number ${s} does not fit in 64 bits`, start, fn);
        return { k: 'num', value: v, pos: start };
      }
      return { k: 'num', value: Number(s), pos: start };
    }
    const name = this.readName();
    if (name === 'true' || name === 'false') return { k: 'bool', value: name === 'true', pos: start };
    if (name === 'null') return { k: 'null', pos: start };
    if (name && this.peek() === '(') this.fail(`a function call used as an argument of '${fn}' must be wrapped in \${...}`, start, fn);
    if (name) this.fail(`'${name}' is not a valid argument of '${fn}'; use \${${name}} for an attribute or quote a literal`, start, fn);
    return this.fail(`expected an argument of '${fn}' but found ${this.describeHere()}`, start, fn);
  }
}
