/** remove (Removr): delete what the spec names; array indexes refer to the original positions. */
import { deleteKey, keysOf } from './order.js';
import { JoltSpecError } from './errors.js';
import { compileStar, type StarMatcher } from './path.js';
import { getOwn, hasKey, isObject, parseIndex, type JsonObject } from './json.js';
import type { Coverage, SpecNodeInfo } from './report.js';
import type { CompiledOperation } from './shift.js';

interface RemNode extends SpecNodeInfo {
  readonly literal: string | null;
  readonly star: StarMatcher | null;
  readonly starAll: boolean;
  readonly kids: RemNode[] | null;
  readonly children: RemNode[];
}

function build(spec: JsonObject, where: string): RemNode[] {
  const out: RemNode[] = [];
  for (const raw of keysOf(spec)) {
    const path = `${where}.${raw}`;
    const value = spec[raw];
    let children: RemNode[] | null = null;
    if (isObject(value)) children = build(value, path);
    else if (typeof value !== 'string' || value.trim() !== '') {
      throw new JoltSpecError(path, `remove values must be "" (remove this key) or an object (descend), got ${JSON.stringify(value)}`);
    }
    for (const alt of raw.split('|')) {
      const starAll = alt === '*';
      const star = !starAll && alt.includes('*') ? compileStar(alt) : null;
      out.push({ specPath: path, literal: starAll || star ? null : alt, star, starAll, kids: children, children: children ?? [] });
    }
  }
  return out;
}

function apply(nodes: readonly RemNode[], data: unknown, cov: Coverage | null): void {
  if (Array.isArray(data)) {
    const drop = new Set<number>();
    for (const n of nodes) {
      let idx: number[];
      if (n.starAll) idx = data.map((_, i) => i);
      else if (n.literal !== null) {
        const i = parseIndex(n.literal);
        idx = i >= 0 && i < data.length ? [i] : [];
      } else idx = [];
      if (idx.length && cov) cov.matched.add(n);
      for (const i of idx) {
        if (n.kids) apply(n.kids, data[i], cov);
        else drop.add(i);
      }
    }
    for (const i of [...drop].sort((a, b) => b - a)) data.splice(i, 1);
    return;
  }
  if (!isObject(data)) return;
  const drop = new Set<string>();
  for (const n of nodes) {
    let keys: string[];
    if (n.literal !== null) keys = hasKey(data, n.literal) ? [n.literal] : [];
    else if (n.starAll) keys = keysOf(data);
    else keys = keysOf(data).filter((k) => n.star!(k) !== null);
    if (keys.length && cov) cov.matched.add(n);
    for (const k of keys) {
      if (n.kids) apply(n.kids, getOwn(data, k), cov);
      else drop.add(k);
    }
  }
  for (const k of drop) deleteKey(data, k);
}

export function compileRemove(spec: unknown, where: string): CompiledOperation {
  if (!isObject(spec)) throw new JoltSpecError(where, 'remove spec must be an object');
  const nodes = build(spec, where);
  const specRoot: SpecNodeInfo = { specPath: where, children: nodes };
  return {
    specRoot,
    run(input: unknown, _context: unknown, cov: Coverage | null): unknown {
      apply(nodes, input, cov);
      return input;
    },
  };
}
