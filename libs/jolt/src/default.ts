/** default (Defaultr): walk the spec and fill in whatever the input lacks or holds as null. */
import { keysOf } from './order.js';
import { JoltSpecError, JoltTransformError } from './errors.js';
import { deepClone, getOwn, hasKey, isObject, parseIndex, setOwn, type JsonObject } from './json.js';
import type { Coverage, SpecNodeInfo } from './report.js';
import type { CompiledOperation } from './shift.js';
import { generateDefault } from './default-codegen.js';
import { defaultOp, plainRowKey, type RowLocal } from './chain-fusion.js';

interface DefNode extends SpecNodeInfo {
  readonly kind: 'literal' | 'or' | 'star';
  readonly keys: readonly string[];
  readonly raw: string;
  /** Composite: children apply inside; `isArray` when declared with `[]`. */
  readonly composite: boolean;
  readonly isArray: boolean;
  readonly value: unknown;
  /** The value is a scalar, so it needs no copy. */
  readonly scalar: boolean;
  /** Literal array index, or -1. */
  readonly index: number;
  /** Largest literal index among the children: arrays are padded up to it. */
  readonly maxIndex: number;
  readonly children: DefNode[];
}

function buildChildren(spec: JsonObject, where: string): DefNode[] {
  const lits: DefNode[] = [];
  const ors: DefNode[] = [];
  const stars: DefNode[] = [];
  for (const raw of keysOf(spec)) {
    const path = `${where}.${raw}`;
    let name = raw;
    let isArray = false;
    if (name.endsWith('[]')) {
      isArray = true;
      name = name.slice(0, -2);
    }
    const value = spec[raw];
    const composite = isObject(value);
    let kind: DefNode['kind'] = 'literal';
    if (name === '*') kind = 'star';
    else if (name.includes('*')) throw new JoltSpecError(path, `"${raw}": default only supports "*" on its own, not inside a key`);
    else if (name.includes('|')) kind = 'or';
    if (isArray && !composite) throw new JoltSpecError(path, `"${raw}" declares an array, so its value must be an object of array indexes`);
    const children = composite ? buildChildren(value, path) : [];
    const node: DefNode = {
      specPath: path, kind, raw, keys: kind === 'or' ? name.split('|') : [name], composite, isArray, value,
      scalar: value === null || typeof value !== 'object', index: kind === 'literal' ? parseIndex(name) : -1,
      maxIndex: maxLiteralIndex(children), children,
    };
    if (isArray) {
      for (const c of node.children) {
        if (c.kind !== 'star' && c.keys.some((k) => parseIndex(k) < 0)) {
          throw new JoltSpecError(c.specPath, `"${c.raw}" is under an array key, so it must be an array index, "*" or indexes joined by "|"`);
        }
      }
    }
    (kind === 'literal' ? lits : kind === 'or' ? ors : stars).push(node);
  }
  ors.sort((a, b) => a.keys.length - b.keys.length || (a.raw < b.raw ? -1 : a.raw > b.raw ? 1 : 0));
  return [...lits, ...ors, ...stars];
}

function maxLiteralIndex(children: readonly DefNode[]): number {
  let max = -1;
  for (const c of children) if (c.kind === 'literal') max = Math.max(max, parseIndex(c.keys[0]!));
  return max;
}

function applyChildren(children: readonly DefNode[], container: unknown, cov: Coverage | null, maxIndex: number): void {
  if (Array.isArray(container)) {
    while (container.length <= maxIndex) container.push(null);
    for (const c of children) {
      if (c.kind === 'star') {
        for (let i = 0; i < container.length; i++) applyAt(c, container, i, cov);
      } else if (c.kind === 'literal') {
        const i = c.index;
        if (i < 0) throw new JoltTransformError(`default: "${c.raw}" is not an array index, but the data at ${c.specPath} is an array`);
        applyAt(c, container, i, cov);
      } else {
        for (const k of c.keys) {
          const i = parseIndex(k);
          if (i < 0) throw new JoltTransformError(`default: "${k}" is not an array index, but the data at ${c.specPath} is an array`);
          if (i < container.length) applyAt(c, container, i, cov);
        }
      }
    }
    return;
  }
  if (!isObject(container)) return;
  for (const c of children) {
    if (c.kind === 'literal') applyAt(c, container, c.keys[0]!, cov);
    else if (c.kind === 'star') {
      for (const k of keysOf(container)) applyAt(c, container, k, cov);
    } else {
      for (const k of c.keys) if (hasKey(container, k)) applyAt(c, container, k, cov);
    }
  }
}

function applyAt(node: DefNode, container: JsonObject | unknown[], key: string | number, cov: Coverage | null): void {
  const isIdx = typeof key === 'number';
  let cur = isIdx ? (container as unknown[])[key] : getOwn(container as JsonObject, key);
  if (cov) cov.matched.add(node);
  if (!node.composite) {
    if (cur === undefined || cur === null) {
      const v = node.scalar ? node.value : deepClone(node.value);
      if (isIdx) (container as unknown[])[key] = v;
      else setOwn(container as JsonObject, key, v);
    }
    return;
  }
  if (cur === undefined || cur === null) {
    cur = node.isArray ? [] : {};
    if (isIdx) (container as unknown[])[key] = cur;
    else setOwn(container as JsonObject, key, cur);
  }
  if (node.isArray ? Array.isArray(cur) : isObject(cur)) applyChildren(node.children, cur, cov, node.maxIndex);
}

/** `{"*": {key: scalar, ...}}`: each element of the root gets its missing keys, nothing else happens. */
function rowLocalOf(children: readonly DefNode[]): RowLocal | undefined {
  const star = children[0];
  if (children.length !== 1 || star === undefined || star.kind !== 'star' || !star.composite || star.isArray) return undefined;
  const ok = star.children.every((c) => c.kind === 'literal' && !c.composite && c.scalar && plainRowKey(c.keys[0]!));
  return ok ? { ops: star.children.map((c) => defaultOp(c.keys[0]!, c.value)) } : undefined;
}

export function compileDefault(spec: unknown, where: string): CompiledOperation {
  if (!isObject(spec)) throw new JoltSpecError(where, 'default spec must be an object');
  const children = buildChildren(spec, where);
  const specRoot: SpecNodeInfo = { specPath: where, children: [] };
  const rootMax = maxLiteralIndex(children);
  const fast = generateDefault(children, rootMax);
  return {
    specRoot,
    rowLocal: rowLocalOf(children),
    run(input: unknown, _context: unknown, cov: Coverage | null): unknown {
      const data = input === null || input === undefined ? {} : input;
      if (Array.isArray(data)) {
        for (const c of children) {
          if (c.kind !== 'star' && c.keys.some((k) => parseIndex(k) < 0)) {
            throw new JoltTransformError(`default: the input is an array, so the top-level spec key "${c.raw}" must be an array index`);
          }
        }
      }
      if (cov === null) fast(data);
      else applyChildren(children, data, cov, rootMax);
      return data;
    },
  };
}
