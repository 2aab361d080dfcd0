/**
 * Specialized JavaScript for the common shape of modify specs: literal keys and `*` over objects and lists, with
 * any right-hand side. Same rule as the shift generator: the source comes from our own templates, spec keys reach it
 * only through the constants array `K`, and right-hand sides stay the compiled closures in `R`. Specs with `[n]`
 * indexes or partial wildcards return null and run on the tree walker.
 */
import { indexKey, isObject, setOwn } from './json.js';
import { isIndexKey, keysOf } from './order.js';
import type { Walk } from './path.js';

type Rhs = (walk: Walk, present: boolean) => unknown;
type Mode = 'overwrite' | 'default' | 'define';

/** The parts of a modify spec node the generator reads. */
export interface ModGenNode {
  readonly mode: Mode;
  readonly optional: boolean;
  readonly key: string | null;
  readonly index: number;
  readonly starRank: number;
  readonly rhs: Rhs | null;
  readonly container: 'object' | 'array' | null;
  readonly literals: readonly ModGenNode[];
  readonly stars: readonly ModGenNode[];
}

export type ModifyRunner = (data: unknown, walk: Walk) => void;

function eligible(n: ModGenNode): boolean {
  if (n.index >= 0 || n.container === 'array') return false;
  if (n.stars.some((s) => s.starRank !== 4)) return false;
  return [...n.literals, ...n.stars].every(eligible);
}

const hasOwn = Object.prototype.hasOwnProperty;
const helpers = { hasOwn, indexKey, isObject, keysOf, setOwn };

class Gen {
  readonly K: unknown[] = [];
  readonly R: Rhs[] = [];
  readonly fns: string[] = [];
  private count = 0;

  konst(v: unknown): string {
    // Strings as JSON string literals: named property accesses for V8, and nothing in them can break out.
    if (typeof v === 'string') return JSON.stringify(v);
    this.K.push(v);
    return `K[${this.K.length - 1}]`;
  }

  /**
   * Applies `node` at slot (c, key, idx): `idx >= 0` addresses a list element of original length `ol`.
   * `keyExpr` is a constant for literal keys (`safe`: plain reads and assignments do: not inherited, not integer-like).
   */
  slot(node: ModGenNode, keyExpr: string, idxExpr: string, subExpr: string, safe: boolean): string {
    const isList = idxExpr !== '-1';
    const present = isList ? `${idxExpr} < ol` : safe ? `(c[${keyExpr}] !== undefined || hasOwn.call(c, ${keyExpr}))` : `hasOwn.call(c, ${keyExpr})`;
    const read = isList ? `c[${idxExpr}]` : `(present ? c[${keyExpr}] : undefined)`;
    const write = (v: string) => (isList ? `c[${idxExpr}] = ${v};` : safe ? `c[${keyExpr}] = ${v};` : `setOwn(c, ${keyExpr}, ${v});`);
    // Jolt's write modes, decided at build time.
    const can = node.mode === 'overwrite' ? 'true' : node.mode === 'default' ? '(cur === undefined || cur === null)' : isList ? `(${idxExpr} >= ol && (cur === undefined || cur === null))` : '!present';
    let code = `{ const present = ${present};\n`;
    if (node.optional) code += 'if (present) {\n';
    code += `const cur = ${read};\n`;
    if (node.rhs) {
      this.R.push(node.rhs);
      code += `walk.push(present ? cur : null, ${subExpr}); const v = R[${this.R.length - 1}](walk, present); walk.pop();\n`;
      code += `if (v !== undefined && ${can}) ${write('v')}\n`;
    } else {
      const fn = this.composite(node);
      code += 'let data = cur;\n';
      code += `if (data === null || data === undefined) { ${node.container === null ? 'data = undefined;' : `if (${can}) { data = {}; ${write('data')} } else data = undefined;`} }\n`;
      code += `if (data !== undefined) { walk.push(data, ${subExpr}); ${fn}(data); walk.pop(); }\n`;
    }
    if (node.optional) code += '}\n';
    return `${code}}\n`;
  }

  /** A function applying `node`'s children to its data, as the tree walker's applyChildren does. */
  composite(node: ModGenNode): string {
    const name = `m${this.count++}`;
    const star = node.stars[0];
    let code = `function ${name}(c) {\n`;
    if (star) {
      const scratch = this.konst(['']);
      const body = this.slot(star, 'k', '-1', scratch, false);
      const listBody = this.slot(star, '', 'i', scratch, false);
      code += `if (Array.isArray(c)) {\n`;
      if (node.container === null) code += `const ol = c.length;\nfor (let i = 0; i < c.length; i++) { ${scratch}[0] = indexKey(i);\n${listBody}}\n`;
      code += 'return;\n}\n';
      code += 'if (!isObject(c)) return;\n';
      for (const l of node.literals) code += this.literal(l);
      code += `const keys = keysOf(c);\nfor (let j = 0; j < keys.length; j++) { const k = keys[j]; ${scratch}[0] = k;\n${body}}\n`;
    } else {
      code += 'if (!isObject(c)) return;\n';
      for (const l of node.literals) code += this.literal(l);
    }
    this.fns.push(`${code}}\n`);
    return name;
  }

  literal(l: ModGenNode): string {
    const key = l.key!;
    // A new integer-like key must go through setOwn to keep its place (order.ts).
    return this.slot(l, this.konst(key), '-1', this.konst([key]), !(key in Object.prototype) && !isIndexKey(key));
  }
}

export function generateModify(root: ModGenNode): ModifyRunner | null {
  if (!eligible(root)) return null;
  const g = new Gen();
  const fn = g.composite(root);
  const source = `"use strict";\nconst { hasOwn, indexKey, isObject, keysOf, setOwn } = H;\nlet walk;\n${g.fns.join('\n')}\nreturn function run(data, w) { walk = w; try { ${fn}(data); } finally { walk = undefined; } };`;
  // Generated from the validated spec tree only; user text is passed in K, right-hand sides in R.
  return new Function('K', 'R', 'H', source)(g.K, g.R, helpers) as ModifyRunner;
}
