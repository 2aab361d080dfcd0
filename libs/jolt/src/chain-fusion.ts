/**
 * Fusing a chain's passes: a shift that builds one row object per input element, followed by default and modify
 * steps that only touch keys of each row, runs as one pass in which every row is written once, already defaulted and
 * modified. Exact by construction:
 * - the shift's only spec child is `*` writing plain keys under `[&1]`, so over an input list element i writes to
 *   output row i alone, during its own visit; a row built whole (every key present) is final once written;
 * - each following step is row-local: its spec is `{"*": {key: ...}}` with literal keys whose effect depends only on
 *   that key's value (default: scalar constants; modify: literals or `=fn` of a single-value stock function), so
 *   applying the steps to one row at a time, in step order, is what running them one after the other does;
 * - rows the fused pass did not finish (a key missing, a non-object element, padding nulls) go through the steps as
 *   usual afterwards, as do inputs that are not lists.
 */
import type { ModifyMode, FreeRhs } from './modify.js';
import { isIndexKey } from './order.js';
import { isJavaDouble } from './json.js';
import type { CompiledOperation } from './shift.js';
import { generateFusedShift } from './shift-codegen.js';
import type { RowFusion } from './shift-emitter.js';

/** One key of a row-local step: its new value from its current one (`undefined` = absent). */
export interface RowKeyOp {
  readonly key: string;
  readonly apply: (v: unknown) => unknown;
  /** Whether the step writes the key when the row lacks it (decided at build time: nothing else is read). */
  readonly addsWhenAbsent: boolean;
}

export interface RowLocal {
  readonly ops: readonly RowKeyOp[];
}

/** A key a row object literal can hold as written: not inherited, not integer-like. */
export function plainRowKey(k: string): boolean {
  return !(k in Object.prototype) && !isIndexKey(k);
}

/** Defaultr on one key: a missing or null value becomes the (scalar) default. */
export function defaultOp(key: string, value: unknown): RowKeyOp {
  return { key, apply: (v) => (v === undefined || v === null ? value : v), addsWhenAbsent: true };
}

/** A modify leaf on one key, with the write rules of its mode. */
export function modifyOp(key: string, mode: ModifyMode, optional: boolean, rhs: FreeRhs): RowKeyOp {
  const apply = (v: unknown): unknown => {
    const present = v !== undefined;
    if (optional && !present) return v;
    const r = rhs(present ? v : null, present);
    if (r === undefined) return v;
    if (mode === 'default' && v !== undefined && v !== null) return v;
    if (mode === 'define' && present) return v;
    return r;
  };
  return { key, apply, addsWhenAbsent: apply(undefined) !== undefined };
}

/** The row object after `steps`, for a row built with `tails`: its keys in Java's order and how each value is made. */
export function planRow(tails: readonly string[], steps: readonly RowLocal[]): RowFusion {
  const order: string[] = [...tails];
  const fns = new Map<string, ((v: unknown) => unknown)[]>(tails.map((k) => [k, []]));
  for (const step of steps) {
    for (const op of step.ops) {
      let list = fns.get(op.key);
      if (list === undefined) {
        // A key the row lacks: the step writes it (appended, as a LinkedHashMap does) or leaves it absent.
        if (!op.addsWhenAbsent) continue;
        order.push(op.key);
        fns.set(op.key, (list = []));
      }
      list.push(op.apply);
    }
  }
  return {
    entries: order.map((key) => {
      const list = fns.get(key)!;
      const fn = list.length === 0 ? null : list.length === 1 ? list[0]! : (v: unknown) => {
        let x = v;
        for (const f of list) x = f(x);
        return x;
      };
      const tail = tails.indexOf(key);
      if (tail < 0 && fn !== null) {
        // An added key starts absent and every step is a pure function of its value: the same result for every row.
        // Only immutable results are shared; Jolt writes a fresh copy of anything else.
        const value = fn(undefined);
        if (value === null || typeof value !== 'object' || isJavaDouble(value)) return { key, tail, fn: null, value };
      }
      return { key, tail, fn };
    }),
  };
}

type FusedShift = (input: unknown, done: Uint8Array) => unknown;

/** A shift and the row-local steps after it, run as one pass where possible and step by step otherwise. */
export function fuseSteps(shift: CompiledOperation, rest: readonly CompiledOperation[], fused: FusedShift): CompiledOperation {
  const sequential = (data: unknown, context: unknown): unknown => {
    let d = data;
    for (const s of rest) d = s.run(d, context, null);
    return d;
  };
  return {
    run(input, context, cov) {
      if (cov !== null || !Array.isArray(input)) return sequential(shift.run(input, context, cov), context);
      const done = new Uint8Array(input.length);
      const out = fused(input, done);
      if (!Array.isArray(out)) return sequential(out, context);
      const left: number[] = [];
      for (let i = 0; i < out.length; i++) if (done[i] === 0) left.push(i);
      if (left.length > 0) {
        // The steps are row-local, so the unfinished rows can go through them on their own, in a list of their own.
        const rows = sequential(left.map((i) => out[i]), context) as unknown[];
        left.forEach((i, j) => { out[i] = rows[j]; });
      }
      return out;
    },
  };
}

/** The chain's steps with every shift + row-local run fused where the shift's spec allows it. */
export function fuseChain(steps: readonly CompiledOperation[]): CompiledOperation[] {
  const out: CompiledOperation[] = [];
  for (let i = 0; i < steps.length; ) {
    const step = steps[i]!;
    let j = i + 1;
    while (j < steps.length && steps[j]!.rowLocal !== undefined) j++;
    if (step.shiftRoot !== undefined && j > i + 1) {
      const rest = steps.slice(i + 1, j);
      const fused = generateFusedShift(step.shiftRoot, (tails) => planRow(tails, rest.map((r) => r.rowLocal!)));
      if (fused !== null) {
        out.push(fuseSteps(step, rest, fused));
        i = j;
        continue;
      }
    }
    out.push(step);
    i++;
  }
  return out;
}
