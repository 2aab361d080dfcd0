/** Bookkeeping for `transformWithReport`: which input entries a spec consumed and which spec nodes matched. */
import { keysOf } from './order.js';
import type { JoltWarning } from './errors.js';
import { isObject } from './json.js';

export const LEAF = 1;
export const DESCEND = 2;

export class Coverage {
  readonly entries = new Map<object, Map<string, number>>();
  readonly whole = new Set<unknown>();
  readonly matched = new Set<object>();

  mark(container: unknown, key: string, how: number): void {
    if (typeof container !== 'object' || container === null) return;
    let m = this.entries.get(container);
    if (!m) this.entries.set(container, (m = new Map()));
    // A leaf use covers the whole entry, so it wins over a descent.
    if (m.get(key) !== LEAF) m.set(key, how);
  }

  /** Input entries that nothing consumed, reported at the highest unconsumed level. */
  unmatchedInput(input: unknown, operationIndex: number, out: JoltWarning[]): void {
    const seen = new Set<object>();
    const visit = (v: unknown, path: string): void => {
      if (typeof v !== 'object' || v === null || this.whole.has(v) || seen.has(v)) return;
      seen.add(v);
      const marks = this.entries.get(v);
      const keys = Array.isArray(v) ? v.map((_, i) => String(i)) : keysOf(v);
      for (const k of keys) {
        const child = Array.isArray(v) ? v[Number(k)] : (v as Record<string, unknown>)[k];
        const p = Array.isArray(v) ? `${path}[${k}]` : path ? `${path}.${k}` : k;
        const how = marks?.get(k);
        if (how === LEAF) continue;
        if (how === DESCEND) {
          if (Array.isArray(child) || isObject(child)) visit(child, p);
          continue;
        }
        out.push({ kind: 'unmatched-input', operationIndex, path: p, message: `input "${p}" is not matched by any spec key, so it is dropped` });
      }
    };
    visit(input, '');
  }
}

export interface SpecNodeInfo { readonly specPath: string; readonly children: readonly SpecNodeInfo[] }

/** Spec nodes that never matched, reported at the highest unmatched level. */
export function unmatchedSpec(root: SpecNodeInfo, matched: Set<object>, operationIndex: number, out: JoltWarning[]): void {
  const visit = (n: SpecNodeInfo): void => {
    // Alternatives of one `a|b` key share a spec path: the key is unmatched only when none of them matched.
    const hit = new Set<string>();
    for (const c of n.children) if (matched.has(c)) hit.add(c.specPath);
    const told = new Set<string>();
    for (const c of n.children) {
      if (matched.has(c)) visit(c);
      else if (!hit.has(c.specPath) && !told.has(c.specPath)) {
        told.add(c.specPath);
        out.push({ kind: 'unmatched-spec', operationIndex, path: c.specPath, message: `spec "${c.specPath}" matched nothing in the input` });
      }
    }
  };
  visit(root);
}
