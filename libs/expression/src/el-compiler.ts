import { ElDate } from './el-types.js';
import type { EvalContext, Evaluator, Value } from './el-types.js';
import { zoneOf } from './el-types.js';
import { toStr } from './el-values.js';
import { compileError, ExpressionError, suggest } from './expression-error.js';
import { parseTemplate, type FunctionLookup, type FunctionShape, type Node, type TemplatePart } from './el-parser.js';
import { FUNCTIONS, type BuildSite, type Compiled, type FunctionSpec, type ResultType, type SegmentedEvaluator } from './functions/function-table.js';
import './functions/all.functions.js';
import { EXPRESSION_LIMITS } from './limits.js';

/** Functions whose result can be longer than their inputs; the rest cannot grow a string. */
const GROWS = new Set([
  'repeat', 'padLeft', 'padRight', 'append', 'prepend', 'replace', 'replaceAll', 'replaceFirst', 'replaceNull', 'replaceEmpty',
  'evaluateELString', 'escapeJson', 'escapeXml', 'escapeCsv', 'escapeHtml3', 'escapeHtml4', 'urlEncode', 'base64Encode',
  'jsonPathSet', 'jsonPathAdd', 'jsonPathPut',
]);

/** A growing function's result is checked before it can feed the next one. */
function bounded(name: string, ev: Evaluator): Evaluator {
  if (!GROWS.has(name)) return ev;
  const max = EXPRESSION_LIMITS.maxResultLength;
  const checked: Evaluator = (ctx) => {
    const v = ev(ctx);
    if (typeof v === 'string' && v.length > max) throw new ExpressionError(`${name}: result of ${v.length} characters exceeds the limit of ${max}`, 'evaluate');
    return v;
  };
  const segments = (ev as SegmentedEvaluator).segments;
  return segments ? Object.assign(checked, { segments }) : checked;
}

const EMPTY_CTX: EvalContext = { attributes: {} };

export const lookupShape: FunctionLookup = Object.assign(
  (name: string): FunctionShape | undefined => {
    const f = FUNCTIONS.get(name);
    return f ? { position: f.position } : undefined;
  },
  { suggest: (name: string) => suggest(name, FUNCTIONS.keys()) },
);

export interface CompiledTemplate {
  readonly isLiteral: boolean;
  readonly referencedAttributes: readonly string[];
  /** Property-value semantics: never null. */
  readonly evaluate: (ctx: EvalContext) => string;
  /** When the value is one expression: its evaluator (null and non-strings still to be rendered). */
  readonly single?: Evaluator;
  /** What the value evaluates to (NiFi's AttributeExpression.ResultType): text around or between expressions makes it a String. */
  readonly resultType: ResultType;
}

function nodeType(node: Node): ResultType {
  switch (node.k) {
    case 'call':
      return FUNCTIONS.get(node.name)?.returns ?? 'Any';
    case 'bool':
      return 'Boolean';
    case 'num':
      return typeof node.value === 'bigint' ? 'Whole Number' : 'Decimal';
    case 'null':
      return 'Any';
    default:
      return 'String';
  }
}

const attrGetter = (name: string): Evaluator => (ctx) => {
  const v = ctx.attributes[name];
  return typeof v === 'string' ? v : null;
};

const paramGetter = (name: string): Evaluator => (ctx) => {
  if (ctx.parametersDisabled || !ctx.parameters) return null;
  const v = ctx.parameters[name];
  return typeof v === 'string' ? v : null;
};

function constant(value: Value): Compiled {
  return { ev: () => value, isConst: true, value };
}

class Compiler {
  readonly refs = new Set<string>();
  constructor(
    readonly text: string,
    /** Offset added to error positions when compiling the inside of a string literal. */
    readonly errorAt: number | null = null,
  ) {}

  fail(pos: number, message: string, fn?: string): never {
    throw compileError(this.text, this.errorAt ?? pos, message, fn);
  }

