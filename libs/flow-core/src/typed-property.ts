import { keepsEmptyText, type FlowFile, type PropertyDescriptor, type PropertyValue } from '@sluice/flow-api';

/**
 * Reads a declared property as its type, the one way `ProcessContext.get` does it. `value` is the property's
 * value (configured, else its default); `fallback` the descriptor default alone, used when a non-text value is
 * empty. Text types keep an empty value: it is what the user set.
 */
export function readTyped(
  descriptor: PropertyDescriptor,
  value: PropertyValue,
  fallback: PropertyValue | undefined,
  flowFile?: FlowFile | null,
  extra?: Readonly<Record<string, string>>,
  state?: Readonly<Record<string, string>>,
): unknown {
  const evaluates = (descriptor.expressionScope ?? 'none') !== 'none';
  let v = evaluates ? value.evaluate(flowFile, extra, state) : value;
  if (!keepsEmptyText(descriptor.type) && !v.isSet() && fallback?.isSet()) v = evaluates ? fallback.evaluate(flowFile, extra, state) : fallback;
  const set = keepsEmptyText(descriptor.type) ? v.raw !== undefined : v.isSet();
  if (!set) {
    if (descriptor.type === 'dict') return {};
    if (descriptor.required && !descriptor.dependsOn?.length) throw new Error(`${descriptor.displayName} is required`);
    return undefined;
  }
  switch (descriptor.type) {
    case 'integer':
      return v.asInteger();
    case 'number':
      return v.asNumber();
    case 'boolean':
      return v.asBoolean();
    case 'duration':
      return v.asDuration();
    case 'dataSize':
      return v.asDataSize();
    case 'json':
      return v.asJson();
    case 'dict':
      return v.asDict();
    case 'enum': {
      const allowed = descriptor.allowableValues ?? [];
      if (!allowed.some((a) => a.value === v.raw)) {
        throw new Error(`${descriptor.displayName}: '${v.raw}' is not one of ${allowed.map((a) => a.value).join(', ')}`);
      }
      return v.raw;
    }
    default:
      return v.raw;
  }
}

/** The processor's own descriptor for a handle; a handle it does not declare (or declares as another type) is a bug. */
export function declaredFor(owner: string, properties: readonly PropertyDescriptor[], handle: PropertyDescriptor): PropertyDescriptor {
  const d = properties.find((p) => p.name === handle.name);
  if (!d) throw new Error(`${owner} does not declare the property '${handle.name}' (it has: ${properties.map((p) => p.name).join(', ') || 'none'})`);
  if (d.type !== handle.type) throw new Error(`${owner} declares '${handle.name}' as ${d.type}, read as ${handle.type}`);
  return d;
}
