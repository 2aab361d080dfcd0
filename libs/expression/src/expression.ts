import { compileTemplate, lookupShape } from './el-compiler.js';
import { parseTemplate } from './el-parser.js';
import { zoneOf, type EvalContext, type HostInfo } from './el-types.js';
import { toStr } from './el-values.js';
import { ExpressionError } from './expression-error.js';
import type { ResultType } from './functions/function-table.js';

export type ExpressionResultType = ResultType;

export interface EvaluationEnvironment {
  readonly attributes: Readonly<Record<string, string>>;
  /** Values for #{name}. */
  readonly parameters?: Readonly<Record<string, string>>;
  /** Component state read by getStateValue. */
  readonly state?: Readonly<Record<string, string>>;
  /** Default time zone for dates; 'UTC' when absent. */
  readonly timeZone?: string;
  /** hostname()/ip()/thread() values; the lib never reads the OS itself. */
  readonly host?: HostInfo;
}

export interface CompiledExpression {
  readonly text: string;
  /** True when the text has no ${...} or #{...}: evaluate() returns a constant. */
  readonly isLiteral: boolean;
  /** Attribute names the expression reads (for completion and docs). */
  readonly referencedAttributes: readonly string[];
  /**
   * The type the value evaluates to, known without evaluating it (NiFi's result type): the return type of a
   * value that is one expression, `String` when there is text around it. `Any` when it depends on the data.
   */
  readonly resultType: ExpressionResultType;
  /** Property-value semantics: null pieces render "". Throws ExpressionError (phase 'evaluate'). */
  evaluate(env: EvaluationEnvironment): string;
}

const CACHE_LIMIT = 2000;
const cache = new Map<string, CompiledExpression>();

function wrapError(e: unknown): ExpressionError {
  if (e instanceof ExpressionError) return e;
  const msg = e instanceof Error ? e.message : String(e);
  return new ExpressionError(msg, 'evaluate');
}

function build(text: string): CompiledExpression {
  let t;
  try {
    t = compileTemplate(text);
  } catch (e) {
    if (e instanceof ExpressionError) throw e;
    throw new ExpressionError(e instanceof Error ? e.message : String(e), 'compile');
  }
  const run = t.evaluate;
  const only = t.single;
  return {
    text,
    isLiteral: t.isLiteral,
    referencedAttributes: Object.freeze([...t.referencedAttributes]),
    resultType: t.resultType,
    // One expression (the common case) is called directly: the per-evaluation cost is mostly calls.
    evaluate: only
      ? (env: EvaluationEnvironment): string => {
          try {
            const v = only(env as EvalContext);
            return typeof v === 'string' ? v : (toStr(v, zoneOf(env as EvalContext)) ?? '');
          } catch (e) {
            throw wrapError(e);
          }
        }
      : (env: EvaluationEnvironment): string => {
          try {
            return run(env as EvalContext);
          } catch (e) {
            throw wrapError(e);
          }
        },
  };
}

/** Compiles a property value (literal text with ${...} expressions); LRU-cached by text. */
export function compileExpression(text: string): CompiledExpression {
  const hit = cache.get(text);
  if (hit) {
    cache.delete(text);
    cache.set(text, hit);
    return hit;
  }
  const compiled = build(text);
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(text, compiled);
  return compiled;
}

export function evaluateExpression(text: string, env: EvaluationEnvironment): string {
  return compileExpression(text).evaluate(env);
}

/** For validateConfig's `checkExpression` option: null when the text compiles. */
export function checkExpression(text: string): { message: string; line: number; column: number } | null {
  try {
    compileExpression(text);
    return null;
  } catch (e) {
    const err = wrapError(e);
    return { message: err.message, line: err.line ?? 1, column: err.column ?? 1 };
  }
}

export interface ExpressionSegment {
  readonly text: string;
  /** True for one top-level `${...}`; false for the literal text between them (which may hold `#{param}`). */
  readonly expression: boolean;
}

/**
 * Splits a property value into its top-level expressions and the raw text around them, so a caller can treat each
 * expression's result differently from the literal text (NiFi's AttributeValueDecorator: ReplaceText and
 * RouteOnContent quote what expressions return inside a regular expression).
 */
export function expressionSegments(text: string): ExpressionSegment[] {
  let parts;
  try {
    parts = parseTemplate(text, lookupShape, true);
  } catch (e) {
    throw e instanceof ExpressionError ? e : new ExpressionError(e instanceof Error ? e.message : String(e), 'compile');
  }
  const out: ExpressionSegment[] = [];
  let at = 0;
  for (const p of parts) {
    if (p.k !== 'expr') continue;
    if (p.start > at) out.push({ text: text.slice(at, p.start), expression: false });
    out.push({ text: text.slice(p.start, p.end), expression: true });
    at = p.end;
  }
  if (at < text.length) out.push({ text: text.slice(at), expression: false });
  return out;
}
