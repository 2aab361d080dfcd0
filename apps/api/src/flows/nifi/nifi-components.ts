import type { ControllerServiceConfig, ImportReportEntry, ProcessorConfig, Scheduling } from '@sluice/contracts';
import { migrateProperties, parseDuration, relationshipsFor, type ControllerServiceDefinition, type ProcessorDefinition, type PropertyConfiguration } from '@sluice/flow-api';
import { getControllerService, getProcessor } from '@sluice/processors';
import { isHarmlessNifiDefault, migrateServiceProperties, sluiceProcessorType, sluiceServiceType } from './nifi-catalogue.js';
import type { NifiControllerService, NifiProcessor } from './nifi-definition.js';

/** Collects what could not be carried over; one entry per component, or per property of an imported one. */
export class ImportReport {
  readonly entries: ImportReportEntry[] = [];

  add(nifiId: string, type: string, name: string | null | undefined, reason: string, property?: string): void {
    this.entries.push({ nifiId, type, ...(name ? { name } : {}), ...(property ? { property } : {}), reason });
  }

  private readonly keys = new Set<string>();

  /** Adds the entry the first time `key` is seen (a context several groups use is reported once). */
  once(key: string, nifiId: string, type: string, name: string | null | undefined, reason: string, property?: string): void {
    if (this.keys.has(key)) return;
    this.keys.add(key);
    this.add(nifiId, type, name, reason, property);
  }
}

/** A name Sluice accepts (visible, at most 200 characters), from whatever NiFi had. */
export function visibleName(name: string | null | undefined, fallback: string): string {
  const cleaned = (name ?? '').replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim().slice(0, 200).trim();
  return cleaned || fallback;
}

export const simpleName = (className: string) => className.slice(className.lastIndexOf('.') + 1);

const STRATEGIES: Readonly<Record<string, Scheduling['strategy']>> = { TIMER_DRIVEN: 'timer', CRON_DRIVEN: 'cron', EVENT_DRIVEN: 'event', PRIMARY_NODE_ONLY: 'timer' };
const MAX_TASKS = 64;

type Described = ProcessorDefinition | ControllerServiceDefinition;

/**
 * A component's NiFi properties under Sluice's names. Null values are unset (as NiFi writes them). A name the
 * Sluice type does not have is kept as a user-added property when the type takes them and NiFi marked it dynamic;
 * otherwise it is left out, reported unless it holds NiFi's default for it (see isHarmlessNifiDefault).
 */
function mapProperties(
  nifiId: string,
  nifiType: string,
  name: string,
  definition: Described,
  migrate: (config: PropertyConfiguration) => void,
  properties: Record<string, string | null> | null | undefined,
  descriptors: Record<string, { dynamic?: boolean | null }> | null | undefined,
  report: ImportReport,
): Record<string, string> {
  const set: Record<string, string> = {};
  for (const [k, v] of Object.entries(properties ?? {})) if (v !== null && v !== undefined) set[k] = v;
  const migrated = migrateProperties({ descriptor: definition.descriptor, migrateProperties: migrate } as unknown as ProcessorDefinition, set);
  const oldName = new Map(Object.entries(migrated.renamed).map(([from, to]) => [to, from]));
  const known = new Set(definition.descriptor.properties.map((p) => p.name));
  const takesDynamic = definition.descriptor.dynamicProperties !== undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(migrated.properties)) {
    if (known.has(k)) {
      out[k] = v;
      continue;
    }
    const nifiDescriptor = descriptors?.[oldName.get(k) ?? k];
    // NiFi 1.x wrote no `dynamic` flag: a property it does not describe as static is taken as user-added.
    const dynamic = nifiDescriptor?.dynamic ?? true;
    if (takesDynamic && dynamic) out[k] = v;
    else if (!isHarmlessNifiDefault(definition.descriptor.type, k, v)) report.add(nifiId, nifiType, name, `Sluice's ${definition.descriptor.type} has no property '${k}'; its value '${v}' was left out`, k);
  }
  return out;
}

