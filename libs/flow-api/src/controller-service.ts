import type { PropertyValue } from './context.js';
import type { PropertyHandle, PropertyRead } from './property-handle.js';
import type { ComponentLog } from './services.js';
import type { ValidationResult } from './processor.js';
import type { PropertyDescriptor, PropertyValues } from './property.js';
import { DescriptorError } from './processor.js';

/**
 * A controller service type (NiFi's model): configured once per flow, shared by the processors whose property
 * names it. `implements` lists the service APIs it offers (`RecordReaderFactory`, `RecordSetWriterFactory`);
 * a processor property with `identifiesControllerService` accepts services that implement that API.
 */
export interface ControllerServiceDescriptor {
  readonly type: string;
  readonly version: number;
  readonly displayName: string;
  readonly description: string;
  readonly implements: readonly string[];
  readonly tags: readonly string[];
  readonly properties: readonly PropertyDescriptor[];
  /** Services take no user-added properties; kept for the shared validator. */
  readonly dynamicProperties?: undefined;
}

/** What a service sees when it is enabled: its own configuration (flow parameters already applied) and a log. */
export interface ControllerServiceContext {
  readonly serviceId: string;
  readonly serviceName: string;
  property(name: string): PropertyValue;
  /** A declared property read as its type, as `ProcessContext.get` reads it (no FlowFile: services have none). */
  get<H extends PropertyHandle>(handle: H): PropertyRead<H>;
  readonly log: ComponentLog;
}

export interface ControllerServiceDefinition<T = unknown> {
  readonly descriptor: ControllerServiceDescriptor;
  /** Cross-property checks, run only after every single-property check passed, on `crossPropertyConfig`'s values. */
  validate?(config: PropertyValues): ValidationResult[];
  /** NiFi's @OnEnabled: builds the instance processors use. Throwing keeps the service from being enabled. */
  enable(context: ControllerServiceContext): T;
}

export function defineControllerService<T>(definition: ControllerServiceDefinition<T>): ControllerServiceDefinition<T> {
  const d = definition.descriptor;
  if (!/^[A-Z][A-Za-z0-9]*$/.test(d.type)) throw new DescriptorError(`controller service type '${d.type}' must be a PascalCase class name`);
  if (d.implements.length === 0) throw new DescriptorError(`${d.type}: a controller service implements at least one service API`);
  const names = new Set<string>();
  for (const p of d.properties) {
    if (names.has(p.name)) throw new DescriptorError(`${d.type}: duplicate property '${p.name}'`);
    names.add(p.name);
    if (p.type === 'enum' && !p.allowableValues?.length) throw new DescriptorError(`${d.type}.${p.name}: enum without allowable values`);
  }
  return Object.freeze(definition);
}

/** A service of the flow as validation sees it: what it is, whether it is enabled and whether its configuration is valid. */
export interface ControllerServiceSummary {
  readonly id: string;
  readonly name: string;
  readonly type: string;
  readonly implements: readonly string[];
  readonly enabled: boolean;
  /** First problem of its configuration (or an unknown type), when it has one. */
  readonly invalid?: string;
}

/**
 * Checks a property that names a controller service: the service must exist in the flow, offer the API the
 * property asks for, be valid and be enabled. Missing, invalid and disabled services keep the processor from
 * starting (the flow can still be saved, as in NiFi); a service of the wrong kind is a wrong value.
 */
export function checkServiceReference(
  p: PropertyDescriptor,
  value: string,
  services: ReadonlyMap<string, ControllerServiceSummary>,
): ValidationResult | null {
  const api = p.identifiesControllerService!;
  const s = services.get(value);
  const label = p.displayName;
  if (!s) return { property: p.name, message: `${label}: controller service '${value}' does not exist in this flow`, code: 'required' };
  // A service of an unknown type offers nothing: say so rather than call it the wrong kind.
  if (s.implements.length === 0 && s.invalid) return { property: p.name, message: `${label}: controller service '${s.name}' is of type '${s.type}', which this server does not have`, code: 'required' };
  if (!s.implements.includes(api)) {
    return { property: p.name, message: `${label}: controller service '${s.name}' is a ${s.type}, which is not a ${api}`, code: 'invalid' };
  }
  if (s.invalid) return { property: p.name, message: `${label}: controller service '${s.name}' is invalid: ${s.invalid}`, code: 'required' };
  if (!s.enabled) return { property: p.name, message: `${label}: controller service '${s.name}' is disabled`, code: 'required' };
  return null;
}

/** The enabled services a processor reaches through its properties. */
export interface ControllerServiceLookup {
  /** The enabled instance with this id, or undefined. */
  get(id: string): { readonly type: string; readonly implements: readonly string[]; readonly instance: unknown } | undefined;
}
