/**
 * Specialized JavaScript for a validated shift spec. The generated source is built only from our own AST: every
 * user string (keys, literal output segments, star patterns) reaches it as an element of a constants array `K`,
 * referenced by index, never spliced into the source text. Specs outside the supported subset (transpose, `#`
 * composites, `[#N]`, data-derived output keys, `&` input keys) return null and run on the interpreter instead.
 */
import { Composite, Leaf, SpecialLeaf, type Child } from './shift.js';
import type { OutPath } from './shift-output.js';
import { ShiftEmitter, type RowFusion } from './shift-emitter.js';
import { shiftHelpers as helpers } from './shift-runtime.js';

// ---------------------------------------------------------------- eligibility

function eligible(c: Child): boolean {
  if (c instanceof Composite) {
    if (c.transpose || c.hashText !== null) return false;
    if (c.computed.some((x) => x.kind !== 'starAll' && x.kind !== 'star')) return false;
    return [...c.specials, ...c.literalList, ...c.computed].every(eligible);
  }
  if (c instanceof SpecialLeaf) return c.sk.k !== 'transpose' && c.outs.every(pathEligible);
  if (c instanceof Leaf) return c.outs.every(pathEligible);
  return false;
}

function pathEligible(p: OutPath): boolean {
  return p.segs.every((s) => s.k === 'key' || s.k === 'amp' || s.k === 'append' || s.k === 'idx' || s.k === 'idxAmp');
}

// ---------------------------------------------------------------- assembly

export type ShiftRunner = (input: unknown) => unknown;

function build(g: ShiftEmitter, rootFn: string): (input: unknown, done: Uint8Array | null) => unknown {
  const source = `"use strict";
const { hasOwn, indexKey, isObject, JavaDouble, keysOf, parseIndex, scalarKey, setOwn, sk, fk, fi, cap, refErr } = H;
const getProto = Object.getPrototypeOf, JDP = JavaDouble.prototype;
let ks, ns, ms, r, fresh = false, done = null;
${g.fns.join('\n')}
return function run(input, finished) {
  ks = ['root', 'root']; ns = [-1, -1]; ms = [null, null]; r = undefined; done = finished;
  try {
    ${rootFn}(input);
    return r === undefined ? null : r;
  } finally {
    r = undefined; done = null;
  }
};`;
  // Source is generated from the validated spec tree only; user text enters it as JSON string literals or through K.
  const factory = new Function('K', 'H', source) as (K: unknown[], H: typeof helpers) => (input: unknown, done: Uint8Array | null) => unknown;
  return factory(g.K, helpers);
}

export function generateShift(root: Composite): ShiftRunner | null {
  if (!eligible(root)) return null;
  const g = new ShiftEmitter();
  const run = build(g, g.composite(root, 1));
  return (input) => run(input, null);
}

/**
 * The shift with its rows finished by the steps after it (chain-fusion.ts), marking in `done` the rows it built
 * whole; null when the spec's shape does not allow it.
 */
export function generateFusedShift(root: Composite, fusion: (tails: readonly string[]) => RowFusion | null): ((input: unknown, done: Uint8Array) => unknown) | null {
  if (!eligible(root) || root.specials.length > 0 || root.literalList.length > 0 || root.computed.length !== 1) return null;
  const only = root.computed[0]!;
  if (!(only instanceof Composite) || only.kind !== 'starAll') return null;
  const g = new ShiftEmitter();
  g.fusion = fusion;
  g.fusionNode = only;
  const rootFn = g.composite(root, 1);
  return g.fused ? build(g, rootFn) : null;
}
