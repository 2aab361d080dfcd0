/** Chainr: validate and build every step of a chain spec up front, then run the steps in order. */
import { JoltSpecError, JoltTransformError, type JoltWarning } from './errors.js';
import { isObject } from './json.js';
import { Coverage, unmatchedSpec } from './report.js';
import { compileShift, type CompiledOperation } from './shift.js';
import { compileSort } from './sort.js';
import { compileDefault } from './default.js';
import { compileRemove } from './remove.js';
import { compileCardinality } from './cardinality.js';
import { compileModify } from './modify.js';
import { fuseChain } from './chain-fusion.js';
import { splitFunction, type RegexCompiler } from './modify-functions.js';

export type CustomFunction = (...args: unknown[]) => unknown;

export interface CompileOptions {
  /** Extra modify functions, called with the evaluated arguments; returning `undefined` means "no value". */
  readonly customFunctions?: Record<string, CustomFunction>;
  /**
   * Modify functions that return a Java double (`divide`, `toDouble`, `avg`, ...) give `JavaDouble` for integral
   * values, so `stringifyJson` writes `4.0` as Jolt does. Off by default: results are plain numbers.
   */
  readonly javaDoubles?: boolean;
  /**
   * Compiles the patterns of `split` (JavaScript syntax by default). A host running user specifications passes one
   * that refuses patterns that could backtrack without end: a spec writing one does not compile.
   */
  readonly regex?: RegexCompiler;
}

export interface CompiledChain {
  transform(input: unknown, context?: unknown): unknown;
  /** Same output plus what the chain did not use: input paths no spec path matched, spec paths that matched nothing. */
  transformWithReport(input: unknown, context?: unknown): { output: unknown; warnings: JoltWarning[] };
  /** Runs steps `from` (inclusive) to `to` (exclusive), as Jolt's partial runs. */
  transformRange(input: unknown, from: number, to: number, context?: unknown): unknown;
  readonly operations: readonly string[];
}

type Builder = (spec: unknown, where: string, options: CompileOptions) => CompiledOperation;

const builders = new Map<string, { name: string; needsSpec: boolean; build: Builder }>();

/** Registers an operation under its short name and its Jolt class name. */
export function registerOperation(name: string, javaClass: string, needsSpec: boolean, build: Builder): void {
  const entry = { name, needsSpec, build };
  builders.set(name, entry);
  builders.set(javaClass, entry);
}

registerOperation('shift', 'com.bazaarvoice.jolt.Shiftr', true, (spec, where) => compileShift(spec, where));
registerOperation('sort', 'com.bazaarvoice.jolt.Sortr', false, () => compileSort());
registerOperation('default', 'com.bazaarvoice.jolt.Defaultr', true, (spec, where) => compileDefault(spec, where));
registerOperation('remove', 'com.bazaarvoice.jolt.Removr', true, (spec, where) => compileRemove(spec, where));
registerOperation('modify-overwrite-beta', 'com.bazaarvoice.jolt.Modifier$Overwritr', true, (spec, where, o) => compileModify(spec, where, 'overwrite', customOf(o), o.javaDoubles === true));
registerOperation('modify-default-beta', 'com.bazaarvoice.jolt.Modifier$Defaultr', true, (spec, where, o) => compileModify(spec, where, 'default', customOf(o), o.javaDoubles === true));
registerOperation('modify-define-beta', 'com.bazaarvoice.jolt.Modifier$Definr', true, (spec, where, o) => compileModify(spec, where, 'define', customOf(o), o.javaDoubles === true));
registerOperation('cardinality', 'com.bazaarvoice.jolt.CardinalityTransform', true, (spec, where) => compileCardinality(spec, where));

/** Custom functions receive the evaluated arguments as a JS argument list. */
function customOf(o: CompileOptions): Record<string, (args: unknown[]) => unknown> {
  const out: Record<string, (args: unknown[]) => unknown> = {};
  if (o.regex) out['split'] = splitFunction(o.regex);
  for (const [name, fn] of Object.entries(o.customFunctions ?? {})) {
    if (typeof fn !== 'function') throw new JoltSpecError('customFunctions', `custom function "${name}" is not a function`);
    out[name] = (args) => fn(...args);
  }
  return out;
}

/** Compiles one operation (short name or Jolt class name) with its spec. */
export function compileOperation(operation: string, spec: unknown, options: CompileOptions = {}, where = 'spec'): CompiledOperation {
  const b = builders.get(operation);
  if (!b) throw new JoltSpecError('operation', `unknown operation "${operation}"`);
  return b.build(spec, where, options);
}

export function compileChain(chain: unknown, options: CompileOptions = {}): CompiledChain {
  if (!Array.isArray(chain)) {
    throw new JoltSpecError('', `a Jolt chain must be a JSON array of {"operation", "spec"} entries, got ${chain === null ? 'null' : typeof chain}`);
  }
  if (chain.length === 0) throw new JoltSpecError('', 'a Jolt chain needs at least one operation');
  const steps: CompiledOperation[] = [];
  const names: string[] = [];
  chain.forEach((entry, i) => {
    const at = `[${i}]`;
    if (!isObject(entry)) throw new JoltSpecError(at, 'each chain entry must be an object with "operation" and "spec"');
    const op = entry['operation'];
    if (typeof op !== 'string' || op.trim() === '') throw new JoltSpecError(`${at}.operation`, '"operation" must be a non-blank string');
    if (op === 'com.bazaarvoice.jolt.Chainr') throw new JoltSpecError(`${at}.operation`, 'a chain cannot contain Chainr itself');
    const b = builders.get(op);
    if (!b && /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)+$/.test(op)) {
      throw new JoltSpecError(`${at}.operation`, `"${op}" names a Java class: custom transformation classes are not supported (use shift, default, remove, sort, cardinality or modify-*-beta)`);
    }
    if (!b) throw new JoltSpecError(`${at}.operation`, `unknown operation "${op}" (expected one of shift, default, remove, sort, cardinality, modify-overwrite-beta, modify-default-beta, modify-define-beta)`);
    if (b.needsSpec && !Object.prototype.hasOwnProperty.call(entry, 'spec')) throw new JoltSpecError(`${at}.spec`, `operation "${op}" needs a "spec"`);
    steps.push(b.build(entry['spec'], `${at}.spec`, options));
    names.push(b.name);
  });

  const runRange = (input: unknown, from: number, to: number, context: unknown): unknown => {
    let data = input;
    for (let i = from; i < to; i++) data = steps[i]!.run(data, context, null);
    return data;
  };
  // Whole runs take the fused passes; partial runs and reports go step by step.
  const fused = fuseChain(steps);

  return {
    operations: names,
    transform(input, context) {
      let data = input;
      for (let i = 0; i < fused.length; i++) data = fused[i]!.run(data, context, null);
      return data;
    },
    transformRange(input, from, to, context) {
      if (!Number.isInteger(from) || !Number.isInteger(to) || from < 0 || to > steps.length || to <= from) {
        throw new JoltTransformError(`invalid step range [${from}, ${to}) for a chain of ${steps.length} steps`);
      }
      return runRange(input, from, to, context);
    },
    transformWithReport(input, context) {
      const warnings: JoltWarning[] = [];
      let data = input;
      steps.forEach((step, i) => {
        const cov = new Coverage();
        const before = data;
        data = step.run(data, context, cov);
        if (step.reportsInput) cov.unmatchedInput(before, i, warnings);
        if (step.specRoot) unmatchedSpec(step.specRoot, cov.matched, i, warnings);
      });
      return { output: data, warnings };
    },
  };
}
