import { translateJavaRegex } from './java-regex-syntax.js';
import { JavaPatternReader, type Node } from './regex-reader.js';

/**
 * User regular expressions run on a backtracking engine (JavaScript's) that cannot be interrupted, on the server's
 * one thread. A pattern whose repeated part can match the same text in more than one way backtracks exponentially
 * on an input that almost matches: `(a+)+`, `(\w+\s?)*`, `(a|a)+`, `(.|\s)*`, `(a|ab)*`. Such patterns run on the
 * linear-time engine instead (linear-regex.ts), or are refused when they need what it lacks, with a message naming
 * the part to rewrite.
 *
 * The analysis works on the Java pattern: for every repetition that can run more than LOOP_LIMIT times (counting
 * the repetitions around it), it refuses
 * - a body whose own repetition can take a character the next or previous iteration could take instead (the
 *   boundary between iterations can move: nested repetition, `(a+)+`, `(\d*\w)+`);
 * - alternatives inside it that can begin with the same character (overlapping alternation, `(a|ab)*`).
 * Character sets are compared on witnesses: every character the pattern names (and its neighbours, so ranges and
 * negations are compared exactly), ASCII and samples of the other Unicode classes. Possessive quantifiers and atomic
 * groups do not help: the translation to JavaScript makes them greedy. Polynomial patterns (`\s+$`) are not refused;
 * input sizes bound them.
 */
export class UnsafeRegexError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsafeRegexError';
  }
}

/** Repetitions bounded this low (`{3}`, `(…){1,5}`) cannot blow up, whatever their body. */
const LOOP_LIMIT = 10;

/** Characters outside ASCII that stand for the Unicode classes a pattern may use. */
const SAMPLES = [
  0x85, 0xa0, 0xaa, 0xb5, 0xba, 0xc0, 0xc9, 0xdf, 0xe9, 0xf7, 0xff, 0x130, 0x131, 0x17f, 0x1c5, 0x2b0, 0x301, 0x3b1, 0x3a9, 0x410, 0x436, 0x5d0, 0x639, 0x660,
  0x663, 0x966, 0xe01, 0x1680, 0x180e, 0x2000, 0x200b, 0x2028, 0x2029, 0x202f, 0x205f, 0x2160, 0x212a, 0x3000, 0x3042, 0x4e2d, 0xac00, 0xfeff, 0xff10,
  0xff21, 0xfffd, 0x10000, 0x1d400, 0x1f600, 0x10ffff,
];


