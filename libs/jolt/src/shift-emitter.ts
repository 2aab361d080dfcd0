/**
 * The code emitter behind shift-codegen.ts: one JavaScript function per spec composite, walking the input the way
 * the interpreter does (shift.ts) and writing output paths with direct property stores where the key allows it.
 * User strings never enter the source text: they go to the constants array `K` and are referenced by index.
 */
import { parseIndex } from './json.js';
import { isIndexKey } from './order.js';
import { compileStar, type AmpTemplate, type Ref } from './path.js';
import { Composite, Leaf, SpecialLeaf, Strategy, type Child } from './shift.js';
import type { OutPath } from './shift-output.js';

/** A literal key generated code may assign directly: not inherited, and not integer-like (see order.ts). */
function plainKey(k: string): boolean {
  return !(k in Object.prototype) && !isIndexKey(k);
}

/** How a fused chain finishes a row (chain-fusion.ts): its keys in order, each a tail's value or an added key. */
export interface RowFusion {
  readonly entries: readonly {
    readonly key: string;
    /** Index of the tail whose input value the entry starts from; -1 for a key the steps add. */
    readonly tail: number;
    readonly fn: ((v: unknown) => unknown) | null;
    /** An added key's value, the same for every row. */
    readonly value?: unknown;
  }[];
}

/** Emits the functions of one generated shift; `composite` returns the name of the function for a node. */
export class ShiftEmitter {
  readonly K: unknown[] = [];
  /** Chain fusion: the composite whose rows the following steps finish, and how. */
  fusion: ((tails: readonly string[]) => RowFusion | null) | null = null;
  fusionNode: Composite | null = null;
  fused = false;
  readonly fns: string[] = [];
  /** Levels whose key text some generated code reads. */
  readonly strLevels = new Set<number>();
  /** Levels whose key, index or captures some generated code reads. */
  readonly readLevels = new Set<number>();
  private readonly fnOf = new Map<Composite, string>();
  /** Shared output prefix length for the leaves being generated (0: none). */
  private prefix = 0;
  /**
   * The leaves write once per visit (literal keys and special children only) and every path ends in a distinct
   * literal key right after the prefix: in a container created during this visit no key can be taken yet.
   */
  private distinctTails = false;
  private freshVar: string | null = null;
  /** Name of the current composite's prefix resolver, once generated. */
  private prefixFn: string | null = null;
  /** Ancestor levels a composite's generated function reads (so callers keep recording them). */
  private readonly levelsReadBy = new Map<Composite, Set<number>>();
  private readonly levelsStrBy = new Map<Composite, Set<number>>();
  private labels = 0;
  private fnCount = 0;

  konst(v: unknown): string {
    // Strings become JSON string literals (which nothing in them can break out of), so V8 sees named property
    // accesses with constant shapes instead of keyed ones; other constants stay in K.
    if (typeof v === 'string') return JSON.stringify(v);
    let i = this.K.indexOf(v);
    if (i < 0 || typeof v === 'object') {
      i = this.K.length;
      this.K.push(v);
    }
    return `K[${i}]`;
  }

  /** Key text of `&(N,M)` seen from level `level`. */
  refStr(level: number, r: Ref): string {
    const t = level - r.up;
    if (t < 0) return `refErr(${r.up})`;
    this.strLevels.add(t);
    this.readLevels.add(t);
    return r.m === 0 ? `ks[${t}]` : `cap(ms[${t}], ks[${t}], ${r.m})`;
  }

  refIndex(level: number, r: Ref): string {
    const t = level - r.up;
    if (t < 0) return `refErr(${r.up})`;
    this.readLevels.add(t);
    if (r.m === 0) return `(ns[${t}] >= 0 ? ns[${t}] : parseIndex(ks[${t}]))`;
    this.strLevels.add(t);
    return `parseIndex(cap(ms[${t}], ks[${t}], ${r.m}))`;
  }

  amp(level: number, t: AmpTemplate): string {
    return t.map((p) => (typeof p === 'string' ? this.konst(p) : this.refStr(level, p))).join(' + ') || '""';
  }

