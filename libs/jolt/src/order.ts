/**
 * Insertion order for plain objects, as Java's LinkedHashMap keeps it. JavaScript lists integer-like keys ("7",
 * array indexes up to 2^32 - 2) first, in numeric order, whatever order they were written in. An object whose
 * insertion order differs from that carries the true order in a hidden, non-enumerable symbol property.
 *
 * Invariant, cheap to keep on hot paths: without the property, `Object.keys` is the insertion order. With it, the
 * list holds every key in insertion order except non-index keys assigned directly since the list was last synced;
 * those are the newest string keys, so they sit, in order, at the end of `Object.keys`. Hence:
 * - integer-like keys must be added with `putKey`, and keys removed with `deleteKey`;
 * - other keys may be assigned directly (`o.k = v`), which is what generated code does for literal keys.
 */
import type { JsonObject } from './json.js';

export const KEY_ORDER: unique symbol = Symbol('sluice.keyOrder');

type Ordered = JsonObject & { [KEY_ORDER]?: string[] };

/** Whether JavaScript enumerates `k` ahead of string keys: a canonical integer in 0..2^32-2. */
export function isIndexKey(k: string): boolean {
  const n = k.length;
  if (n === 0 || n > 10) return false;
  const c0 = k.charCodeAt(0);
  if (c0 < 48 || c0 > 57 || (c0 === 48 && n > 1)) return false;
  for (let i = 1; i < n; i++) {
    const c = k.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return n < 10 || Number(k) <= 4294967294;
}

function synced(o: Ordered, order: string[]): string[] {
  const keys = Object.keys(o);
  const extra = keys.length - order.length;
  if (extra > 0) for (let i = keys.length - extra; i < keys.length; i++) order.push(keys[i]!);
  return order;
}

/** The object's keys in insertion order (a fresh array the caller may keep while changing the object). */
export function keysOf(o: object): string[] {
  const order = (o as Ordered)[KEY_ORDER];
  return order === undefined ? Object.keys(o) : synced(o as Ordered, order).slice();
}

/** Whether the object carries an order of its own (its keys are not in JavaScript's order). */
export function hasOwnOrder(o: object): boolean {
  return (o as Ordered)[KEY_ORDER] !== undefined;
}

function attachOrder(o: Ordered, order: string[]): void {
  Object.defineProperty(o, KEY_ORDER, { value: order, writable: true, enumerable: false, configurable: true });
}

function define(o: JsonObject, k: string, v: unknown): void {
  if (k === '__proto__') Object.defineProperty(o, k, { value: v, writable: true, enumerable: true, configurable: true });
  else o[k] = v;
}

const hasOwn = Object.prototype.hasOwnProperty;

/** `o[k] = v` with Java's order: a new key goes last; an existing one keeps its place. */
export function putKey(o: JsonObject, k: string, v: unknown): void {
  if (hasOwn.call(o, k)) {
    o[k] = v;
    return;
  }
  const order = (o as Ordered)[KEY_ORDER];
  if (order !== undefined) {
    synced(o as Ordered, order).push(k);
  } else if (isIndexKey(k)) {
    const keys = Object.keys(o);
    // JavaScript's order stays right only while every key so far is an index below this one.
    if (keys.length > 0) {
      const last = keys[keys.length - 1]!;
      if (!(isIndexKey(last) && Number(last) < Number(k))) {
        keys.push(k);
        attachOrder(o as Ordered, keys);
      }
    }
  }
  define(o, k, v);
}

export function deleteKey(o: JsonObject, k: string): void {
  if (!hasOwn.call(o, k)) return;
  const order = (o as Ordered)[KEY_ORDER];
  if (order !== undefined) {
    const list = synced(o as Ordered, order);
    const i = list.indexOf(k);
    if (i >= 0) list.splice(i, 1);
  }
  delete o[k];
}

/** Gives `target` the key order of `source` (same key set), for copies built in JavaScript order. */
export function copyOrder(source: object, target: JsonObject): void {
  const order = (source as Ordered)[KEY_ORDER];
  if (order !== undefined) attachOrder(target as Ordered, synced(source as Ordered, order).slice());
}

/** A new object holding `keys` (in that order) with `valueOf(key)`. */
export function objectFrom(keys: readonly string[], valueOf: (k: string) => unknown): JsonObject {
  const out: JsonObject = {};
  for (const k of keys) putKey(out, k, valueOf(k));
  return out;
}