/** Why the Java pattern may backtrack exponentially, or null. `caseInsensitive`: the translation's `i` flag. */
export function regexHazard(src: string, caseInsensitive = false): string | null {
  if (!/[*+{]/.test(src)) return null;
  let tree: Node;
  const codePoints: number[] = [];
  try {
    tree = new JavaPatternReader(src, codePoints).read();
  } catch {
    // The translation accepted the pattern, so this is a construct the reader does not know: nothing to judge.
    return null;
  }
  return new Analysis(src, codePoints, caseInsensitive).walk(tree, 1);
}


interface Info {
  nullable: boolean;
  first: Uint32Array;
  last: Uint32Array;
  /** Characters a variable repetition at the start can give back to (or take from) what comes before. */
  head: Uint32Array;
  /** Characters a variable repetition at the end can take from (or give to) what comes after. */
  tail: Uint32Array;
}

class Analysis {
  private witnesses: number[] | null = null;
  private index = new Map<number, number>();
  private words = 0;
  private readonly infos = new Map<Node, Info>();
  private readonly sets = new Map<string, Uint32Array>();

  constructor(
    private readonly src: string,
    private readonly codePoints: readonly number[],
    private readonly caseInsensitive: boolean,
  ) {}

  /** The first hazard in the node, `count` being how often the repetitions around it can run it. */
  walk(node: Node, count: number): string | null {
    switch (node.k) {
      case 'seq':
        for (const item of node.items) {
          const h = this.walk(item, count);
          if (h) return h;
        }
        return null;
      case 'look':
        return this.walk(node.body, count);
      case 'alt': {
        if (count > LOOP_LIMIT) {
          let seen = this.empty();
          for (const alt of node.alts) {
            const first = this.info(alt).first;
            if (intersects(seen, first)) {
              return `'${node.text}' is repeated and two of its alternatives can begin with the same character (like (a|a)+ or (a|ab)*), so a failing match can take exponential time`;
            }
            seen = union(seen, first);
          }
        }
        for (const alt of node.alts) {
          const h = this.walk(alt, count);
          if (h) return h;
        }
        return null;
      }
      case 'repeat': {
        if (node.max === 0) return null;
        const inner = count * node.max;
        if (node.max >= 2 && inner > LOOP_LIMIT) {
          const b = this.info(node.body);
          if (intersects(b.tail, b.first) || intersects(b.head, b.last)) {
            return `'${node.text}' repeats a part whose own repetition can take the same characters (like (a+)+ or (\\w+\\s?)*), so a failing match can take exponential time`;
          }
        }
        return this.walk(node.body, inner);
      }
      default:
        return null;
    }
  }

  private info(node: Node): Info {
    let info = this.infos.get(node);
    if (info) return info;
    info = this.compute(node);
    this.infos.set(node, info);
    return info;
  }

  private compute(node: Node): Info {
    switch (node.k) {
      case 'char': {
        const set = this.charSet(node);
        return { nullable: false, first: set, last: set, head: this.empty(), tail: this.empty() };
      }
      case 'any': {
        // A back reference can repeat anything the group matched.
        const all = this.all();
        return { nullable: true, first: all, last: all, head: all, tail: all };
      }
      case 'empty':
      case 'look':
        return { nullable: true, first: this.empty(), last: this.empty(), head: this.empty(), tail: this.empty() };
      case 'alt': {
        const parts = node.alts.map((a) => this.info(a));
        return {
          nullable: parts.some((p) => p.nullable),
          first: parts.reduce((s, p) => union(s, p.first), this.empty()),
          last: parts.reduce((s, p) => union(s, p.last), this.empty()),
          head: parts.reduce((s, p) => union(s, p.head), this.empty()),
          tail: parts.reduce((s, p) => union(s, p.tail), this.empty()),
        };
      }
      case 'seq': {
        const parts = node.items.map((a) => this.info(a));
        let first = this.empty();
        let head = this.empty();
        for (const p of parts) {
          first = union(first, p.first);
          head = union(head, p.head);
          if (!p.nullable) break;
        }
        let last = this.empty();
        let tail = this.empty();
        for (let j = parts.length - 1; j >= 0; j--) {
          last = union(last, parts[j]!.last);
          tail = union(tail, parts[j]!.tail);
          if (!parts[j]!.nullable) break;
        }
        return { nullable: parts.every((p) => p.nullable), first, last, head, tail };
      }
      case 'repeat': {
        const b = this.info(node.body);
        const variable = node.max > node.min;
        return {
          nullable: node.min === 0 || b.nullable,
          first: b.first,
          last: b.last,
          // One more or one less unit at the start ends like a unit; at the end it begins like one.
          head: variable ? union(b.head, b.last) : b.head,
          tail: variable ? union(b.tail, b.first) : b.tail,
        };
      }
    }
  }

  private charSet(node: Extract<Node, { k: 'char' }>): Uint32Array {
    const key = `${node.dotAll ? 's' : '-'}${node.atom}`;
    let set = this.sets.get(key);
    if (set) return set;
    const w = this.witnessList();
    set = this.empty();
    if (node.cp !== null && !this.caseInsensitive) {
      const at = this.index.get(node.cp);
      if (at !== undefined) set[at >>> 5]! |= 1 << (at & 31);
    } else {
      let re: RegExp | null = null;
      try {
        const t = translateJavaRegex(node.dotAll ? `(?s)${node.atom}` : node.atom);
        re = new RegExp(`^(?:${t.source})$`, this.caseInsensitive && !t.flags.includes('i') ? `${t.flags}i` : t.flags);
      } catch {
        re = null;
      }
      for (let j = 0; j < w.length; j++) if (!re || re.test(String.fromCodePoint(w[j]!))) set[j >>> 5]! |= 1 << (j & 31);
    }
    this.sets.set(key, set);
    return set;
  }

  private witnessList(): number[] {
    if (this.witnesses) return this.witnesses;
    const points = new Set<number>();
    for (let cp = 0; cp < 128; cp++) points.add(cp);
    for (const cp of SAMPLES) points.add(cp);
    const named = [...this.codePoints];
    for (const ch of this.src) named.push(ch.codePointAt(0)!);
    for (const cp of named) for (const d of [-1, 0, 1]) points.add(cp + d);
    if (this.caseInsensitive) {
      for (const cp of [...points]) {
        if (cp < 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) continue;
        const ch = String.fromCodePoint(cp);
        points.add(ch.toLowerCase().codePointAt(0)!);
        points.add(ch.toUpperCase().codePointAt(0)!);
      }
    }
    this.witnesses = [...points].filter((cp) => cp >= 0 && cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff)).sort((a, b) => a - b);
    this.witnesses.forEach((cp, j) => this.index.set(cp, j));
    this.words = (this.witnesses.length + 31) >>> 5;
    return this.witnesses;
  }

  private empty(): Uint32Array {
    this.witnessList();
    return new Uint32Array(this.words);
  }

  private all(): Uint32Array {
    return this.empty().fill(0xffffffff);
  }
}

function union(a: Uint32Array, b: Uint32Array): Uint32Array {
  const out = new Uint32Array(a.length);
  for (let j = 0; j < a.length; j++) out[j] = a[j]! | b[j]!;
  return out;
}

function intersects(a: Uint32Array, b: Uint32Array): boolean {
  for (let j = 0; j < a.length; j++) if ((a[j]! & b[j]!) !== 0) return true;
  return false;
}