  /**
   * Writes `v` along every output path; `level` is the pushed leaf level. Steps are inlined so every property access
   * site sees one key (a monomorphic inline cache); keys that Object.prototype also has go through own-key helpers.
   */
  writes(outs: readonly OutPath[], level: number): string {
    let code = '';
    for (const p of outs) {
      const segs = p.segs;
      const P = this.prefix;
      if (P > 0) {
        // Siblings share the first P steps: resolve them once per visit (see sharedPrefix).
        const pre = `p${this.labels++}`;
        const label = `w${this.labels++}`;
        if (this.prefixFn === null) {
          // One resolver per composite: it walks the shared steps and tells whether it created the last container.
          this.prefixFn = `q${this.fnCount++}`;
          this.freshVar = 'fresh';
          this.fns.push(`function ${this.prefixFn}() {\n${pre}: {\n${this.steps(segs, 0, P, pre, level)}return c${P};\n}\nreturn undefined;\n}\n`);
          this.freshVar = null;
        }
        code += `if (pcs === 0) { fresh = false; pc = ${this.prefixFn}(); pcs = pc === undefined ? 2 : 1; pf = fresh; }\n`;
        code += `if (pcs === 1) ${label}: {\nconst c${P} = pc;\n${this.steps(segs, P, segs.length, label, level, this.distinctTails && segs.length === P + 1)}}\n`;
        continue;
      }
      const label = `w${this.labels++}`;
      code += `${label}: {\n${this.steps(segs, 0, segs.length, label, level)}}\n`;
    }
    return code;
  }

  /** Steps `from` to `to` of an output path; before step i the container is `c${i}` (after the last, `c${to}`). */
  steps(segs: OutPath['segs'], from: number, to: number, label: string, level: number, freshTail = false): string {
    let body = '';
    for (let i = from; i < to; i++) {
      const s = segs[i]!;
      if (i === 0) {
        // The output root lives in the variable r instead of a holder object.
        if (segs.length === 1) body += 'if (r === undefined || r === null) r = v; else if (Array.isArray(r)) r.push(v); else r = [r, v];\n';
        else {
          const arr = ['append', 'idx', 'idxAmp'].includes(segs[1]!.k);
          body += `let c1 = r; if (c1 === undefined || c1 === null) { c1 = ${arr ? '[]' : '{}'}; r = c1; } else if (!(${arr ? 'Array.isArray(c1)' : 'isObject(c1)'})) break ${label};\n`;
        }
        continue;
      }
      const last = i === segs.length - 1;
      const nextArr = !last && ['append', 'idx', 'idxAmp'].includes(segs[i + 1]!.k);
      const make = nextArr ? '[]' : '{}';
      const fit = nextArr ? `Array.isArray(c${i + 1})` : `isObject(c${i + 1})`;
      const cur = `c${i}`;
      const nxt = `c${i + 1}`;
      if (s.k === 'key' && plainKey(s.key)) {
        const k = this.konst(s.key);
        if (last) {
          const collide = `{ const e = ${cur}[${k}]; if (e === undefined || e === null) ${cur}[${k}] = v; else if (Array.isArray(e)) e.push(v); else ${cur}[${k}] = [e, v]; }`;
          body += freshTail && i === from ? `if (pf) ${cur}[${k}] = v; else ${collide}\n` : `${collide}\n`;
        } else body += `let ${nxt} = ${cur}[${k}]; if (${nxt} === undefined || ${nxt} === null) { ${nxt} = ${make}; ${cur}[${k}] = ${nxt};${this.fresh(i + 1)} } else if (!(${fit})) break ${label};\n`;
      } else if (s.k === 'key' || s.k === 'amp') {
        const k = s.k === 'key' ? this.konst(s.key) : `(${this.amp(level, s.t)})`;
        if (last) body += `fk(${cur}, ${k}, v);\n`;
        else body += `const ${nxt} = sk(${cur}, ${k}, ${nextArr}); if (${nxt} === undefined) break ${label};\n`;
      } else if (s.k === 'append') {
        if (last) body += `${cur}.push(v);\n`;
        else body += `const ${nxt} = ${make}; ${cur}.push(${nxt});\n`;
      } else if (s.k === 'idx' || s.k === 'idxAmp') {
        let idx = String((s as { i: number }).i);
        if (s.k === 'idxAmp') {
          body += `const i${i} = ${this.refIndex(level, s.t[0] as Ref)}; if (i${i} < 0) break ${label};\n`;
          idx = `i${i}`;
        }
        if (last) body += `fi(${cur}, ${idx}, v);\n`;
        else {
          body += `let ${nxt} = ${idx} < ${cur}.length ? ${cur}[${idx}] : undefined; if (${nxt} === undefined || ${nxt} === null) { ${nxt} = ${make}; while (${cur}.length < ${idx}) ${cur}.push(null); ${cur}[${idx}] = ${nxt};${this.fresh(i + 1)} } else if (!(${fit})) break ${label};\n`;
        }
      } else throw new Error('unsupported segment');
    }
    return body;
  }

