/** shift (Shiftr): walk input and spec together; every matching leaf writes its data to its output paths. */
import { keysOf } from './order.js';
import { JoltSpecError } from './errors.js';
import { getOwn, hasKey, indexKey, isObject, parseIndex, type JsonObject, isJavaDouble } from './json.js';
import {
  ampCanonical, classifyKey, compileStar, evalAmp, parseAmp, parseRef, parseTranspose, readPath,
  removeEscapedChars, removeEscapes, scalarKey, starCount, Walk,
  type LookupSeg, type Ref, type StarMatcher, type Transpose,
} from './path.js';
import { Coverage, DESCEND, LEAF, type SpecNodeInfo } from './report.js';
import { generateShift } from './shift-codegen.js';
import { OutPath, parseOutputPath, writeOut } from './shift-output.js';
import type { RowLocal } from './chain-fusion.js';

type Matcher = (key: string, walk: Walk) => string[] | null;

interface Ctx { readonly out: JsonObject; readonly cov: Coverage | null }

export abstract class Child implements SpecNodeInfo {
  children: Child[] = [];
  constructor(readonly specPath: string, readonly canonical: string, readonly kind: string, readonly match: Matcher) {}
  /** Regular child: offered one input key; true when it matched. */
  abstract apply(key: string, value: unknown, has: boolean, parent: unknown, walk: Walk, ctx: Ctx): boolean;
  /** Special child (`@`, `$`, `#`, `@(...)`): runs once per visit of its parent. */
  abstract special(walk: Walk, ctx: Ctx): void;
}

const ROOT_SUB = ['root'];

function matcherFor(kind: string, text: string, where: string): { match: Matcher; canonical: string; rank: number } {
  switch (kind) {
    case 'literal': {
      const sub = [text];
      return { match: (k) => (k === text ? sub : null), canonical: text, rank: -1 };
    }
    case 'starAll':
      return { match: (k) => [k], canonical: '*', rank: 4 };
    case 'star': {
      const m: StarMatcher = compileStar(text);
      const n = starCount(text);
      return { match: (k) => m(k), canonical: text, rank: n >= 3 ? 1 : n === 2 ? 2 : 3 };
    }
    case 'amp': {
      const t = parseAmp(text, where);
      return { match: (k, w) => (evalAmp(t, w) === k ? [k] : null), canonical: ampCanonical(t), rank: 0 };
    }
    default:
      throw new JoltSpecError(where, `unsupported key kind ${kind}`);
  }
}

export class Leaf extends Child {
  constructor(specPath: string, canonical: string, kind: string, match: Matcher, readonly outs: readonly OutPath[]) {
    super(specPath, canonical, kind, match);
  }

  apply(key: string, value: unknown, has: boolean, parent: unknown, walk: Walk, ctx: Ctx): boolean {
    const sub = this.match(key, walk);
    if (sub === null) return false;
    const data = has ? value : null;
    walk.push(data, sub);
    const outs = this.outs;
    for (let i = 0; i < outs.length; i++) {
      const o = outs[i]!;
      if (ctx.cov) traceOutput(o, walk, ctx.cov);
      if (o.evaluate(walk)) writeOut(ctx.out, o.keys, data);
    }
    walk.pop();
    walk.counts[walk.depth - 1]!++;
    if (ctx.cov) {
      ctx.cov.matched.add(this);
      if (has) ctx.cov.mark(parent, key, LEAF);
    }
    return true;
  }

  special(): void {
    throw new Error('not a special child');
  }
}

export type SpecialKind = { k: 'at' } | { k: 'dollar'; ref: Ref } | { k: 'hash'; text: string } | { k: 'transpose'; tp: Transpose };

export class SpecialLeaf extends Child {
  constructor(specPath: string, canonical: string, readonly sk: SpecialKind, readonly outs: readonly OutPath[]) {
    super(specPath, canonical, sk.k, () => null);
  }

  apply(): boolean {
    return false;
  }

  special(walk: Walk, ctx: Ctx): void {
    const top = walk.depth - 1;
    const parentData = walk.datas[top];
    let data: unknown;
    let sub: string[];
    const sk = this.sk;
    if (sk.k === 'at') {
      data = parentData;
      sub = walk.subs[top]!;
      if (ctx.cov) ctx.cov.whole.add(parentData);
    } else if (sk.k === 'dollar') {
      data = walk.subkey(sk.ref.up, sk.ref.m);
      sub = [data as string];
    } else if (sk.k === 'hash') {
      data = sk.text;
      sub = [sk.text];
    } else {
      data = readTraced(sk.tp, walk, ctx.cov, LEAF);
      if (data === undefined) return;
      sub = walk.subs[top]!;
    }
    walk.push(sk.k === 'at' || sk.k === 'transpose' ? parentData : data, sub);
    walk.counts[walk.depth - 1] = walk.counts[top]!;
    for (const o of this.outs) {
      if (ctx.cov) traceOutput(o, walk, ctx.cov);
      if (o.evaluate(walk)) writeOut(ctx.out, o.keys, data);
    }
    walk.pop();
    if (ctx.cov) ctx.cov.matched.add(this);
  }
}

