/** What generated shift code calls at run time: the write rules of writeOut (shift.ts), split by step kind. */
import { JoltTransformError } from './errors.js';
import { indexKey, isObject, JavaDouble, parseIndex, setOwn, type JsonObject } from './json.js';
import { keysOf } from './order.js';
import { scalarKey } from './path.js';

const hasOwn = Object.prototype.hasOwnProperty;

function newContainer(arr: boolean): JsonObject | unknown[] {
  return arr ? [] : {};
}

function fits(child: unknown, arr: boolean): boolean {
  return arr ? Array.isArray(child) : isObject(child);
}

// Each helper receives a container the previous step already checked for the kind it needs.
function sk(c: JsonObject, k: string, arr: boolean): unknown {
  let child = hasOwn.call(c, k) ? c[k] : undefined;
  if (child === undefined || child === null) {
    child = newContainer(arr);
    setOwn(c, k, child);
    return child;
  }
  return fits(child, arr) ? child : undefined;
}

function fk(c: JsonObject, k: string, v: unknown): void {
  const e = hasOwn.call(c, k) ? c[k] : undefined;
  if (e === undefined || e === null) setOwn(c, k, v);
  else if (Array.isArray(e)) e.push(v);
  else setOwn(c, k, [e, v]);
}

function fi(c: unknown[], i: number, v: unknown): void {
  if (i >= c.length) {
    while (c.length < i) c.push(null);
    c.push(v);
    return;
  }
  const e = c[i];
  if (e === undefined || e === null) c[i] = v;
  else if (Array.isArray(e)) e.push(v);
  else c[i] = [e, v];
}

function cap(m: string[] | null, key: string, idx: number): string {
  if (m === null || idx >= m.length) {
    throw new JoltTransformError(`reference asks for capture ${idx}, but the key "${key}" has ${m ? m.length - 1 : 0}`);
  }
  return m[idx]!;
}

function refErr(up: number): never {
  throw new JoltTransformError(`reference goes ${up} levels up, past the top of the walked path`);
}

export const shiftHelpers = { hasOwn, indexKey, isObject, JavaDouble, keysOf, parseIndex, scalarKey, setOwn, sk, fk, fi, cap, refErr };