  tailsDistinct(node: Composite, P: number): boolean {
    if (node.computed.length > 0) return false;
    const paths = [...node.specials, ...node.literalList].flatMap((c) => (c as Leaf | SpecialLeaf).outs);
    const seen = new Set<string>();
    for (const p of paths) {
      const last = p.segs[P];
      if (p.segs.length !== P + 1 || last === undefined || last.k !== 'key' || !plainKey(last.key) || seen.has(last.key)) return false;
      seen.add(last.key);
    }
    return true;
  }

  /** While resolving a shared prefix: marks its last container as created in this visit. */
  fresh(i: number): string {
    return this.freshVar !== null && i === this.prefix ? ` ${this.freshVar} = true;` : '';
  }

  /**
   * Length of the output-path prefix every leaf of `node` shares, when it can be resolved once per visit: all
   * children are leaves (so only their writes run in between), the shared steps are keys or indexes with the same
   * references (evaluated at the same level), and every path is longer than the prefix, so no write can replace a
   * container on it. Jolt walks the prefix for every write; it finds the same containers.
   */
  sharedPrefix(node: Composite): number {
    const kids = [...node.specials, ...node.literalList, ...node.computed];
    if (kids.some((c) => c instanceof Composite)) return 0;
    const paths = kids.flatMap((c) => (c as Leaf | SpecialLeaf).outs);
    if (paths.length < 2) return 0;
    let P = Math.min(...paths.map((p) => p.segs.length)) - 1;
    const first = paths[0]!.segs;
    for (let i = 1; i < P; i++) {
      const a = first[i]!;
      // A reference to the leaf's own level (`&0`) names a different key for every leaf, so it cannot be shared.
      const ownLevel = (a.k === 'amp' || a.k === 'idxAmp') && a.t.some((p) => typeof p !== 'string' && p.up === 0);
      const same = a.k !== 'append' && !ownLevel && paths.every((p) => JSON.stringify(p.segs[i]) === JSON.stringify(a));
      if (!same) { P = i; break; }
    }
    return P >= 2 ? P : 0;
  }

  /**
   * When every leaf of `node` is a literal key writing under one shared prefix to distinct plain keys, and every one
   * of them is present in the input, Jolt fills a container that did not exist, key by key, in spec order. Writing
   * that container as one object literal (keys in the same order) gives the same result without a key-by-key build;
   * any other case (a missing key, a container already there) takes the general path below.
   */
  rowLiteral(node: Composite, level: number): string {
    const P = this.prefix;
    if (P === 0 || !this.distinctTails || node.specials.length > 0 || node.strategy !== Strategy.Literals) return '';
    const lits = node.literalList;
    if (!lits.every((c) => c instanceof Leaf && c.outs.length > 0)) return '';
    const segs = (lits[0] as Leaf).outs[0]!.segs;
    const last = segs[P - 1]!;
    if (last.k !== 'key' && last.k !== 'amp' && last.k !== 'idx' && last.k !== 'idxAmp') return '';
    const reads = lits.map((c, i) => {
      const k = this.konst(c.canonical);
      return c.canonical in Object.prototype ? `const y${i} = hasOwn.call(d, ${k}) ? d[${k}] : undefined;` : `const y${i} = d[${k}];`;
    });
    const tails = lits.flatMap((c, i) => (c as Leaf).outs.map((o) => ({ key: (o.segs[P] as { key: string }).key, y: i })));
    let entries = tails.map((t) => `${this.konst(t.key)}: y${t.y}`);
    let finish = '';
    if (node === this.fusionNode) {
      // Fused only when output row i is input element i's alone: `[&1]` over the list the root `*` walks.
      const ref = last.k === 'idxAmp' ? (last.t[0] as Ref) : null;
      if (P !== 2 || ref === null || ref.up !== 1 || ref.m !== 0) return '';
      const plan = this.fusion!(tails.map((t) => t.key));
      if (plan === null || !plan.entries.every((e) => plainKey(e.key))) return '';
      entries = plan.entries.map((e) => {
        if (e.tail < 0 && e.fn === null) return `${this.konst(e.key)}: ${this.konst(e.value)}`;
        const v = e.tail >= 0 ? `y${tails[e.tail]!.y}` : 'undefined';
        return `${this.konst(e.key)}: ${e.fn ? `${this.konst(e.fn)}(${v})` : v}`;
      });
      finish = ' done[ii] = 1;';
      this.fused = true;
    }
    const resolver = `q${this.fnCount++}`;
    this.fns.push(`function ${resolver}() {\nr${resolver}: {\n${this.steps(segs, 0, P - 1, `r${resolver}`, level)}return c${P - 1};\n}\nreturn undefined;\n}\n`);
    let code = `{\n${reads.join('\n')}\nif (${lits.map((_, i) => `y${i} !== undefined`).join(' && ')}) {\n`;
    // A cancelled prefix cancels every write of this visit, as on the general path.
    code += `const par = ${resolver}(); if (par === undefined) return;\n`;
    if (last.k === 'key' || last.k === 'amp') {
      const key = last.k === 'key' ? this.konst(last.key) : `(${this.amp(level, last.t)})`;
      code += `const kk = ${key}; const e = hasOwn.call(par, kk) ? par[kk] : undefined;\n`;
      code += `if (e === undefined || e === null) { setOwn(par, kk, { ${entries.join(', ')} }); return; }\n`;
    } else {
      const idx = last.k === 'idx' ? String(last.i) : this.refIndex(level, last.t[0] as Ref);
      code += `const ii = ${idx}; if (ii < 0) return;\n`;
      code += `if (ii >= par.length || par[ii] === undefined || par[ii] === null) { while (par.length < ii) par.push(null); par[ii] = { ${entries.join(', ')} };${finish} return; }\n`;
    }
    return `${code}}\n}\n`;
  }

