import { zoneOf, type EvalContext, type Value } from '../el-types.js';
import { toStr } from '../el-values.js';
import { evalError } from '../expression-error.js';
import { compileJavaRegex, javaSplit } from '../java-regex.js';
import { define, type Compiled, type FunctionSpec } from './function-table.js';
import { strArg } from './helpers.js';

const noBuild: FunctionSpec['build'] = () => () => {
  throw new Error('selector evaluated outside a chain');
};

function namesSelector(name: string, selector: 'any' | 'all'): void {
  define({
    name,
    position: 'head',
    minArgs: 1,
    maxArgs: Infinity,
    returns: 'Any',
    selector,
    signature: `${name}('name1', 'name2', ...)`,
    description: `Runs the rest of the chain on each named attribute; ${selector === 'any' ? 'true if any' : 'true if all'} give true.`,
    build: noBuild,
    select: (args) => (ctx) =>
      args.map((a) => {
        const n = strArg(a, ctx);
        if (n === null) return null;
        const v = ctx.attributes[n];
        return typeof v === 'string' ? v : null;
      }),
  });
}
namesSelector('anyAttribute', 'any');
namesSelector('allAttributes', 'all');

function regexSelector(name: string, selector: 'any' | 'all'): void {
  define({
    name,
    position: 'head',
    minArgs: 1,
    maxArgs: Infinity,
    returns: 'Any',
    selector,
    signature: `${name}('regex1', 'regex2', ...)`,
    description: `Runs the rest of the chain on each attribute whose name fully matches a regex.`,
    build: noBuild,
    select: (args, site) => {
      const constRx = args.every((a) => a.isConst)
        ? args.map((a) => {
            try {
              return compileJavaRegex(String(a.value));
            } catch (e) {
              return site.fail((e as Error).message);
            }
          })
        : null;
      return (ctx) => {
        const rxs =
          constRx ??
          args.map((a) => {
            try {
              return compileJavaRegex(strArg(a, ctx) ?? '');
            } catch (e) {
              throw evalError(name, (e as Error).message);
            }
          });
        const out: Value[] = [];
        for (const key of Object.keys(ctx.attributes)) {
          if (rxs.some((r) => r.full.test(key))) out.push(ctx.attributes[key]!);
        }
        return out;
      };
    },
  });
}
regexSelector('anyMatchingAttribute', 'any');
regexSelector('allMatchingAttributes', 'all');

function delineatedSelector(name: string, selector: 'any' | 'all'): void {
  define({
    name,
    position: 'head',
    minArgs: 2,
    maxArgs: 2,
    returns: 'Any',
    selector,
    signature: `${name}(text, delimiterRegex)`,
    description: 'Runs the rest of the chain on each value of text split by the delimiter regex (Java String.split).',
    build: noBuild,
    select: ([t, d]) => (ctx) => {
      const text = strArg(t!, ctx);
      const delim = strArg(d!, ctx);
      if (text === null || delim === null) return [];
      try {
        return javaSplit(text, delim);
      } catch (e) {
        throw evalError(name, (e as Error).message);
      }
    },
  });
}
delineatedSelector('anyDelineatedValue', 'any');
delineatedSelector('allDelineatedValues', 'all');

define({
  name: 'join',
  position: 'chain',
  minArgs: 1,
  maxArgs: 1,
  returns: 'String',
  reducer: true,
  signature: 'join(delimiter) → String',
  description: 'Joins the values of an all... selector.',
  build: noBuild,
  reduce: ([d]: readonly Compiled[]) => (ctx: EvalContext, values: Value[]) => {
    const delim = strArg(d!, ctx) ?? '';
    return values.map((v) => toStr(v, zoneOf(ctx)) ?? '').join(delim);
  },
});
define({
  name: 'count',
  position: 'chain',
  minArgs: 0,
  maxArgs: 0,
  returns: 'Whole Number',
  reducer: true,
  signature: 'count() → Whole Number',
  description: 'Counts the values of an all... selector that are neither null nor false.',
  build: noBuild,
  reduce: () => (_ctx: EvalContext, values: Value[]) => BigInt(values.filter((v) => v !== null && v !== false).length),
});
