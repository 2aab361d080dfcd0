/**
 * modify-overwrite-beta / modify-default-beta / modify-define-beta (Jolt's Modifier): walk the spec over the input
 * and write each leaf's value (literal, lookup, function call or fallback list) subject to the write mode.
 */
import { keysOf } from './order.js';
import { JoltSpecError } from './errors.js';
import { indexKey, isObject, setOwn, type JsonObject } from './json.js';
import { JavaDouble, parseJavaNumber } from './java-number.js';
import { stockFunctions, unwrapJava, type ModifyFunction } from './modify-functions.js';
import {
  classifyKey, compileStar, parseLookupPath, parseTranspose, readPath, removeEscapedChars,
  starCount, Walk, type StarMatcher, type Transpose,
} from './path.js';
import type { Coverage, SpecNodeInfo } from './report.js';
import type { CompiledOperation } from './shift.js';
import { generateModify } from './modify-codegen.js';
import { modifyOp, plainRowKey, type RowLocal } from './chain-fusion.js';

export type ModifyMode = 'overwrite' | 'default' | 'define';

// ---------------------------------------------------------------- right-hand sides

/**
 * Evaluates to a value or `undefined` ("nothing"). `free` is set on right-hand sides that read nothing but the
 * current value (literals, `=fn` of a single-value stock function): they can run without a walked path, which lets
 * a chain compute them while a shift builds the row (chain-fusion.ts).
 */
export type Rhs = ((walk: Walk, present: boolean) => unknown) & { free?: FreeRhs };
export type FreeRhs = (value: unknown, present: boolean) => unknown;

function literalRhs(v: unknown): Rhs {
  const free: FreeRhs = () => v;
  return Object.assign((() => v) as Rhs, { free });
}

function contextLookup(text: string, where: string): Rhs {
  const path = text.slice(1);
  if (path === '') return (walk) => (walk.context === null || walk.context === undefined ? undefined : walk.context);
  const segs = parseLookupPath(path, where, true);
  return (walk) => (walk.context === null || walk.context === undefined ? undefined : readPath(walk.context, segs, walk));
}

function inputLookup(text: string, where: string): Rhs {
  if (text === '@') throw new JoltSpecError(where, '"@" alone is not a valid lookup; use "@(N,path)" or "@N"');
  const tp: Transpose = parseTranspose(text, where, false);
  return (walk) => readPath(walk.datas[walk.level(tp.up)], tp.path, walk);
}

/** Splits on commas outside quotes and outside a parenthesis group (a flag, as Jolt does, not a depth count). */
function splitArgs(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inQuote = false;
  let inParen = false;
  for (const c of s) {
    if (c === "'" && !inParen) inQuote = !inQuote;
    else if (!inQuote && c === '(') inParen = true;
    else if (!inQuote && c === ')') inParen = false;
    if (c === ',' && !inQuote && !inParen) { out.push(cur); cur = ''; continue; }
    cur += c;
  }
  out.push(cur);
  return out;
}

/** A function's check of the arguments known when the spec compiles (undefined: a lookup, known only per input). */
export type CheckArgs = (constants: readonly unknown[]) => void;

/** The value of an argument that is not a lookup, or undefined. */
function constantArg(raw: string): unknown {
  const a = raw.trim();
  return a.startsWith('^') || a.startsWith('@') ? undefined : parseArg(a, '')({} as never, true);
}

function parseArg(raw: string, where: string): Rhs {
  const a = raw.trim();
  if (a.startsWith('^')) return contextLookup(a, where);
  if (a.startsWith('@')) return inputLookup(a, where);
  if (a.length >= 2 && a.startsWith("'") && a.endsWith("'")) {
    const s = a.slice(1, -1);
    return () => s;
  }
  if (a === '') return () => null;
  const lower = a.toLowerCase();
  if (lower === 'true') return () => true;
  if (lower === 'false') return () => false;
  const n = parseJavaNumber(a);
  if (n) {
    const v = n.type === 'double' && Number.isInteger(n.value) ? new JavaDouble(n.value) : n.value;
    return () => v;
  }
  return () => a;
}