  /** Code applying child `c` (level `level`) to a matched key; the level is recorded only if something reads it. */
  applyChild(c: Child, level: number, kExpr: string, nExpr: string, mExpr: string, vExpr: string): string {
    const had = this.readLevels.has(level);
    this.readLevels.delete(level);
    const body = c instanceof Composite ? `${this.composite(c, level)}(${vExpr});\n` : `{ const v = ${vExpr};\n${this.writes((c as Leaf).outs, level)}}\n`;
    const store = this.readLevels.has(level) ? `ks[${level}] = ${kExpr}; ns[${level}] = ${nExpr}; ms[${level}] = ${mExpr};\n` : '';
    if (had) this.readLevels.add(level);
    return store + body;
  }

  /** Tries the computed children in order on key `k` (string), index `n`, value `v`. */
  computedChain(node: Composite, level: number, vExpr: string): string {
    const label = `m${this.labels++}`;
    let code = `${label}: {\n`;
    for (const c of node.computed) {
      if (c.kind === 'starAll') {
        code += `{ ${this.applyChild(c, level, 'k', 'n', 'null', vExpr)} break ${label}; }\n`;
        break;
      }
      const m = this.konst(compileStar(c.canonical));
      code += `{ const mm = ${m}(k); if (mm !== null) { ${this.applyChild(c, level, 'k', 'n', 'mm', vExpr)} break ${label}; } }\n`;
    }
    return `${code}}\n`;
  }

  literalSwitch(node: Composite, level: number, vExpr: string, fallback: string): string {
    let code = 'switch (k) {\n';
    for (const c of node.literalList) {
      code += `case ${this.konst(c.canonical)}: { ${this.applyChild(c, level, 'k', 'n', 'null', vExpr)} break; }\n`;
    }
    return `${code}default: {\n${fallback}}\n}\n`;
  }

