import type { EvalContext, Evaluator, Value } from '../el-types.js';

/** A compiled argument or subject: its evaluator, and its value when known at compile time. */
export interface Compiled {
  readonly ev: Evaluator;
  readonly isConst: boolean;
  readonly value: Value;
  /** Set when this is a plain attribute reference, so a function can read the attribute without a call. */
  readonly attribute?: string;
  /** A string known at compile time except for some inserted pieces (see replace), never null. */
  readonly segments?: readonly Segment[];
}

/** A piece of a partly constant string: literal text, or a runtime value with the replaces still due inside it. */
export type Segment = string | DynamicSegment;
export interface DynamicSegment {
  readonly get: (ctx: EvalContext) => string;
  readonly replaces: readonly { readonly search: string; readonly get: (ctx: EvalContext) => string }[];
}

/** An evaluator that also describes its string as segments, so a following replace can work at compile time. */
export type SegmentedEvaluator = Evaluator & { readonly segments?: readonly Segment[] };

export interface BuildSite {
  readonly name: string;
  /** Throws a compile error pointing at the call. */
  fail(message: string): never;
}

export type ResultType = 'String' | 'Boolean' | 'Whole Number' | 'Decimal' | 'Number' | 'Date' | 'Instant' | 'Any';

export interface FunctionSpec {
  readonly name: string;
  /** 'chain' needs a subject, 'head' starts an expression, 'both' works either way (math). */
  readonly position: 'chain' | 'head' | 'both';
  readonly minArgs: number;
  readonly maxArgs: number;
  readonly returns: ResultType;
  readonly signature: string;
  readonly description: string;
  readonly selector?: 'any' | 'all';
  readonly reducer?: boolean;
  /** False when the result depends on more than the inputs (clock, randomness, default zone, state). */
  readonly pure?: boolean;
  /** Args are Compiled so functions can stay lazy (ifElse, and, or) or precompile constants (regexes). */
  build(subject: Compiled | null, args: readonly Compiled[], site: BuildSite): Evaluator;
  /** Selector heads: the values the rest of the chain runs over. */
  reduce?(args: readonly Compiled[], site: BuildSite): (ctx: EvalContext, values: Value[]) => Value;
  select?(args: readonly Compiled[], site: BuildSite): (ctx: EvalContext) => Value[];
}

export const FUNCTIONS = new Map<string, FunctionSpec>();

export function define(spec: FunctionSpec): void {
  FUNCTIONS.set(spec.name, spec);
}

/** Subject evaluator of a chained function (never null for position 'chain'). */
export function subj(s: Compiled | null): Evaluator {
  if (!s) throw new Error('missing subject');
  return s.ev;
}