/** Input read by `@(...)` segments of an output path counts as used (reports only). */
function traceOutput(o: OutPath, walk: Walk, cov: Coverage): void {
  if (o.isStatic) return;
  for (const s of o.segs) if (s.k === 'tkey' || s.k === 'idxT') readTraced(s.tp, walk, cov, LEAF);
}

function readTraced(tp: Transpose, walk: Walk, cov: Coverage | null, how: number): unknown {
  const start = walk.datas[walk.level(tp.up)];
  if (!cov || tp.path.length === 0) return readPath(start, tp.path, walk);
  const head: readonly LookupSeg[] = tp.path.slice(0, -1);
  const container = readPath(start, head, walk);
  const v = readPath(container, tp.path.slice(-1), walk);
  if (v !== undefined) {
    const last = tp.path[tp.path.length - 1]!;
    if (last.k === 'key') cov.mark(container, last.key, how);
    else if (last.k === 'index') cov.mark(container, String(last.i), how);
    else if (last.k === 'amp') cov.mark(container, evalAmp(last.t, walk), how);
  }
  return v;
}

export const Strategy = { Literals: 0, Computed: 1, Conflict: 2, LiteralsThenComputed: 3 } as const;
export type Strategy = (typeof Strategy)[keyof typeof Strategy];

export class Composite extends Child {
  specials: Child[] = [];
  literals = new Map<string, Child>();
  literalList: Child[] = [];
  computed: Child[] = [];
  strategy: Strategy = Strategy.Literals;
  transpose: Transpose | null = null;
  hashText: string | null = null;

  apply(key: string, value: unknown, has: boolean, parent: unknown, walk: Walk, ctx: Ctx): boolean {
    const sub = this.match(key, walk);
    if (sub === null) return false;
    const data = has ? value : null;
    walk.push(data, sub);
    this.run(data, walk, ctx);
    walk.pop();
    walk.counts[walk.depth - 1]!++;
    if (ctx.cov) {
      ctx.cov.matched.add(this);
      if (has) ctx.cov.mark(parent, key, DESCEND);
    }
    return true;
  }

  /** `@(N,path)` composite: replace the branch's data by the value read, then walk it. */
  special(walk: Walk, ctx: Ctx): void {
    const top = walk.depth - 1;
    let data: unknown;
    if (this.hashText !== null) {
      // `#text` composite: a level named `text` over the parent's own data.
      data = walk.datas[top];
      walk.push(data, [this.hashText]);
    } else {
      data = readTraced(this.transpose!, walk, ctx.cov, DESCEND);
      if (data === undefined) return;
      walk.push(data, walk.subs[top]!);
    }
    this.run(data, walk, ctx);
    walk.pop();
    walk.counts[walk.depth - 1]!++;
    if (ctx.cov) ctx.cov.matched.add(this);
  }

  run(data: unknown, walk: Walk, ctx: Ctx): void {
    const specials = this.specials;
    for (let i = 0; i < specials.length; i++) specials[i]!.special(walk, ctx);
    if (data === null || data === undefined) return;
    if (typeof data !== 'object' || isJavaDouble(data)) {
      this.offerScalar(scalarKey(data), walk, ctx);
      return;
    }
    const isArr = Array.isArray(data);
    switch (this.strategy) {
      case Strategy.Literals:
        this.literalPass(data, isArr, walk, ctx);
        return;
      case Strategy.LiteralsThenComputed:
        this.literalPass(data, isArr, walk, ctx);
        this.computedPass(data, isArr, false, walk, ctx);
        return;
      case Strategy.Computed:
        this.computedPass(data, isArr, false, walk, ctx);
        return;
      case Strategy.Conflict:
        this.computedPass(data, isArr, true, walk, ctx);
        return;
    }
  }

  private literalPass(data: object, isArr: boolean, walk: Walk, ctx: Ctx): void {
    const lits = this.literalList;
    for (let i = 0; i < lits.length; i++) {
      const c = lits[i]!;
      const k = c.canonical;
      if (isArr) {
        const idx = parseIndex(k);
        const arr = data as unknown[];
        if (idx >= 0 && idx < arr.length) c.apply(k, arr[idx], true, data, walk, ctx);
      } else if (hasKey(data as JsonObject, k)) {
        c.apply(k, (data as JsonObject)[k], true, data, walk, ctx);
      }
    }
  }

