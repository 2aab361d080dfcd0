/* Small NiFi flow definitions for specs, written as NiFi's "Download flow definition" writes them. */

export const ROOT_ID = '5d1e0b7a-1c2d-3e4f-8a9b-000000000000';

let counter = 0;
/** A NiFi-style versioned identifier, unique within a spec run. */
export function nifiId(tag: string): string {
  counter++;
  return `${tag.padEnd(8, '0').slice(0, 8)}-0000-3000-8000-${String(counter).padStart(12, '0')}`;
}

export function nifiProcessor(id: string, name: string, type: string, properties: Record<string, string | null>, extra: Record<string, unknown> = {}) {
  return {
    identifier: id,
    instanceIdentifier: id,
    name,
    comments: '',
    position: { x: 10, y: 20 },
    type,
    bundle: { group: 'org.apache.nifi', artifact: 'nifi-standard-nar', version: '2.0.0' },
    properties,
    propertyDescriptors: {},
    style: {},
    schedulingPeriod: '0 sec',
    schedulingStrategy: 'TIMER_DRIVEN',
    executionNode: 'ALL',
    penaltyDuration: '30 sec',
    yieldDuration: '1 sec',
    bulletinLevel: 'WARN',
    runDurationMillis: 0,
    concurrentlySchedulableTaskCount: 1,
    autoTerminatedRelationships: [],
    scheduledState: 'ENABLED',
    retryCount: 10,
    retriedRelationships: [],
    backoffMechanism: 'PENALIZE_FLOWFILE',
    maxBackoffPeriod: '10 mins',
    componentType: 'PROCESSOR',
    groupIdentifier: ROOT_ID,
    ...extra,
  };
}

export function nifiConnection(id: string, from: { id: string; type?: string; groupId?: string; name?: string }, to: { id: string; type?: string; groupId?: string; name?: string }, relationships: string[], extra: Record<string, unknown> = {}) {
  const end = (e: typeof from) => ({ id: e.id, type: e.type ?? 'PROCESSOR', groupId: e.groupId ?? ROOT_ID, name: e.name ?? e.id, comments: '' });
  return {
    identifier: id,
    instanceIdentifier: id,
    name: '',
    source: end(from),
    destination: end(to),
    labelIndex: 1,
    zIndex: 0,
    selectedRelationships: relationships,
    backPressureObjectThreshold: 10000,
    backPressureDataSizeThreshold: '1 GB',
    flowFileExpiration: '0 sec',
    prioritizers: [],
    bends: [],
    loadBalanceStrategy: 'DO_NOT_LOAD_BALANCE',
    partitioningAttribute: '',
    loadBalanceCompression: 'DO_NOT_COMPRESS',
    componentType: 'CONNECTION',
    groupIdentifier: ROOT_ID,
    ...extra,
  };
}

export function nifiGroup(id: string, name: string, content: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return {
    identifier: id,
    instanceIdentifier: id,
    name,
    comments: '',
    position: { x: 0, y: 0 },
    processGroups: [],
    remoteProcessGroups: [],
    processors: [],
    inputPorts: [],
    outputPorts: [],
    connections: [],
    labels: [],
    funnels: [],
    controllerServices: [],
    defaultFlowFileExpiration: '0 sec',
    defaultBackPressureObjectThreshold: 10000,
    defaultBackPressureDataSizeThreshold: '1 GB',
    flowFileConcurrency: 'UNBOUNDED',
    flowFileOutboundPolicy: 'STREAM_WHEN_AVAILABLE',
    componentType: 'PROCESS_GROUP',
    ...content,
    ...extra,
  };
}

export function nifiDefinition(flowContents: Record<string, unknown>, parameterContexts: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  return { flowContents, externalControllerServices: {}, parameterContexts, flowEncodingVersion: '1.0', parameterProviders: {}, latest: false, ...extra };
}

export function nifiContext(name: string, parameters: { name: string; value: string | null; sensitive?: boolean }[], inherited: string[] = []) {
  return {
    name,
    parameters: parameters.map((p) => ({ name: p.name, description: '', sensitive: p.sensitive ?? false, provided: false, value: p.value })),
    inheritedParameterContexts: inherited,
    componentType: 'PARAMETER_CONTEXT',
  };
}