function functionCall(text: string, where: string, custom: Record<string, ModifyFunction>, javaDoubles: boolean): Rhs {
  const open = text.indexOf('(');
  const name = (open < 0 ? text.slice(1) : text.slice(1, open)).trim();
  const fn = Object.prototype.hasOwnProperty.call(custom, name) ? custom[name] : Object.prototype.hasOwnProperty.call(stockFunctions, name) ? stockFunctions[name] : undefined;
  const call = (args: unknown[]): unknown => {
    if (!fn) return args.length === 0 ? undefined : args[0];
    try {
      const r = fn(args);
      return javaDoubles ? r : unwrapJava(r);
    } catch {
      return undefined;
    }
  };
  if (open < 0) {
    if (!fn) return literalRhs(undefined);
    const one = (fn as ModifyFunction & { one?: (v: unknown) => unknown }).one;
    if (one) {
      // Stock single-value functions: one present scalar needs no argument list.
      const free: FreeRhs = (v, present) => {
        if (!present || v === null || v === undefined) return undefined;
        if (typeof v === 'object') return call([v]);
        try {
          const r = one(v);
          return javaDoubles ? r : unwrapJava(r);
        } catch {
          return undefined;
        }
      };
      return Object.assign(((walk, present) => free(walk.datas[walk.depth - 1], present)) as Rhs, { free });
    }
    return (walk, present) => call(present ? [walk.datas[walk.depth - 1]] : []);
  }
  const close = text.lastIndexOf(')');
  if (close < open) throw new JoltSpecError(where, `function call "${text}" has no closing parenthesis`);
  const rawArgs = splitArgs(text.slice(open + 1, close));
  const check = (fn as (ModifyFunction & { checkArgs?: CheckArgs }) | undefined)?.checkArgs;
  if (check) {
    try {
      check(rawArgs.map(constantArg));
    } catch (e) {
      throw new JoltSpecError(where, `function call "${text}": ${(e as Error).message}`);
    }
  }
  const args = rawArgs.map((a) => parseArg(a, where));
  if (args.length === 1) {
    const only = args[0]!;
    return (walk) => {
      const v = only(walk, true);
      return call(v === undefined ? [] : [v]);
    };
  }
  return (walk) => call(args.map((a) => { const v = a(walk, true); return v === undefined ? null : v; }));
}

function compileRhs(v: unknown, where: string, custom: Record<string, ModifyFunction>, javaDoubles: boolean, top = true): Rhs {
  if (typeof v === 'string') {
    if (v.startsWith('=')) return functionCall(v, where, custom, javaDoubles);
    if (v.startsWith('^')) return contextLookup(v, where);
    if (v.startsWith('@')) return inputLookup(v, where);
    return literalRhs(v);
  }
  if (top && Array.isArray(v) && v.length > 0) {
    const alts = v.map((x, i) => compileRhs(x, `${where}[${i}]`, custom, javaDoubles, false));
    const rhs: Rhs = (walk, present) => {
      for (const a of alts) {
        const r = a(walk, present);
        if (r !== undefined) return r;
      }
      return undefined;
    };
    if (alts.every((a) => a.free)) {
      const frees = alts.map((a) => a.free!);
      rhs.free = (value, present) => {
        for (const f of frees) {
          const r = f(value, present);
          if (r !== undefined) return r;
        }
        return undefined;
      };
    }
    return rhs;
  }
  return literalRhs(v);
}

// ---------------------------------------------------------------- spec tree

interface ModNode extends SpecNodeInfo {
  readonly mode: ModifyMode;
  readonly optional: boolean;
  /** Literal key or array index; null for stars. */
  readonly key: string | null;
  readonly index: number;
  readonly star: StarMatcher | null;
  readonly starRank: number;
  readonly rhs: Rhs | null;
  /** Composite: 'object', 'array' or null when only `*` children decide at runtime. */
  readonly container: 'object' | 'array' | null;
  readonly literals: ModNode[];
  readonly stars: ModNode[];
  /** Array composites: `[n]` children by index, and the largest non-optional index (padding target). */
  readonly byIndex: Map<number, ModNode>;
  readonly maxIndex: number;
  /** Walked-path entry for a literal key. */
  readonly sub: string[];
  readonly children: ModNode[];
}

