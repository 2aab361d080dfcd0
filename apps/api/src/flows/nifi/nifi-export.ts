import { connectionGroup, ROOT_GROUP, type FlowDocument, type NifiExportRefusalEntry } from '@sluice/contracts';
import { parseDuration, type PropertyDescriptor } from '@sluice/flow-api';
import { getControllerService, getProcessor } from '@sluice/processors';
import { NIFI_BUNDLE_VERSION, NIFI_GROUP, NIFI_SERVICE_APIS, nifiProcessorClass, nifiServiceClass, type NifiClass } from './nifi-catalogue.js';
import { UNLIMITED_DATA_SIZE, UNLIMITED_OBJECTS } from './nifi-import.js';

/** The processors and services of a flow that NiFi does not have (Integrator processors, Sluice's own). */
export function nonNifiComponents(doc: FlowDocument): NifiExportRefusalEntry[] {
  return [
    ...doc.processors.filter((p) => !nifiProcessorClass(p.type)).map((p) => ({ id: p.id, name: p.name, type: p.type })),
    ...doc.controllerServices.filter((s) => !nifiServiceClass(s.type)).map((s) => ({ id: s.id, name: s.name, type: s.type })),
  ];
}

const bundle = (c: NifiClass) => ({ group: NIFI_GROUP, artifact: c.artifact, version: NIFI_BUNDLE_VERSION });
const position = (p: { x: number; y: number } | undefined) => ({ x: p?.x ?? 0, y: p?.y ?? 0 });

/**
 * A flow document (secrets already stripped) as the NiFi flow definition "Download flow definition" writes, for a
 * flow of NiFi components only (see nonNifiComponents). `rootId` is the downloaded group's identifier. Groups with
 * parameters of their own get a parameter context that inherits their parent's, as Sluice's groups inherit.
 */
export function exportNifiFlow(doc: FlowDocument, rootId: string): Record<string, unknown> {
  const groupKey = (id: string | undefined) => (id === undefined || id === ROOT_GROUP ? rootId : id);
  const contexts: Record<string, unknown> = {};
  const contextOf = new Map<string, string | undefined>();
  const rootContext = Object.keys(doc.parameters).length ? doc.name : undefined;
  if (rootContext) contexts[rootContext] = parameterContext(rootContext, doc.parameters, doc.sensitiveParameters, []);
  contextOf.set(rootId, rootContext);
  const contextFor = (groupId: string): string | undefined => {
    if (contextOf.has(groupId)) return contextOf.get(groupId);
    const g = doc.processGroups.find((x) => x.id === groupId);
    if (!g) return rootContext;
    const parent = contextFor(groupKey(g.parentGroupId));
    let name = parent;
    if (Object.keys(g.parameters).length) {
      name = uniqueName(`${doc.name} / ${g.name}`, contexts);
      contexts[name] = parameterContext(name, g.parameters, g.sensitiveParameters, parent ? [parent] : []);
    }
    contextOf.set(groupId, name);
    return name;
  };

  const endType = (id: string) => {
    const port = doc.ports.find((p) => p.id === id);
    return port ? (port.kind === 'input' ? 'INPUT_PORT' : 'OUTPUT_PORT') : 'PROCESSOR';
  };
  const endGroup = (id: string) => groupKey(doc.processors.find((p) => p.id === id)?.groupId ?? doc.ports.find((p) => p.id === id)?.groupId);
  const endName = (id: string) => doc.processors.find((p) => p.id === id)?.name ?? doc.ports.find((p) => p.id === id)?.name ?? id;
  const end = (id: string) => ({ id, type: endType(id), groupId: endGroup(id), name: endName(id), comments: '', instanceIdentifier: id });

  const group = (id: string, name: string, comments: string, pos: { x: number; y: number }, parentId: string | undefined): Record<string, unknown> => {
    const inGroup = <T extends { groupId?: string }>(list: readonly T[]) => list.filter((x) => groupKey(x.groupId) === id);
    const context = contextFor(id);
    return {
      identifier: id,
      instanceIdentifier: id,
      name,
      comments,
      position: pos,
      processGroups: doc.processGroups.filter((g) => groupKey(g.parentGroupId) === id).map((g) => group(g.id, g.name, g.comments ?? '', position(g.position), id)),
      remoteProcessGroups: [],
      processors: inGroup(doc.processors).map((p) => processor(p, id)),
      inputPorts: inGroup(doc.ports).filter((p) => p.kind === 'input').map((p) => port(p, id)),
      outputPorts: inGroup(doc.ports).filter((p) => p.kind === 'output').map((p) => port(p, id)),
      connections: doc.connections
        .filter((c) => groupKey(connectionGroup(doc, c)) === id)
        .map((c) => ({
          identifier: c.id,
          instanceIdentifier: c.id,
          name: c.name ?? '',
          source: end(c.sourceId),
          destination: end(c.targetId),
          labelIndex: 0,
          zIndex: 0,
          selectedRelationships: doc.ports.some((p) => p.id === c.sourceId) ? [''] : c.relationships,
          backPressureObjectThreshold: c.backPressureObjectThreshold >= UNLIMITED_OBJECTS ? 0 : c.backPressureObjectThreshold,
          backPressureDataSizeThreshold: c.backPressureDataSizeThreshold === UNLIMITED_DATA_SIZE ? '0 B' : c.backPressureDataSizeThreshold,
          flowFileExpiration: '0 sec',
          prioritizers: [],
          bends: [],
          loadBalanceStrategy: 'DO_NOT_LOAD_BALANCE',
          partitioningAttribute: '',
          loadBalanceCompression: 'DO_NOT_COMPRESS',
          componentType: 'CONNECTION',
          groupIdentifier: id,
        })),
      labels: [],
      funnels: [],
      controllerServices: inGroup(doc.controllerServices).map((s) => service(s, id)),
      ...(context ? { parameterContextName: context } : {}),
      defaultFlowFileExpiration: '0 sec',
      defaultBackPressureObjectThreshold: 10000,
      defaultBackPressureDataSizeThreshold: '1 GB',
      scheduledState: 'ENABLED',
      executionEngine: 'INHERITED',
      maxConcurrentTasks: 1,
      statelessFlowTimeout: '1 min',
      flowFileConcurrency: 'UNBOUNDED',
      flowFileOutboundPolicy: 'STREAM_WHEN_AVAILABLE',
      componentType: 'PROCESS_GROUP',
      ...(parentId ? { groupIdentifier: parentId } : {}),
    };
  };

  return {
    flowContents: group(rootId, doc.name, doc.description, { x: 0, y: 0 }, undefined),
    externalControllerServices: {},
    parameterContexts: contexts,
    flowEncodingVersion: '1.0',
    parameterProviders: {},
    latest: false,
  };
}