/** A NiFi processor as a Sluice one (in `groupId`), or null (reported) when Sluice has no such processor. */
export function mapProcessor(p: NifiProcessor, groupId: string | undefined, report: ImportReport): ProcessorConfig | null {
  const sluiceType = sluiceProcessorType(p.type);
  const definition = sluiceType ? getProcessor(sluiceType) : undefined;
  if (!definition) {
    report.add(p.identifier, p.type, p.name, `Sluice has no processor of type ${simpleName(p.type)}: it was left out, with its connections`);
    return null;
  }
  const name = visibleName(p.name, definition.descriptor.displayName);
  const properties = mapProperties(p.identifier, p.type, name, definition, (c) => definition.migrateProperties?.(c), p.properties, p.propertyDescriptors, report);
  const scheduling = mapScheduling(p, definition, name, report);
  const relationships = new Set(relationshipsFor(definition.descriptor, properties).map((r) => r.name));
  const autoTerminated: string[] = [];
  for (const r of p.autoTerminatedRelationships ?? []) {
    if (relationships.has(r)) autoTerminated.push(r);
    else report.add(p.identifier, p.type, name, `Sluice's ${definition.descriptor.type} has no relationship '${r}' to auto-terminate`, 'autoTerminatedRelationships');
  }
  if (p.annotationData) {
    report.add(p.identifier, p.type, name, `the processor's advanced configuration (annotation data, such as UpdateAttribute's rules) is not supported and was left out`, 'annotationData');
  }
  if (p.retriedRelationships?.length) {
    report.add(p.identifier, p.type, name, `NiFi's retry of relationships (${p.retriedRelationships.join(', ')}) is not supported: route them through RetryFlowFile`, 'retriedRelationships');
  }
  if (p.executionNode && p.executionNode !== 'ALL') {
    report.add(p.identifier, p.type, name, `execution on the ${p.executionNode.toLowerCase()} node only is not supported: it runs on every node that runs the flow`, 'executionNode');
  }
  if (p.scheduledState === 'DISABLED') {
    report.add(p.identifier, p.type, name, 'the processor was disabled in NiFi; Sluice has no disabled state, so it runs when the flow starts unless it is stopped', 'scheduledState');
  }
  if (p.bulletinLevel && !['WARN', 'WARNING'].includes(p.bulletinLevel)) {
    report.add(p.identifier, p.type, name, `the bulletin level ${p.bulletinLevel} is not supported: Sluice keeps warnings and errors`, 'bulletinLevel');
  }
  return {
    id: p.identifier,
    type: definition.descriptor.type,
    name,
    position: p.position ? { x: p.position.x, y: p.position.y } : { x: 0, y: 0 },
    properties,
    scheduling,
    autoTerminated,
    ...(p.comments ? { comments: p.comments } : {}),
    ...(groupId ? { groupId } : {}),
  };
}

function mapScheduling(p: NifiProcessor, definition: ProcessorDefinition, name: string, report: ImportReport): Scheduling {
  const nifiStrategy = p.schedulingStrategy ?? 'TIMER_DRIVEN';
  let strategy = STRATEGIES[nifiStrategy];
  if (!strategy) {
    report.add(p.identifier, p.type, name, `the scheduling strategy ${nifiStrategy} is not supported: it runs timer driven`, 'schedulingStrategy');
    strategy = 'timer';
  }
  if (nifiStrategy === 'PRIMARY_NODE_ONLY') report.add(p.identifier, p.type, name, 'primary node only scheduling is not supported: it runs timer driven on every node', 'schedulingStrategy');
  const requested = p.concurrentlySchedulableTaskCount ?? 1;
  const concurrentTasks = Math.min(MAX_TASKS, Math.max(1, Math.floor(requested)));
  if (concurrentTasks !== requested) report.add(p.identifier, p.type, name, `${requested} concurrent tasks is outside Sluice's 1 to ${MAX_TASKS}: it runs ${concurrentTasks}`, 'concurrentlySchedulableTaskCount');
  const period = p.schedulingPeriod ?? (strategy === 'cron' ? '' : '0 sec');
  return {
    strategy: strategy === 'event' ? 'event' : strategy,
    period: strategy === 'event' ? '0 sec' : period,
    concurrentTasks,
    penaltyDuration: p.penaltyDuration ?? '30 sec',
    yieldDuration: p.yieldDuration ?? '1 sec',
    ...runDuration(definition, p.runDurationMillis),
  };
}

/**
 * Only processors that batch have a run duration, in NiFi as in Sluice (NiFi writes 0 for the others). The
 * processor's own default stays unset, so it follows the processor.
 */
function runDuration(definition: ProcessorDefinition, ms: number | null | undefined): Pick<Scheduling, 'runDuration'> {
  const fallback = definition.descriptor.defaultRunDuration;
  if (fallback === undefined || typeof ms !== 'number' || ms === parseDuration(fallback)) return {};
  return { runDuration: `${ms} ms` };
}

/** A NiFi controller service as a Sluice one (scoped to `groupId`), or null (reported) when Sluice has no such type. */
export function mapControllerService(s: NifiControllerService, groupId: string | undefined, report: ImportReport): ControllerServiceConfig | null {
  const sluiceType = sluiceServiceType(s.type) ?? simpleName(s.type);
  const definition = sluiceServiceType(s.type) ? getControllerService(sluiceType) : undefined;
  if (!definition) {
    report.add(s.identifier, s.type, s.name, `Sluice has no controller service of type ${simpleName(s.type)}: it was left out, and processors naming it need another`);
    return null;
  }
  const name = visibleName(s.name, definition.descriptor.displayName);
  const properties = mapProperties(s.identifier, s.type, name, definition, (c) => migrateServiceProperties(sluiceType, c), s.properties, s.propertyDescriptors, report);
  return {
    id: s.identifier,
    type: definition.descriptor.type,
    name,
    properties,
    // NiFi exports services DISABLED or ENABLED as they were; a flow imported into Sluice starts with them usable.
    enabled: true,
    ...(s.comments ? { comments: s.comments } : {}),
    ...(groupId ? { groupId } : {}),
  };
}