function parseModKey(raw: string, where: string, inherited: ModifyMode) {
  let k = raw;
  let mode = inherited;
  if (k.startsWith('+')) { mode = 'overwrite'; k = k.slice(1); }
  else if (k.startsWith('~')) { mode = 'default'; k = k.slice(1); }
  else if (k.startsWith('_')) { mode = 'define'; k = k.slice(1); }
  let optional = false;
  if (k.endsWith('?') && !k.endsWith('\\?')) { optional = true; k = k.slice(0, -1); }
  const { kind, text } = classifyKey(k);
  if (kind === 'array') {
    const m = /^\[(\d+)\]$/.exec(removeEscapedChars(k));
    if (!m) throw new JoltSpecError(where, `"${raw}": modify only accepts literal array indexes such as "[2]"`);
    return { mode, optional, kind: 'index' as const, key: m[1]!, index: Number(m[1]) };
  }
  if (kind === 'literal') return { mode, optional, kind: 'literal' as const, key: text, index: -1 };
  if (kind === 'star' || kind === 'starAll') return { mode, optional, kind: 'star' as const, key: kind === 'starAll' ? '*' : text, index: -1 };
  throw new JoltSpecError(where, `"${raw}": modify keys must be literals, "*" wildcards or "[n]" indexes ("&", "@", "$" and "#" are not allowed)`);
}

function buildNode(raw: string, value: unknown, where: string, inherited: ModifyMode, custom: Record<string, ModifyFunction>, javaDoubles: boolean): ModNode {
  const p = parseModKey(raw, where, inherited);
  const isStar = p.kind === 'star';
  // A `*` match is read only while its own node runs, so one scratch entry per node serves every match.
  const scratch = [''];
  const star = isStar ? (p.key === '*' ? (k: string) => { scratch[0] = k; return scratch; } : compileStar(p.key)) : null;
  const n = isStar ? starCount(p.key) : 0;
  const starRank = !isStar ? 0 : p.key === '*' ? 4 : n >= 3 ? 1 : n === 2 ? 2 : 3;
  const base = { specPath: where, mode: p.mode, optional: p.optional, key: isStar ? null : p.key, index: p.index, star, starRank, sub: [p.key] };
  if (isObject(value) && Object.keys(value).length > 0) {
    const literals: ModNode[] = [];
    const stars: ModNode[] = [];
    let hasIndex = false;
    let hasMapKey = false;
    for (const k of keysOf(value)) {
      const child = buildNode(k, value[k], `${where}.${k}`, p.mode, custom, javaDoubles);
      if (child.star) {
        stars.push(child);
        if (child.starRank !== 4) hasMapKey = true;
      } else {
        literals.push(child);
        if (child.index >= 0) hasIndex = true;
        else hasMapKey = true;
      }
    }
    if (hasIndex && hasMapKey) throw new JoltSpecError(where, 'array indexes "[n]" cannot be mixed with map keys under one object');
    stars.sort((a, b) => a.starRank - b.starRank || b.specPath.length - a.specPath.length);
    let maxIndex = -1;
    for (const c of literals) if (!c.optional && c.index > maxIndex) maxIndex = c.index;
    return {
      ...base, rhs: null, container: hasIndex ? 'array' : hasMapKey ? 'object' : null, literals, stars,
      byIndex: new Map(literals.map((c) => [c.index, c])), maxIndex, children: [...literals, ...stars],
    };
  }
  return {
    ...base, rhs: compileRhs(value, where, custom, javaDoubles), container: null, literals: [], stars: [],
    byIndex: new Map(), maxIndex: -1, children: [],
  };
}

// ---------------------------------------------------------------- walking

// A slot is (container, key, index): `index >= 0` addresses a list element, `originalLength` is the list's length
// before padding, so padded slots can be told from original ones.

const hasOwn = Object.prototype.hasOwnProperty;

function canWrite(mode: ModifyMode, container: JsonObject | unknown[], key: string, index: number, originalLength: number): boolean {
  if (mode === 'overwrite') return true;
  if (index >= 0) {
    const cur = (container as unknown[])[index];
    if (mode === 'default') return cur === null || cur === undefined;
    return index >= originalLength && (cur === null || cur === undefined);
  }
  if (mode === 'default') {
    const cur = hasOwn.call(container, key) ? (container as JsonObject)[key] : undefined;
    return cur === null || cur === undefined;
  }
  return !hasOwn.call(container, key);
}

function store(container: JsonObject | unknown[], key: string, index: number, v: unknown): void {
  if (index >= 0) {
    const a = container as unknown[];
    while (a.length < index) a.push(null);
    a[index] = v;
  } else setOwn(container as JsonObject, key, v);
}