  /** Compiles template parts into a nullable-string evaluator (null only for a lone null expression). */
  template(parts: readonly TemplatePart[]): { ev: (ctx: EvalContext) => string | null; isConst: boolean; value: string | null; single?: Evaluator } {
    const pieces: (string | Evaluator)[] = [];
    for (const p of parts) {
      if (p.k === 'text') {
        const last = pieces[pieces.length - 1];
        if (typeof last === 'string') pieces[pieces.length - 1] = last + p.text;
        else pieces.push(p.text);
      } else if (p.k === 'param') pieces.push(paramGetter(p.name));
      else {
        const c = this.node(p.node);
        pieces.push(c.isConst && !(c.value instanceof ElDate) ? toStr(c.value, 'UTC') ?? '' : c.ev);
      }
    }
    const merged: (string | Evaluator)[] = [];
    for (const p of pieces) {
      const last = merged[merged.length - 1];
      if (typeof p === 'string' && typeof last === 'string') merged[merged.length - 1] = last + p;
      else merged.push(p);
    }
    if (merged.length === 0) return { ev: () => '', isConst: true, value: '' };
    if (merged.length === 1) {
      const only = merged[0]!;
      if (typeof only === 'string') return { ev: () => only, isConst: true, value: only };
      return {
        ev: (ctx) => {
          const v = only(ctx);
          return typeof v === 'string' ? v : toStr(v, zoneOf(ctx));
        },
        isConst: false,
        value: null,
        single: only,
      };
    }
    if (merged.length === 2) {
      const [a, b] = merged as [string | Evaluator, string | Evaluator];
      if (typeof a === 'string' && typeof b !== 'string') return { ev: (ctx) => a + (toStr(b(ctx), zoneOf(ctx)) ?? ''), isConst: false, value: null };
      if (typeof a !== 'string' && typeof b === 'string') return { ev: (ctx) => (toStr(a(ctx), zoneOf(ctx)) ?? '') + b, isConst: false, value: null };
    }
    const arr = merged;
    return {
      ev: (ctx) => {
        let out = '';
        for (let i = 0; i < arr.length; i++) {
          const p = arr[i]!;
          if (typeof p === 'string') out += p;
          else {
            const v = p(ctx);
            if (v !== null) out += typeof v === 'string' ? v : (toStr(v, zoneOf(ctx)) ?? '');
          }
        }
        return out;
      },
      isConst: false,
      value: null,
    };
  }

  node(n: Node): Compiled {
    switch (n.k) {
      case 'num':
      case 'bool':
        return constant(n.value);
      case 'null':
        return constant(null);
      case 'str':
        return this.stringLiteral(n.value, n.pos);
      case 'attr':
        this.refs.add(n.name);
        return { ev: attrGetter(n.name), isConst: false, value: null, attribute: n.name };
      case 'param':
        return { ev: paramGetter(n.name), isConst: false, value: null };
      case 'dynAttr': {
        const name = this.node(n.name);
        if (name.isConst) {
          const s = toStr(name.value, 'UTC');
          if (s === null) return constant(null);
          this.refs.add(s);
          return { ev: attrGetter(s), isConst: false, value: null, attribute: s };
        }
        const nameEv = name.ev;
        return {
          ev: (ctx) => {
            const s = toStr(nameEv(ctx), zoneOf(ctx));
            if (s === null) return null;
            const v = ctx.attributes[s];
            return typeof v === 'string' ? v : null;
          },
          isConst: false,
          value: null,
        };
      }
      case 'call':
        return this.chain(n);
    }
  }

  private stringLiteral(value: string, pos: number): Compiled {
    if (!value.includes('${')) return constant(value);
    let parts: TemplatePart[];
    const inner = new Compiler(value, null);
    try {
      parts = parseTemplate(value, lookupShape, false);
    } catch (e) {
      if (e instanceof ExpressionError) this.fail(pos, `in string literal: ${e.message}`);
      throw e;
    }
    const t = inner.template(parts);
    for (const r of inner.refs) this.refs.add(r);
    return t.isConst ? constant(t.value) : { ev: t.ev, isConst: false, value: null };
  }

