import { checkExpression } from '@sluice/expression';
import { relationshipsFor, validateConfig, type ProcessorDescriptor, type ValidationResult } from '@sluice/flow-api';
import type { ProcessorData } from './flow-model.js';

/**
 * Everything that keeps a processor from starting, as the browser can tell: property checks from the shared
 * validateConfig, plus the graph rules (every relationship connected or auto-terminated, input when required).
 */
export function processorIssues(
  descriptor: ProcessorDescriptor | undefined,
  data: ProcessorData,
  connected: ReadonlySet<string>,
  hasIncoming: boolean,
): ValidationResult[] {
  if (!descriptor) return [{ property: null, message: `Unknown processor type '${data.type}'`, code: 'invalid' }];
  const out = validateConfig(descriptor, data.properties, { checkExpression });
  for (const r of relationshipsFor(descriptor, data.properties)) {
    if (!connected.has(r.name) && !data.autoTerminated.includes(r.name)) {
      out.push({ property: null, message: `Relationship '${r.name}' is neither connected nor auto-terminated`, code: 'required' });
    }
  }
  if (descriptor.inputRequirement === 'required' && !hasIncoming) {
    out.push({ property: null, message: 'Needs an incoming connection', code: 'required' });
  }
  if (descriptor.inputRequirement === 'forbidden' && hasIncoming) {
    out.push({ property: null, message: 'Takes no incoming connections', code: 'invalid' });
  }
  return out;
}