function uniqueName(base: string, taken: Record<string, unknown>): string {
  if (!(base in taken)) return base;
  for (let i = 2; ; i++) if (!(`${base} ${i}` in taken)) return `${base} ${i}`;
}

function parameterContext(name: string, values: Record<string, string>, sensitive: readonly string[], inherited: string[]): Record<string, unknown> {
  const secret = new Set(sensitive);
  return {
    name,
    parameters: Object.entries(values).map(([k, v]) => ({ name: k, description: '', sensitive: secret.has(k), provided: false, value: secret.has(k) ? null : v })),
    inheritedParameterContexts: inherited,
    componentType: 'PARAMETER_CONTEXT',
  };
}

type Described = { properties: readonly PropertyDescriptor[]; dynamicProperties?: unknown };

/**
 * Properties as NiFi writes them: sensitive ones only when they name a parameter (NiFi's rule for an export), and a
 * descriptor for each, user-added ones marked dynamic.
 */
function properties(descriptor: Described, values: Record<string, string>) {
  const byName = new Map(descriptor.properties.map((p) => [p.name, p]));
  const props: Record<string, string> = {};
  const descriptors: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) {
    const d = byName.get(k);
    if (d?.sensitive && !/^#\{[^}]+\}$/.test(v)) continue;
    props[k] = v;
    descriptors[k] = { name: k, displayName: d?.displayName ?? k, identifiesControllerService: d?.identifiesControllerService !== undefined, sensitive: d?.sensitive === true, dynamic: d === undefined };
  }
  return { properties: props, propertyDescriptors: descriptors };
}

function processor(p: FlowDocument['processors'][number], groupId: string): Record<string, unknown> {
  const def = getProcessor(p.type)!;
  const cls = nifiProcessorClass(p.type)!;
  const s = p.scheduling;
  const run = s.runDuration ?? def.descriptor.defaultRunDuration;
  return {
    identifier: p.id,
    instanceIdentifier: p.id,
    name: p.name,
    comments: p.comments ?? '',
    position: position(p.position),
    type: cls.className,
    bundle: bundle(cls),
    ...properties(def.descriptor, p.properties),
    style: {},
    // NiFi 2 has no event-driven strategy: timer-driven at 0 sec runs whenever there is work, which is the same.
    schedulingPeriod: s.strategy === 'event' ? '0 sec' : s.period,
    schedulingStrategy: s.strategy === 'cron' ? 'CRON_DRIVEN' : 'TIMER_DRIVEN',
    executionNode: 'ALL',
    penaltyDuration: s.penaltyDuration,
    yieldDuration: s.yieldDuration,
    bulletinLevel: 'WARN',
    runDurationMillis: run ? Math.round(parseDuration(run) ?? 0) : 0,
    concurrentlySchedulableTaskCount: s.concurrentTasks,
    autoTerminatedRelationships: p.autoTerminated,
    scheduledState: 'ENABLED',
    retryCount: 10,
    retriedRelationships: [],
    backoffMechanism: 'PENALIZE_FLOWFILE',
    maxBackoffPeriod: '10 mins',
    componentType: 'PROCESSOR',
    groupIdentifier: groupId,
  };
}

function port(p: FlowDocument['ports'][number], groupId: string): Record<string, unknown> {
  const type = p.kind === 'input' ? 'INPUT_PORT' : 'OUTPUT_PORT';
  return {
    identifier: p.id,
    instanceIdentifier: p.id,
    name: p.name,
    comments: p.comments ?? '',
    position: position(p.position),
    type,
    concurrentlySchedulableTaskCount: 1,
    scheduledState: 'ENABLED',
    allowRemoteAccess: false,
    portFunction: 'STANDARD',
    componentType: type,
    groupIdentifier: groupId,
  };
}

function service(s: FlowDocument['controllerServices'][number], groupId: string): Record<string, unknown> {
  const def = getControllerService(s.type)!;
  const cls = nifiServiceClass(s.type)!;
  return {
    identifier: s.id,
    instanceIdentifier: s.id,
    name: s.name,
    comments: s.comments ?? '',
    type: cls.className,
    bundle: bundle(cls),
    ...properties(def.descriptor, { ...s.properties }),
    controllerServiceApis: def.descriptor.implements.map((api) => ({ type: NIFI_SERVICE_APIS[api] ?? api, bundle: { group: NIFI_GROUP, artifact: 'nifi-standard-services-api-nar', version: NIFI_BUNDLE_VERSION } })),
    scheduledState: s.enabled ? 'ENABLED' : 'DISABLED',
    bulletinLevel: 'WARN',
    componentType: 'CONTROLLER_SERVICE',
    groupIdentifier: groupId,
  };
}
