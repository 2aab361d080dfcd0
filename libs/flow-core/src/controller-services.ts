import {
  validateControllerService,
  type ComponentLog,
  type ControllerServiceDefinition,
  type ControllerServiceLookup,
  type ControllerServiceSummary,
  type LogLevel,
  type PropertyHandle,
  type PropertyRead,
  type ValidateOptions,
} from '@sluice/flow-api';
import { checkExpression } from '@sluice/expression';
import { StandardPropertyValue } from './standard-process-context.js';
import { declaredFor, readTyped } from './typed-property.js';
import { substituteParameters } from '@sluice/flow-api';

/** A controller service as a flow document defines it. */
export interface GraphControllerService {
  id: string;
  type: string;
  name: string;
  properties: Record<string, string>;
  enabled: boolean;
  /** The parameters the service sees when they are not the flow's (a service of a process group inherits them). */
  parameters?: Record<string, string>;
}

export type ControllerServiceRegistry = (type: string) => ControllerServiceDefinition | undefined;

export interface ServiceIssue {
  serviceId: string;
  property: string | null;
  message: string;
  /** `required`: a value is still missing; `invalid`: a value or the type is wrong; `structure`: a duplicate id. */
  code?: 'required' | 'invalid' | 'structure';
}

/** Validates every service of a flow: the issues of each, and the summary processors' references are checked against. */
export function summarizeControllerServices(
  services: readonly GraphControllerService[],
  registry: ControllerServiceRegistry,
  parameters: Readonly<Record<string, string>>,
  options: Pick<ValidateOptions, 'checkExpression'> = { checkExpression },
): { summaries: Map<string, ControllerServiceSummary>; issues: ServiceIssue[] } {
  const summaries = new Map<string, ControllerServiceSummary>();
  const issues: ServiceIssue[] = [];
  for (const s of services) {
    if (summaries.has(s.id)) {
      issues.push({ serviceId: s.id, property: null, message: `Another controller service has the id '${s.id}'`, code: 'structure' });
      continue;
    }
    const def = registry(s.type);
    if (!def) {
      const message = `This server has no controller service type '${s.type}'`;
      issues.push({ serviceId: s.id, property: null, message, code: 'invalid' });
      summaries.set(s.id, { id: s.id, name: s.name, type: s.type, implements: [], enabled: s.enabled, invalid: message });
      continue;
    }
    const found = validateControllerService(def, s.properties, { ...options, parameters: s.parameters ?? parameters });
    for (const r of found) issues.push({ serviceId: s.id, property: r.property, message: r.message, code: r.code ?? 'invalid' });
    summaries.set(s.id, { id: s.id, name: s.name, type: s.type, implements: def.descriptor.implements, enabled: s.enabled, invalid: found[0]?.message });
  }
  return { summaries, issues };
}

/**
 * Enables the flow's valid, enabled services (NiFi's @OnEnabled), once per engine. A service whose `enable`
 * throws stays disabled and is reported; processors that name it then fail with a message saying so.
 */
export function enableControllerServices(
  services: readonly GraphControllerService[],
  registry: ControllerServiceRegistry,
  summaries: ReadonlyMap<string, ControllerServiceSummary>,
  parameters: Readonly<Record<string, string>>,
  onLog: (service: GraphControllerService, level: LogLevel, message: string) => void,
): { lookup: ControllerServiceLookup; failures: ServiceIssue[] } {
  const enabled = new Map<string, { type: string; implements: readonly string[]; instance: unknown }>();
  const failures: ServiceIssue[] = [];
  for (const s of services) {
    const summary = summaries.get(s.id);
    const def = registry(s.type);
    if (!def || !summary || summary.invalid || !s.enabled || enabled.has(s.id)) continue;
    const params = s.parameters ?? parameters;
    const values = new Map<string, StandardPropertyValue>();
    const defaults = new Map<string, StandardPropertyValue>();
    for (const p of def.descriptor.properties) {
      let raw = s.properties[p.name] ?? p.default;
      const scope = p.expressionScope ?? 'none';
      const withParameters = (text: string) => (scope === 'none' ? substituteParameters(text, params).text : text);
      if (raw !== undefined) raw = withParameters(raw);
      values.set(p.name, new StandardPropertyValue(raw, p.displayName, scope, params));
      if (p.default !== undefined) defaults.set(p.name, new StandardPropertyValue(withParameters(p.default), p.displayName, scope, params));
    }
    const log: ComponentLog = {
      debug: (m) => onLog(s, 'debug', m),
      info: (m) => onLog(s, 'info', m),
      warn: (m) => onLog(s, 'warn', m),
      error: (m) => onLog(s, 'error', m),
    };
    try {
      const instance = def.enable({
        serviceId: s.id,
        serviceName: s.name,
        // Services take no user-added properties: an undeclared name is a bug, not an unset value.
        property: (name) => {
          const v = values.get(name);
          if (!v) throw new Error(`${def.descriptor.type} has no property '${name}' (it has: ${def.descriptor.properties.map((p) => p.name).join(', ')})`);
          return v;
        },
        get: <H extends PropertyHandle>(handle: H) => {
          const d = declaredFor(def.descriptor.type, def.descriptor.properties, handle);
          return readTyped(d, values.get(d.name)!, defaults.get(d.name)) as PropertyRead<H>;
        },
        log,
      });
      enabled.set(s.id, { type: s.type, implements: def.descriptor.implements, instance });
    } catch (e) {
      failures.push({ serviceId: s.id, property: null, message: `${s.name}: could not be enabled: ${(e as Error).message}` });
    }
  }
  return { lookup: { get: (id) => enabled.get(id) }, failures };
}
