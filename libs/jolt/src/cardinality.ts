/** cardinality (CardinalityTransform): force values to one item (ONE) or a list (MANY). */
import { keysOf } from './order.js';
import { JoltSpecError, JoltTransformError } from './errors.js';
import { compileStar, type StarMatcher } from './path.js';
import { getOwn, hasKey, isObject, setOwn, type JsonObject } from './json.js';
import type { Coverage, SpecNodeInfo } from './report.js';
import type { CompiledOperation } from './shift.js';

type Card = 'ONE' | 'MANY';

interface CardNode extends SpecNodeInfo {
  readonly key: string;
  readonly star: StarMatcher | null;
  readonly card: Card | null;
  /** Composite parts: `@` applied to the value itself, then the other children inside it. */
  readonly at: Card | null;
  readonly literals: Map<string, CardNode>;
  readonly starChild: CardNode | null;
  readonly children: CardNode[];
}

function toCard(v: unknown, path: string): Card {
  if (v === 'ONE' || v === 'MANY') return v;
  throw new JoltSpecError(path, `cardinality values must be "ONE", "MANY" or an object, got ${JSON.stringify(v)}`);
}

function build(key: string, value: unknown, path: string): CardNode {
  const star = key === '*' ? (k: string) => [k] : key.includes('*') ? compileStar(key) : null;
  if (!isObject(value)) {
    return { specPath: path, key, star, card: toCard(value, path), at: null, literals: new Map(), starChild: null, children: [] };
  }
  const literals = new Map<string, CardNode>();
  const children: CardNode[] = [];
  let starChild: CardNode | null = null;
  let at: Card | null = null;
  for (const k of keysOf(value)) {
    const p = `${path}.${k}`;
    const v = value[k];
    if (k.includes('@')) {
      if (k !== '@') throw new JoltSpecError(p, `"${k}": "@" must be the whole key`);
      if (isObject(v)) throw new JoltSpecError(p, '"@" takes ONE or MANY, not an object');
      at = toCard(v, p);
      continue;
    }
    const child = build(k, v, p);
    children.push(child);
    if (child.star) {
      if (starChild) throw new JoltSpecError(p, `only one wildcard key is allowed per object (already have "${starChild.key}")`);
      starChild = child;
    } else literals.set(k, child);
  }
  return { specPath: path, key, star, card: null, at, literals, starChild, children };
}

function applyCard(card: Card, v: unknown): unknown {
  if (card === 'ONE') return Array.isArray(v) ? (v.length ? v[0] : null) : v;
  if (Array.isArray(v)) return v;
  return v === null ? [] : [v];
}

/** Applies `node` to `container[key]`. */
function applyAt(node: CardNode, container: JsonObject | unknown[], key: string, cov: Coverage | null): void {
  if (cov) cov.matched.add(node);
  const isArr = Array.isArray(container);
  const get = (): unknown => (isArr ? container[Number(key)] : getOwn(container, key));
  if (node.card) {
    if (isArr) throw new JoltTransformError(`cardinality: "${node.specPath}" is a ONE/MANY leaf, but its parent data is a list`);
    setOwn(container, key, applyCard(node.card, get()));
    return;
  }
  if (node.at) {
    const v = applyCard(node.at, get());
    if (isArr) container[Number(key)] = v;
    else setOwn(container, key, v);
  }
  applyChildren(node, get(), cov);
}

function applyChildren(node: CardNode, data: unknown, cov: Coverage | null): void {
  let keys: string[];
  if (Array.isArray(data)) keys = data.map((_, i) => String(i));
  else if (isObject(data)) keys = keysOf(data);
  else return;
  for (const k of keys) {
    const child = node.literals.get(k) ?? (node.starChild && node.starChild.star!(k) ? node.starChild : undefined);
    if (child && (Array.isArray(data) || hasKey(data as JsonObject, k))) applyAt(child, data as JsonObject | unknown[], k, cov);
  }
}

export function compileCardinality(spec: unknown, where: string): CompiledOperation {
  if (!isObject(spec)) throw new JoltSpecError(where, 'cardinality spec must be an object');
  const root = build('root', spec, where);
  return {
    specRoot: root,
    run(input: unknown, _context: unknown, cov: Coverage | null): unknown {
      if (root.at) throw new JoltTransformError('cardinality: "@" at the top level of the spec has no parent to change');
      applyChildren(root, input, cov);
      return input;
    },
  };
}