  private site(spec: FunctionSpec, pos: number): BuildSite {
    return { name: spec.name, fail: (message: string) => this.fail(pos, `${spec.name}: ${message}`, spec.name) };
  }

  private spec(name: string, pos: number): FunctionSpec {
    const spec = FUNCTIONS.get(name);
    if (!spec) {
      const s = suggest(name, FUNCTIONS.keys());
      throw compileError(this.text, this.errorAt ?? pos, `unknown function '${name}'`, name, s ? `; did you mean '${s}'?` : '');
    }
    return spec;
  }

  private args(spec: FunctionSpec, call: Node & { k: 'call' }): Compiled[] {
    const n = call.args.length;
    if (n < spec.minArgs || n > spec.maxArgs) {
      const want = spec.minArgs === spec.maxArgs ? `${spec.minArgs}` : spec.maxArgs === Infinity ? `at least ${spec.minArgs}` : `${spec.minArgs} to ${spec.maxArgs}`;
      this.fail(call.pos, `'${spec.name}' takes ${want} argument${want === '1' ? '' : 's'} but got ${n}; signature ${spec.signature}`, spec.name);
    }
    return call.args.map((a) => this.node(a));
  }

  private apply(spec: FunctionSpec, subject: Compiled | null, call: Node & { k: 'call' }): Compiled {
    const args = this.args(spec, call);
    const ev = bounded(spec.name, spec.build(subject, args, this.site(spec, call.pos)));
    if (spec.pure !== false && (subject === null || subject.isConst) && args.every((a) => a.isConst)) {
      try {
        return constant(ev(EMPTY_CTX));
      } catch {
        // evaluation errors stay evaluation errors: keep the evaluator
      }
    }
    const segments = (ev as SegmentedEvaluator).segments;
    return segments ? { ev, isConst: false, value: null, segments } : { ev, isConst: false, value: null };
  }

  private chain(n: Node & { k: 'call' }): Compiled {
    const calls: (Node & { k: 'call' })[] = [];
    let head: Node = n;
    while (head.k === 'call' && head.subject !== null) {
      calls.unshift(head);
      head = head.subject;
    }
    let cur: Compiled;
    if (head.k === 'call') {
      const spec = this.spec(head.name, head.pos);
      if (spec.selector) return this.selectorChain(spec, head, calls);
      if (spec.reducer) this.fail(head.pos, `'${spec.name}' must follow an allAttributes/allMatchingAttributes/allDelineatedValues selector`, spec.name);
      cur = this.apply(spec, null, head);
    } else {
      cur = this.node(head);
    }
    for (const c of calls) {
      const spec = this.spec(c.name, c.pos);
      if (spec.position === 'head') this.fail(c.pos, `'${spec.name}' takes no subject`, spec.name);
      if (spec.reducer) {
        // outside a selector a reducer sees the single subject value
        const reduce = spec.reduce!(this.args(spec, c), this.site(spec, c.pos));
        const inner = cur.ev;
        cur = { ev: (ctx) => reduce(ctx, [inner(ctx)]), isConst: false, value: null };
        continue;
      }
      cur = this.apply(spec, cur, c);
    }
    return cur;
  }