  private computedPass(data: object, isArr: boolean, literalsFirst: boolean, walk: Walk, ctx: Ctx): void {
    const comp = this.computed;
    const nc = comp.length;
    if (isArr) {
      const arr = data as unknown[];
      for (let i = 0; i < arr.length; i++) {
        const k = indexKey(i);
        const v = arr[i];
        if (literalsFirst) {
          const lit = this.literals.get(k);
          if (lit) { lit.apply(k, v, true, data, walk, ctx); continue; }
        }
        for (let j = 0; j < nc; j++) if (comp[j]!.apply(k, v, true, data, walk, ctx)) break;
      }
      return;
    }
    const obj = data as JsonObject;
    for (const k of keysOf(obj)) {
      const v = obj[k];
      if (literalsFirst) {
        const lit = this.literals.get(k);
        if (lit) { lit.apply(k, v, true, data, walk, ctx); continue; }
      }
      for (let j = 0; j < nc; j++) if (comp[j]!.apply(k, v, true, data, walk, ctx)) break;
    }
  }

  private offerScalar(k: string, walk: Walk, ctx: Ctx): void {
    const lit = this.literals.get(k);
    if (lit) {
      lit.apply(k, undefined, false, null, walk, ctx);
      return;
    }
    if (this.strategy === Strategy.Literals) return;
    for (const c of this.computed) if (c.apply(k, undefined, false, null, walk, ctx)) return;
  }
}

function rhsPaths(v: unknown, where: string): OutPath[] | null {
  if (v === null) return [];
  if (typeof v === 'string') return [parseOutputPath(v, where)];
  if (Array.isArray(v)) {
    return v.map((s, i) => {
      if (typeof s !== 'string') throw new JoltSpecError(`${where}[${i}]`, `output paths must be strings, got ${JSON.stringify(s)}`);
      return parseOutputPath(s, `${where}[${i}]`);
    });
  }
  return null;
}

function buildComposite(spec: JsonObject, node: Composite, where: string): void {
  const canon = new Set<string>();
  const starKeys: { c: Child; rank: number; star: StarMatcher | null }[] = [];
  for (const rawKey of keysOf(spec)) {
    const value = spec[rawKey];
    const kpath = `${where}.${rawKey}`;
    for (const alt of rawKey.split('|')) {
      const child = buildChild(alt, value, kpath);
      const rank = child.rank;
      if (canon.has(child.c.canonical)) throw new JoltSpecError(kpath, `duplicate key: "${alt}" has the same canonical form (${child.c.canonical}) as a sibling`);
      canon.add(child.c.canonical);
      node.children.push(child.c);
      if (rank === -2) node.specials.push(child.c);
      else if (rank === -1) {
        node.literals.set(child.c.canonical, child.c);
        node.literalList.push(child.c);
      } else {
        node.computed.push(child.c);
        starKeys.push({ c: child.c, rank, star: child.star });
      }
    }
  }
  const rankOf = new Map(starKeys.map((s) => [s.c, s.rank]));
  node.computed.sort((a, b) => {
    const ra = rankOf.get(a)!;
    const rb = rankOf.get(b)!;
    if (ra !== rb) return ra - rb;
    if (a.canonical.length !== b.canonical.length) return b.canonical.length - a.canonical.length;
    return a.canonical < b.canonical ? -1 : a.canonical > b.canonical ? 1 : 0;
  });
  if (node.computed.length === 0) node.strategy = Strategy.Literals;
  else if (node.literalList.length === 0) node.strategy = Strategy.Computed;
  else {
    node.strategy = Strategy.LiteralsThenComputed;
    for (const s of starKeys) {
      if (!s.star) { node.strategy = Strategy.Conflict; break; }
      if (node.literalList.some((l) => s.star!(l.canonical) !== null)) { node.strategy = Strategy.Conflict; break; }
    }
  }
}