  /** Emits the function for composite `node` whose own key sits at `level`; returns its name. */
  composite(node: Composite, level: number): string {
    const known = this.fnOf.get(node);
    if (known !== undefined) {
      for (const l of this.levelsReadBy.get(node) ?? []) this.readLevels.add(l);
      for (const l of this.levelsStrBy.get(node) ?? []) this.strLevels.add(l);
      return known;
    }
    const name = `c${this.fnCount++}`;
    this.fnOf.set(node, name);
    const before = new Set(this.readLevels);
    const beforeStr = new Set(this.strLevels);
    this.readLevels.clear();
    this.strLevels.clear();
    const child = level + 1;
    const outerPrefix = this.prefix;
    const outerTails = this.distinctTails;
    const outerPrefixFn = this.prefixFn;
    this.prefixFn = null;
    this.prefix = this.sharedPrefix(node);
    this.distinctTails = this.prefix > 0 && this.tailsDistinct(node, this.prefix);
    let code = `function ${name}(d) {\n${this.prefix > 0 ? 'let pc, pcs = 0, pf = false;\n' : ''}`;
    for (const sp of node.specials) {
      const s = sp as SpecialLeaf;
      if (s.sk.k === 'at') {
        this.readLevels.add(level);
        this.strLevels.add(level);
        code += `ks[${child}] = ks[${level}]; ns[${child}] = ns[${level}]; ms[${child}] = ms[${level}];\n{ const v = d;\n${this.writes(s.outs, child)}}\n`;
      } else if (s.sk.k === 'dollar') {
        code += `{ const v = ${this.refStr(level, s.sk.ref)};\nks[${child}] = v; ns[${child}] = -1; ms[${child}] = null;\n${this.writes(s.outs, child)}}\n`;
      } else if (s.sk.k === 'hash') {
        code += `{ const v = ${this.konst(s.sk.text)};\nks[${child}] = v; ns[${child}] = -1; ms[${child}] = null;\n${this.writes(s.outs, child)}}\n`;
      }
    }
    const hasLits = node.literalList.length > 0;
    const hasComp = node.computed.length > 0;
    // Scalars offer their text as a key with no value.
    let slow = "if (typeof d !== 'object' || (d !== null && getProto(d) === JDP)) {\nconst k = scalarKey(d); const n = -1;\n";
    if (hasLits) slow += this.literalSwitch(node, child, 'null', node.strategy === Strategy.Literals ? '' : this.computedChain(node, child, 'null'));
    else slow += this.computedChain(node, child, 'null');
    slow += 'return;\n}\n';

    // Arrays: element indexes are the keys.
    slow += 'if (Array.isArray(d)) {\n';
    if (hasLits && (node.strategy === Strategy.Literals || node.strategy === Strategy.LiteralsThenComputed)) {
      for (const c of node.literalList) {
        const idx = parseIndex(c.canonical);
        if (idx >= 0) slow += `if (${idx} < d.length) { ${this.applyChild(c, child, this.konst(c.canonical), String(idx), 'null', `d[${idx}]`)} }\n`;
      }
    }
    if (hasComp) {
      this.strLevels.delete(child);
      const body = node.strategy === Strategy.Conflict ? this.literalSwitch(node, child, 'e', this.computedChain(node, child, 'e')) : this.computedChain(node, child, 'e');
      // The index's text is built only when a key pattern or some reference reads it.
      const needStr = node.strategy === Strategy.Conflict || node.computed.some((c) => c.kind !== 'starAll') || this.strLevels.has(child);
      slow += `for (let n = 0; n < d.length; n++) {\nconst k = ${needStr ? 'indexKey(n)' : 'null'}; const e = d[n];\n${body}}\n`;
    }
    slow += '}\n';

    // Objects.
    let fast = this.rowLiteral(node, child);
    if (hasLits && (node.strategy === Strategy.Literals || node.strategy === Strategy.LiteralsThenComputed)) {
      for (const c of node.literalList) {
        const k = this.konst(c.canonical);
        if (c.canonical in Object.prototype) fast += `if (hasOwn.call(d, ${k})) { ${this.applyChild(c, child, k, '-1', 'null', `d[${k}]`)} }\n`;
        else fast += `{ const x = d[${k}]; if (x !== undefined) { ${this.applyChild(c, child, k, '-1', 'null', 'x')} } }\n`;
      }
    }
    if (hasComp) {
      fast += 'const keys = keysOf(d);\nfor (let j = 0; j < keys.length; j++) {\nconst k = keys[j]; const n = -1; const e = d[k];\n';
      fast += node.strategy === Strategy.Conflict ? this.literalSwitch(node, child, 'e', this.computedChain(node, child, 'e')) : this.computedChain(node, child, 'e');
      fast += '}\n';
    }
    // getPrototypeOf is about twice as fast as instanceof on plain objects.
    const isObj = "typeof d === 'object' && !Array.isArray(d) && getProto(d) !== JDP";
    if (node.specials.length === 0) {
      // Objects are the common case: a small function V8 can inline, the rest out of line.
      const state = this.prefix > 0 ? 'let pc, pcs = 0, pf = false;\n' : '';
      code += `if (d === null || d === undefined) return;\nif (${isObj}) {\n${fast}return;\n}\n${name}s(d);\n}\n`;
      code += `function ${name}s(d) {\n${state}${slow}}\n`;
    } else {
      code += `if (d === null || d === undefined) return;\nif (${isObj}) {\n${fast}return;\n}\n${slow}}\n`;
    }
    this.prefix = outerPrefix;
    this.distinctTails = outerTails;
    this.prefixFn = outerPrefixFn;
    this.fns.push(code);
    const mine = new Set([...this.readLevels].filter((l) => l <= level));
    const mineStr = new Set([...this.strLevels].filter((l) => l <= level));
    this.levelsReadBy.set(node, mine);
    this.levelsStrBy.set(node, mineStr);
    for (const l of before) this.readLevels.add(l);
    for (const l of mine) this.readLevels.add(l);
    for (const l of beforeStr) this.strLevels.add(l);
    for (const l of mineStr) this.strLevels.add(l);
    return name;
  }
}
