/**
 * Specialized JavaScript for a validated default spec, under the same rule as the shift generator: the source is
 * built from our own templates; spec keys and default values reach it only as entries of the constants array `K`.
 */
import { JoltTransformError } from './errors.js';
import { deepClone, isObject, setOwn } from './json.js';
import { isIndexKey, keysOf } from './order.js';

/** The parts of a default spec node the generator reads. */
export interface DefGenNode {
  readonly kind: 'literal' | 'or' | 'star';
  readonly keys: readonly string[];
  readonly raw: string;
  readonly specPath: string;
  readonly composite: boolean;
  readonly isArray: boolean;
  readonly value: unknown;
  readonly scalar: boolean;
  readonly index: number;
  readonly maxIndex: number;
  readonly children: readonly DefGenNode[];
}

const hasOwn = Object.prototype.hasOwnProperty;

function notIndex(key: string, path: string): never {
  throw new JoltTransformError(`default: "${key}" is not an array index, but the data at ${path} is an array`);
}

const helpers = { hasOwn, isObject, deepClone, keysOf, notIndex, setOwn };

class Gen {
  readonly K: unknown[] = [];
  readonly fns: string[] = [];
  private count = 0;

  konst(v: unknown): string {
    // Strings as JSON string literals: named property accesses for V8, and nothing in them can break out.
    if (typeof v === 'string') return JSON.stringify(v);
    this.K.push(v);
    return `K[${this.K.length - 1}]`;
  }

  /** Applies `node` at `c[keyExpr]`; `safe` when plain reads and assignments do (not inherited, not integer-like). */
  at(node: DefGenNode, keyExpr: string, safe: boolean): string {
    const get = safe ? `c[${keyExpr}]` : `(hasOwn.call(c, ${keyExpr}) ? c[${keyExpr}] : undefined)`;
    const put = (v: string) => (safe ? `c[${keyExpr}] = ${v};` : `setOwn(c, ${keyExpr}, ${v});`);
    if (!node.composite) {
      const v = node.scalar ? this.konst(node.value) : `deepClone(${this.konst(node.value)})`;
      return `{ const cur = ${get}; if (cur === undefined || cur === null) ${put(v)} }\n`;
    }
    const fn = this.children(node.children, node.maxIndex);
    const fits = node.isArray ? 'Array.isArray(cur)' : 'isObject(cur)';
    return `{ let cur = ${get}; if (cur === undefined || cur === null) { cur = ${node.isArray ? '[]' : '{}'}; ${put('cur')} } if (${fits}) ${fn}(cur); }\n`;
  }

  /** A function applying `children` to a container, as Defaultr's composite does. */
  children(children: readonly DefGenNode[], maxIndex: number): string {
    const name = `g${this.count++}`;
    let arr = `while (c.length <= ${maxIndex}) c.push(null);\n`;
    let obj = '';
    for (const n of children) {
      if (n.kind === 'star') {
        arr += `for (let i = 0; i < c.length; i++) ${this.at(n, 'i', true)}`;
        // Existing keys only: a direct assignment keeps their place.
        obj += `for (const k of keysOf(c)) ${this.at(n, 'k', true)}`;
      } else if (n.kind === 'literal') {
        const key = n.keys[0]!;
        arr += n.index < 0 ? `notIndex(${this.konst(n.raw)}, ${this.konst(n.specPath)});\n` : this.at(n, String(n.index), true);
        // A new integer-like key must go through setOwn to keep its place (order.ts).
        obj += this.at(n, this.konst(key), !(key in Object.prototype) && !isIndexKey(key));
      } else {
        for (const key of n.keys) {
          const i = /^\d+$/.test(key) && key.length <= 9 ? Number(key) : -1;
          arr += i < 0 ? `notIndex(${this.konst(key)}, ${this.konst(n.specPath)});\n` : `if (${i} < c.length) ${this.at(n, String(i), true)}`;
          const k = this.konst(key);
          obj += `if (hasOwn.call(c, ${k})) ${this.at(n, k, true)}`;
        }
      }
    }
    this.fns.push(`function ${name}(c) {\nif (Array.isArray(c)) {\n${arr}return;\n}\nif (!isObject(c)) return;\n${obj}}\n`);
    return name;
  }
}

export function generateDefault(children: readonly DefGenNode[], maxIndex: number): (data: unknown) => void {
  const g = new Gen();
  const root = g.children(children, maxIndex);
  const source = `"use strict";\nconst { hasOwn, isObject, deepClone, keysOf, notIndex, setOwn } = H;\n${g.fns.join('\n')}\nreturn ${root};`;
  // Generated from the validated spec tree only; user text is passed in K.
  return new Function('K', 'H', source)(g.K, helpers) as (data: unknown) => void;
}