function buildChild(alt: string, value: unknown, where: string): { c: Child; rank: number; star: StarMatcher | null } {
  const { kind, text } = classifyKey(alt);
  const isComposite = isObject(value);
  if (isComposite && Object.keys(value).length === 0) throw new JoltSpecError(where, `"${alt}" has an empty object as its value`);
  const leafOuts = isComposite ? null : rhsPaths(value, where);
  if (!isComposite && leafOuts === null) {
    throw new JoltSpecError(where, `"${alt}" must map to an object, an output path string, a list of output paths or null; got ${JSON.stringify(value)}`);
  }
  switch (kind) {
    case 'at':
      if (isComposite) throw new JoltSpecError(where, `"@" cannot have children`);
      return { c: new SpecialLeaf(where, '@', { k: 'at' }, leafOuts!), rank: -2, star: null };
    case 'transpose': {
      const tp = parseTranspose(alt, where, false);
      if (isComposite) {
        const c = new Composite(where, tp.canonical, 'transpose', () => null);
        c.transpose = tp;
        buildComposite(value, c, where);
        return { c, rank: -2, star: null };
      }
      return { c: new SpecialLeaf(where, tp.canonical, { k: 'transpose', tp }, leafOuts!), rank: -2, star: null };
    }
    case 'dollar': {
      if (isComposite) throw new JoltSpecError(where, `"${alt}" cannot have children`);
      const i = alt.indexOf('$');
      if (i !== 0) throw new JoltSpecError(where, `"${alt}": "$" must start the key`);
      const { ref, end } = parseRef(alt, 1, where, '$');
      if (end !== alt.length) throw new JoltSpecError(where, `"${alt}": unexpected text after the $ reference`);
      return { c: new SpecialLeaf(where, `$(${ref.up},${ref.m})`, { k: 'dollar', ref }, leafOuts!), rank: -2, star: null };
    }
    case 'hash': {
      if (!text.startsWith('#')) throw new JoltSpecError(where, `"${alt}": "#" must start the key`);
      let lit = removeEscapes(text.slice(1));
      if (lit.startsWith('(') && lit.endsWith(')')) lit = lit.slice(1, -1);
      if (isComposite) {
        const c = new Composite(where, `#${lit}`, 'hash', () => null);
        c.hashText = lit;
        buildComposite(value, c, where);
        return { c, rank: -2, star: null };
      }
      return { c: new SpecialLeaf(where, `#${lit}`, { k: 'hash', text: lit }, leafOuts!), rank: -2, star: null };
    }
    case 'array': {
      const probe = removeEscapedChars(alt);
      const m = /^\[(\d+)\]$/.exec(probe);
      if (!m) throw new JoltSpecError(where, `"${alt}" is not a valid input key; only "[n]" array keys are allowed on the left-hand side`);
      return literalChild(m[1]!, value, where, isComposite, leafOuts);
    }
    case 'literal':
      return literalChild(text, value, where, isComposite, leafOuts);
    case 'amp':
      if (removeEscapedChars(alt).includes('*')) throw new JoltSpecError(where, `"${alt}" cannot mix "&" and "*"`);
      return computedChild(kind, alt, value, where, isComposite, leafOuts);
    default:
      return computedChild(kind, text, value, where, isComposite, leafOuts);
  }
}

function literalChild(text: string, value: unknown, where: string, isComposite: boolean, leafOuts: OutPath[] | null) {
  const { match, canonical } = matcherFor('literal', text, where);
  const c = makeNode('literal', match, canonical, value, where, isComposite, leafOuts);
  return { c, rank: -1, star: null };
}

function computedChild(kind: string, text: string, value: unknown, where: string, isComposite: boolean, leafOuts: OutPath[] | null) {
  const { match, canonical, rank } = matcherFor(kind, text, where);
  const c = makeNode(kind, match, canonical, value, where, isComposite, leafOuts);
  const star = kind === 'starAll' ? (k: string) => [k] : kind === 'star' ? compileStar(text) : null;
  return { c, rank, star };
}

function makeNode(kind: string, match: Matcher, canonical: string, value: unknown, where: string, isComposite: boolean, leafOuts: OutPath[] | null): Child {
  if (isComposite) {
    const c = new Composite(where, canonical, kind, match);
    buildComposite(value as JsonObject, c, where);
    return c;
  }
  return new Leaf(where, canonical, kind, match, leafOuts!);
}

// ---------------------------------------------------------------- compiled operation

export interface CompiledOperation {
  run(input: unknown, context: unknown, cov: Coverage | null): unknown;
  readonly specRoot?: SpecNodeInfo;
  readonly reportsInput?: boolean;
  /** Shift: the spec tree, for chain fusion. */
  readonly shiftRoot?: Composite;
  /** Default and modify: what the step does to each row, when its spec touches nothing else (chain-fusion.ts). */
  readonly rowLocal?: RowLocal;
}

export function compileShift(spec: unknown, where: string): CompiledOperation {
  if (!isObject(spec)) throw new JoltSpecError(where, `shift spec must be an object, got ${spec === null ? 'null' : Array.isArray(spec) ? 'an array' : typeof spec}`);
  const root = new Composite(where, 'root', 'root', () => ROOT_SUB);
  buildComposite(spec, root, where);
  const fast = generateShift(root);
  return {
    specRoot: root,
    shiftRoot: root,
    reportsInput: true,
    run(input: unknown, _context: unknown, cov: Coverage | null): unknown {
      if (fast !== null && cov === null) return fast(input);
      const walk = new Walk();
      walk.push(input, ROOT_SUB);
      walk.push(input, ROOT_SUB);
      const out: JsonObject = {};
      root.run(input, walk, { out, cov });
      const r = getOwn(out, 'root');
      return r === undefined ? null : r;
    },
  };
}
