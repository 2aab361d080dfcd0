import jexlPkg from 'jexl';
import './el-compiler.js';
import { ElDate, ElInstant, type EvalContext, type Value } from './el-types.js';
import { toStr } from './el-values.js';
import { ExpressionError } from './expression-error.js';
import { FUNCTIONS, type Compiled, type FunctionSpec } from './functions/function-table.js';

const { Jexl } = jexlPkg;

export interface CompiledRecordExpression {
  readonly text: string;
  /** Evaluates against one JSON row (`row`), with FlowFile attributes available as `attributes` and `attr(name)`. */
  evaluate(row: unknown, attributes?: Readonly<Record<string, string>>): unknown;
}

const NO_ATTRIBUTES: Readonly<Record<string, string>> = Object.freeze({});
// jexl functions cannot see the evaluation context; evaluation is synchronous, so a module slot is safe.
let currentAttributes: Readonly<Record<string, string>> = NO_ATTRIBUTES;

function toEl(v: unknown): Value {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isInteger(v) && Number.isSafeInteger(v) ? BigInt(v) : v;
  if (typeof v === 'string' || typeof v === 'boolean' || typeof v === 'bigint') return v;
  if (v instanceof ElDate || v instanceof ElInstant) return v;
  return JSON.stringify(v);
}

function fromEl(v: Value): unknown {
  if (typeof v === 'bigint') return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
  if (v instanceof ElDate || v instanceof ElInstant) return toStr(v, 'UTC');
  return v;
}

const constant = (v: unknown): Compiled => {
  const value = toEl(v);
  return { ev: () => value, isConst: true, value };
};

function invoke(spec: FunctionSpec, subject: unknown, args: unknown[], hasSubject: boolean): unknown {
  if (args.length < spec.minArgs || args.length > spec.maxArgs) {
    throw new ExpressionError(`${spec.name}: takes ${spec.minArgs}..${spec.maxArgs} arguments, got ${args.length}`, 'evaluate', { functionName: spec.name });
  }
  const site = {
    name: spec.name,
    fail: (m: string): never => {
      throw new ExpressionError(`${spec.name}: ${m}`, 'evaluate', { functionName: spec.name });
    },
  };
  const ctx: EvalContext = { attributes: currentAttributes };
  const ev = spec.build(hasSubject ? constant(subject) : null, args.map(constant), site);
  return fromEl(ev(ctx));
}

function createJexl(): InstanceType<typeof Jexl> {
  const jexl = new Jexl();
  for (const spec of FUNCTIONS.values()) {
    if (spec.selector || spec.reducer) continue;
    if (spec.position !== 'head') jexl.addTransform(spec.name, (val: unknown, ...args: unknown[]) => invoke(spec, val, args, true));
    if (spec.position !== 'chain') jexl.addFunction(spec.name, (...args: unknown[]) => invoke(spec, undefined, args, false));
  }
  jexl.addFunction('attr', (name: unknown) => {
    const v = currentAttributes[String(name)];
    return typeof v === 'string' ? v : null;
  });
  return jexl;
}

let shared: InstanceType<typeof Jexl> | undefined;
const cache = new Map<string, CompiledRecordExpression>();

/**
 * Compiles a jexl expression over a JSON row, e.g. `row.stock > 0 && row.sku|startsWith("A")`. Every NiFi EL
 * function is a transform (`value|name(args)`); subjectless ones (`literal`, `now`, `UUID`...) and `attr(name)` are
 * functions. Transform arguments are evaluated eagerly, so use `cond ? a : b` rather than `|ifElse`.
 */
export function compileRecordExpression(text: string): CompiledRecordExpression {
  const hit = cache.get(text);
  if (hit) return hit;
  shared ??= createJexl();
  let expr: ReturnType<InstanceType<typeof Jexl>['compile']>;
  try {
    expr = shared.compile(text);
  } catch (e) {
    throw new ExpressionError(`invalid record expression '${text}': ${(e as Error).message}`, 'compile');
  }
  const compiled: CompiledRecordExpression = {
    text,
    evaluate(row: unknown, attributes: Readonly<Record<string, string>> = NO_ATTRIBUTES): unknown {
      const saved = currentAttributes;
      currentAttributes = attributes;
      try {
        return expr.evalSync({ row, attributes });
      } catch (e) {
        if (e instanceof ExpressionError) throw e;
        const msg = (e as Error).message.replace(/^(Error: )+/, '');
        throw new ExpressionError(`record expression '${text}' failed: ${msg}`, 'evaluate');
      } finally {
        currentAttributes = saved;
      }
    },
  };
  if (cache.size > 1000) cache.clear();
  cache.set(text, compiled);
  return compiled;
}
