import type { FlowDocument } from '@sluice/contracts';
import type { FlowGraph, GraphProcessor } from '@sluice/flow-core';

/** The runnable part of a flow document: what the engine is built from (names and positions aside, nothing else). */
export function toGraph(doc: FlowDocument): FlowGraph {
  return {
    processors: doc.processors.map((p) => ({ id: p.id, type: p.type, name: p.name, properties: p.properties, scheduling: p.scheduling, autoTerminated: p.autoTerminated })),
    connections: doc.connections.map((c) => ({
      id: c.id,
      sourceId: c.sourceId,
      relationships: c.relationships,
      targetId: c.targetId,
      backPressureObjectThreshold: c.backPressureObjectThreshold,
      backPressureDataSizeThreshold: c.backPressureDataSizeThreshold,
    })),
    parameters: doc.parameters,
    controllerServices: (doc.controllerServices ?? []).map((s) => ({ id: s.id, type: s.type, name: s.name, properties: s.properties, enabled: s.enabled })),
  };
}

export function sameGraph(a: FlowGraph, b: FlowGraph): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Processors whose configuration differs between two graphs: their own settings, a connection to or from them, or
 * a parameter they reference. New processors count as changed.
 */
export function changedProcessors(before: FlowGraph, after: FlowGraph): Set<string> {
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
  for (const p of after.processors) {
    const prev = old.get(p.id);
    if (!prev || JSON.stringify(prev) !== JSON.stringify(p) || (parametersChanged && references(p)) || namesChangedService(p)) changed.add(p.id);
  }
  const key = (c: FlowGraph['connections'][number]) => JSON.stringify(c);
  const oldConnections = new Set(before.connections.map(key));
  const newConnections = new Set(after.connections.map(key));
  for (const c of before.connections) if (!newConnections.has(key(c))) changed.add(c.sourceId).add(c.targetId);
  for (const c of after.connections) if (!oldConnections.has(key(c))) changed.add(c.sourceId).add(c.targetId);
  return changed;
}
