import { effectiveParameters, groupPath, ROOT_GROUP, type FlowDocument } from '@sluice/contracts';
import { PORT_TYPE, type FlowGraph, type GraphProcessor } from '@sluice/flow-core';

/** The runnable part of a flow document: what the engine is built from (names and positions aside, nothing else). */
export function toGraph(doc: FlowDocument): FlowGraph {
  const groups = doc.processGroups ?? [];
  // A flow without groups keeps the graph it always had (saved run state and change detection compare graphs).
  const scoped = groups.length > 0;
  const scopedServices = scoped && (doc.controllerServices ?? []).some((s) => s.groupId !== undefined);
  // Worked out once per group, not once per processor: thousands of processors share a few groups.
  const parametersOf = perGroup((groupId) => effectiveParameters(doc, groupId));
  const inGroup = (groupId: string | undefined) => (scoped && groupId !== undefined ? { parameters: parametersOf(groupId) } : {});
  const visible = perGroup((groupId) => {
    const path = new Set(groupPath(doc, groupId));
    return (doc.controllerServices ?? []).filter((s) => path.has(s.groupId ?? ROOT_GROUP)).map((s) => s.id);
  });
  const ports: GraphProcessor[] = (doc.ports ?? []).map((p) => ({
    id: p.id,
    type: PORT_TYPE,
    name: p.name,
    properties: {},
    scheduling: { strategy: 'timer', period: '0 sec', concurrentTasks: 1, penaltyDuration: '30 sec', yieldDuration: '1 sec' },
    autoTerminated: [],
  }));
  return {
    processors: doc.processors
      .map((p): GraphProcessor => ({
        id: p.id,
        type: p.type,
        name: p.name,
        properties: p.properties,
        scheduling: p.scheduling,
        autoTerminated: p.autoTerminated,
        ...inGroup(p.groupId),
        ...(scopedServices ? { services: visible(p.groupId) } : {}),
      }))
      .concat(ports),
    connections: doc.connections.map((c) => ({
      id: c.id,
      sourceId: c.sourceId,
      relationships: c.relationships,
      targetId: c.targetId,
      backPressureObjectThreshold: c.backPressureObjectThreshold,
      backPressureDataSizeThreshold: c.backPressureDataSizeThreshold,
    })),
    parameters: doc.parameters,
    controllerServices: (doc.controllerServices ?? []).map((s) => ({ id: s.id, type: s.type, name: s.name, properties: s.properties, enabled: s.enabled, ...inGroup(s.groupId) })),
  };
}

function perGroup<T>(compute: (groupId: string) => T): (groupId: string | undefined) => T {
  const known = new Map<string, T>();
  return (groupId = ROOT_GROUP) => {
    let value = known.get(groupId);
    if (value === undefined) known.set(groupId, (value = compute(groupId)));
    return value;
  };
}

export function sameGraph(a: FlowGraph, b: FlowGraph): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** How many processors are compared between two steps. */
const COMPARED_PER_STEP = 100;

/**
 * Processors whose configuration differs between two graphs: their own settings, a connection to or from them, or
 * a parameter they reference. New processors count as changed. A step at a time (see flow-core's
 * graphIssueSteps): the generator yields between slices of the comparison and returns the changed processors.
 */
export function* changedProcessorSteps(before: FlowGraph, after: FlowGraph): Generator<void, Set<string>> {
  const changed = new Set<string>();
  const old = new Map(before.processors.map((p) => [p.id, p]));
  const parametersChanged = JSON.stringify(before.parameters) !== JSON.stringify(after.parameters);
  const references = (p: GraphProcessor) => Object.values(p.properties).some((v) => v.includes('#{'));
  // A controller service that changed (or appeared, or went) is new to the processors that name it by id.
  const services = (g: FlowGraph) => new Map((g.controllerServices ?? []).map((s) => [s.id, JSON.stringify(s)]));
  const oldServices = services(before);
  const newServices = services(after);
  const changedServices = new Set([...oldServices.keys(), ...newServices.keys()].filter((id) => oldServices.get(id) !== newServices.get(id)));
  const namesChangedService = (p: GraphProcessor) => changedServices.size > 0 && Object.values(p.properties).some((v) => changedServices.has(v));
  let n = 0;
  const step = () => ++n % COMPARED_PER_STEP === 0;
  for (const p of after.processors) {
    const prev = old.get(p.id);
    if (!prev || JSON.stringify(prev) !== JSON.stringify(p) || (parametersChanged && references(p)) || namesChangedService(p)) changed.add(p.id);
    if (step()) yield;
  }
  const key = (c: FlowGraph['connections'][number]) => JSON.stringify(c);
  const oldKeys = before.connections.map(key);
  yield;
  const newKeys = after.connections.map(key);
  yield;
  const oldConnections = new Set(oldKeys);
  const newConnections = new Set(newKeys);
  before.connections.forEach((c, i) => {
    if (!newConnections.has(oldKeys[i]!)) changed.add(c.sourceId).add(c.targetId);
  });
  after.connections.forEach((c, i) => {
    if (!oldConnections.has(newKeys[i]!)) changed.add(c.sourceId).add(c.targetId);
  });
  return changed;
}