  private selectorChain(spec: FunctionSpec, head: Node & { k: 'call' }, calls: (Node & { k: 'call' })[]): Compiled {
    const args = this.args(spec, head);
    const site = this.site(spec, head.pos);
    if (spec.name === 'anyAttribute' || spec.name === 'allAttributes') {
      for (const a of args) {
        if (a.isConst && typeof a.value === 'string') this.refs.add(a.value);
      }
    }
    const select = spec.select!(args, site);
    const last = calls[calls.length - 1];
    if (!last) this.fail(head.pos, `'${spec.name}' must be followed by a Boolean function${spec.selector === 'all' ? ' or by join/count' : ''}`, spec.name);
    const lastSpec = this.spec(last.name, last.pos);
    const slot: { v: Value } = { v: null };
    let cur: Compiled = { ev: () => slot.v, isConst: false, value: null };
    const body = lastSpec.reducer ? calls.slice(0, -1) : calls;
    for (const c of body) {
      const s = this.spec(c.name, c.pos);
      if (s.position === 'head') this.fail(c.pos, `'${s.name}' takes no subject`, s.name);
      if (s.reducer) this.fail(c.pos, `'${s.name}' must be the last function of the chain`, s.name);
      cur = { ev: this.applyNoFold(s, cur, c), isConst: false, value: null };
    }
    const per = cur.ev;
    const run = (ctx: EvalContext, values: Value[]): Value[] => {
      const saved = slot.v;
      try {
        const out = values.length === 0 ? [null] : values;
        return out.map((v) => {
          slot.v = v;
          return per(ctx);
        });
      } finally {
        slot.v = saved;
      }
    };
    if (lastSpec.reducer) {
      if (spec.selector !== 'all') this.fail(last.pos, `'${lastSpec.name}' can only reduce an all... selector, not '${spec.name}'`, lastSpec.name);
      const rargs = this.args(lastSpec, last);
      const reduce = lastSpec.reduce!(rargs, this.site(lastSpec, last.pos));
      return {
        ev: (ctx) => reduce(ctx, run(ctx, select(ctx))),
        isConst: false,
        value: null,
      };
    }
    if (lastSpec.returns !== 'Boolean') {
      this.fail(last.pos, `a '${spec.name}' chain must end in a Boolean function${spec.selector === 'all' ? ', join or count' : ''}, not '${lastSpec.name}'`, lastSpec.name);
    }
    const isAny = spec.selector === 'any';
    return {
      ev: (ctx) => {
        const vals = run(ctx, select(ctx));
        return isAny ? vals.some((v) => v === true) : !vals.some((v) => v === false);
      },
      isConst: false,
      value: null,
    };
  }

  private applyNoFold(spec: FunctionSpec, subject: Compiled, call: Node & { k: 'call' }): Evaluator {
    const args = this.args(spec, call);
    return bounded(spec.name, spec.build(subject, args, this.site(spec, call.pos)));
  }
}

/** Compiles a whole property value. */
export function compileTemplate(text: string): CompiledTemplate {
  const parts = parseTemplate(text, lookupShape, true);
  const c = new Compiler(text);
  const t = c.template(parts);
  const hasDynamic = parts.some((p) => p.k !== 'text');
  const tev = t.ev;
  const only = t.single;
  // A value that is one expression (the common case) skips the template layer: one call less per evaluation.
  const evaluate = t.isConst
    ? ((v: string) => () => v)(t.value ?? '')
    : only
      ? (ctx: EvalContext) => {
          const v = only(ctx);
          return typeof v === 'string' ? v : (toStr(v, zoneOf(ctx)) ?? '');
        }
      : (ctx: EvalContext) => tev(ctx) ?? '';
  const first = parts[0];
  const resultType = parts.length === 1 && first!.k === 'expr' ? nodeType(first!.node) : 'String';
  return { isLiteral: !hasDynamic, referencedAttributes: [...c.refs], evaluate, resultType, ...(only && !t.isConst ? { single: only } : {}) };
}

/** Compiles the inside of one string, for evaluateELString (no parameters). */
export function compileNested(text: string): (ctx: EvalContext) => string {
  const parts = parseTemplate(text, lookupShape, true);
  const t = new Compiler(text).template(parts);
  const ev = t.ev;
  return (ctx) => ev(ctx) ?? '';
}
