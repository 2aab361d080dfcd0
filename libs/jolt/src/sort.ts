/** sort (Sortr): a recursive copy with every object's keys sorted, `~` keys first. */
import { isObject, setOwn, type JsonObject } from './json.js';
import type { CompiledOperation } from './shift.js';

function compareKeys(a: string, b: string): number {
  const ta = a.startsWith('~');
  const tb = b.startsWith('~');
  if (ta !== tb) return ta ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Keys are written in sorted order; setOwn keeps that order for integer-like keys too (order.ts). */
export function sortValue(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortValue);
  if (!isObject(v)) return v;
  const out: JsonObject = {};
  for (const k of Object.keys(v).sort(compareKeys)) setOwn(out, k, sortValue(v[k]));
  return out;
}

export function compileSort(): CompiledOperation {
  return { run: (input) => sortValue(input) };
}