function applyNode(
  node: ModNode, container: JsonObject | unknown[], key: string, index: number, originalLength: number,
  sub: string[], walk: Walk, cov: Coverage | null,
): void {
  const present = index >= 0 ? index < originalLength : hasOwn.call(container, key);
  if (node.optional && !present) return;
  if (cov) cov.matched.add(node);
  const cur = index >= 0 ? (container as unknown[])[index] : present ? (container as JsonObject)[key] : undefined;
  if (node.rhs) {
    walk.push(present ? cur : null, sub);
    const v = node.rhs(walk, present);
    walk.pop();
    if (v !== undefined && canWrite(node.mode, container, key, index, originalLength)) store(container, key, index, v);
    return;
  }
  let data = cur;
  if (data === null || data === undefined) {
    if (node.container === null || !canWrite(node.mode, container, key, index, originalLength)) return;
    data = node.container === 'array' ? [] : {};
    store(container, key, index, data);
  }
  walk.push(data, sub);
  applyChildren(node, data, walk, cov);
  walk.pop();
}

function applyChildren(node: ModNode, data: unknown, walk: Walk, cov: Coverage | null): void {
  if (Array.isArray(data)) {
    if (node.container === 'object') return;
    const originalLength = data.length;
    while (data.length <= node.maxIndex) data.push(null);
    if (node.mode === 'define' && node.literals.length > 0 && node.stars.length > 0) {
      for (let i = 0; i < data.length; i++) {
        const lit = node.byIndex.get(i);
        if (lit) applyNode(lit, data, lit.key!, i, originalLength, [lit.key!], walk, cov);
        else starAt(node, data, indexKey(i), i, originalLength, walk, cov);
      }
      return;
    }
    for (const c of node.literals) applyNode(c, data, c.key!, c.index, originalLength, [c.key!], walk, cov);
    if (node.stars.length) for (let i = 0; i < data.length; i++) starAt(node, data, indexKey(i), i, originalLength, walk, cov);
    return;
  }
  if (!isObject(data)) return;
  if (node.container === 'array') return;
  for (const c of node.literals) applyNode(c, data, c.key!, -1, 0, c.sub, walk, cov);
  if (node.stars.length) {
    for (const k of keysOf(data)) starAt(node, data, k, -1, 0, walk, cov);
  }
}

function starAt(node: ModNode, container: JsonObject | unknown[], key: string, index: number, originalLength: number, walk: Walk, cov: Coverage | null): void {
  const stars = node.stars;
  for (let j = 0; j < stars.length; j++) {
    const s = stars[j]!;
    const m = s.star!(key);
    if (m) {
      applyNode(s, container, key, index, originalLength, m, walk, cov);
      return;
    }
  }
}

const ROOT_SUB = ['root'];

/** `{"*": {key: rhs, ...}}` whose right-hand sides read only their own value: each root element on its own. */
function rowLocalOf(root: ModNode): RowLocal | undefined {
  const star = root.stars[0];
  if (root.literals.length > 0 || root.stars.length !== 1 || star === undefined || star.starRank !== 4 || star.rhs !== null) return undefined;
  if (star.stars.length > 0 || star.literals.length === 0) return undefined;
  const ok = star.literals.every((l) => l.rhs !== null && l.rhs.free !== undefined && l.index < 0 && l.key !== null && plainRowKey(l.key));
  return ok ? { ops: star.literals.map((l) => modifyOp(l.key!, l.mode, l.optional, l.rhs!.free!)) } : undefined;
}

/** `javaDoubles`: integral results of double-typed functions stay `JavaDouble` (written `4.0` by stringifyJson). */
export function compileModify(spec: unknown, where: string, mode: ModifyMode, custom: Record<string, ModifyFunction> = {}, javaDoubles = false): CompiledOperation {
  if (!isObject(spec)) throw new JoltSpecError(where, `modify spec must be an object, got ${spec === null ? 'null' : Array.isArray(spec) ? 'an array' : typeof spec}`);
  const root = buildNode('root', spec, where, mode, custom, javaDoubles);
  const fast = generateModify(root);
  return {
    specRoot: root,
    rowLocal: rowLocalOf(root),
    run(input: unknown, context: unknown, cov: Coverage | null): unknown {
      const walk = new Walk();
      walk.context = context;
      walk.push(input, ROOT_SUB);
      walk.push(input, ROOT_SUB);
      if (fast !== null && cov === null) fast(input, walk);
      else applyChildren(root, input, walk, cov);
      return input;
    },
  };
}

