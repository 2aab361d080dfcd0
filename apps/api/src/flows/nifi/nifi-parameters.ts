import type { ImportReport } from './nifi-components.js';
import type { NifiParameterContext } from './nifi-definition.js';

export interface ContextValues {
  values: Record<string, string>;
  /** Names of the sensitive ones; NiFi exports them without a value, and so they stay, to be filled in. */
  sensitive: string[];
}

/**
 * The parameters a context gives, as NiFi resolves inheritance: its own parameters win, then each inherited context
 * in the order listed (an earlier one winning over a later one), recursively. A missing or cyclic inherited context is
 * reported once; the rest still resolves.
 */
export function parameterContextValues(name: string, contexts: ReadonlyMap<string, NifiParameterContext>, report: ImportReport): ContextValues {
  const values: Record<string, string> = {};
  const sensitive = new Set<string>();
  const visiting = new Set<string>();
  const visit = (contextName: string, from: string | undefined) => {
    const ctx = contexts.get(contextName);
    if (!ctx) {
      report.once(`context:${contextName}`, contextName, 'PARAMETER_CONTEXT', contextName, from ? `the parameter context '${from}' inherits '${contextName}', which the flow definition does not contain` : `the parameter context '${contextName}' is not in the flow definition: its parameters are missing`);
      return;
    }
    if (visiting.has(contextName)) {
      report.once(`cycle:${contextName}`, ctx.identifier ?? contextName, 'PARAMETER_CONTEXT', contextName, `the parameter context '${contextName}' inherits itself: the cycle was cut`);
      return;
    }
    visiting.add(contextName);
    for (const p of ctx.parameters ?? []) {
      if (Object.hasOwn(values, p.name)) continue;
      if (p.name === '__proto__') {
        report.once(`name:${contextName}`, ctx.identifier ?? contextName, 'PARAMETER_CONTEXT', contextName, "'__proto__' cannot be a parameter name: it was left out", p.name);
        continue;
      }
      values[p.name] = p.sensitive ? '' : (p.value ?? '');
      if (p.sensitive) sensitive.add(p.name);
      if (p.referencedAssets?.length) {
        report.once(`asset:${contextName}:${p.name}`, ctx.identifier ?? contextName, 'PARAMETER_CONTEXT', contextName, `the parameter '${p.name}' references uploaded assets, which are not supported: its value is empty`, p.name);
      }
    }
    for (const inherited of ctx.inheritedParameterContexts ?? []) visit(inherited, contextName);
    visiting.delete(contextName);
  };
  visit(name, undefined);
  return { values, sensitive: [...sensitive] };
}
