import type { Edge, Node } from '@xyflow/react';
import { connectionGroup, ROOT_GROUP, type ConnectionConfig, type FlowDocument, type PortConfig, type ProcessGroupConfig, type ProcessorConfig, type Scheduling } from '@sluice/contracts';
import type { ProcessorDescriptor } from '@sluice/flow-api';

/** Serializable node data: the processor's stored config, nothing else (no callbacks, no live stats). */
export interface ProcessorData extends Record<string, unknown> {
  type: string;
  name: string;
  properties: Record<string, string>;
  scheduling: Scheduling;
  autoTerminated: string[];
  comments?: string;
  pinned?: ProcessorConfig['pinned'];
}
export type ProcessorNodeType = Node<ProcessorData, 'processor'>;

export interface ConnectionData extends Record<string, unknown> {
  relationships: string[];
  name?: string;
  backPressureObjectThreshold: number;
  backPressureDataSizeThreshold: string;
}
export type ConnectionEdgeType = Edge<ConnectionData, 'connection'>;

export const GRID: [number, number] = [16, 16];

/** A process group's input or output port, drawn inside the group it belongs to. */
export interface PortData extends Record<string, unknown> {
  kind: 'input' | 'output';
  name: string;
  comments?: string;
}
export type PortNodeType = Node<PortData, 'port'>;

/** A process group as its parent draws it: one node with a handle per port. */
export interface GroupData extends Record<string, unknown> {
  name: string;
  parameters: Record<string, string>;
  sensitiveParameters: string[];
  comments?: string;
}
export type GroupNodeType = Node<GroupData, 'group'>;

export type FlowNodeType = ProcessorNodeType | PortNodeType | GroupNodeType;

export const isProcessor = (n: FlowNodeType): n is ProcessorNodeType => n.type === 'processor';

/** The group the canvas shows: ROOT_GROUP, or a process group's id. */
export type View = string;

const inView = (groupId: string | undefined, view: View) => (groupId ?? ROOT_GROUP) === view;

export function toNodes(doc: FlowDocument, view: View = ROOT_GROUP): FlowNodeType[] {
  const processors: FlowNodeType[] = doc.processors
    .filter((p) => inView(p.groupId, view))
    .map((p) => ({
      id: p.id,
      type: 'processor',
      position: { ...p.position },
      data: {
        type: p.type,
        name: p.name,
        properties: { ...p.properties },
        scheduling: { ...p.scheduling },
        autoTerminated: [...p.autoTerminated],
        ...(p.comments !== undefined ? { comments: p.comments } : {}),
        ...(p.pinned !== undefined ? { pinned: p.pinned } : {}),
      },
    }));
  const ports: FlowNodeType[] = (doc.ports ?? [])
    .filter((p) => inView(p.groupId, view))
    .map((p) => ({ id: p.id, type: 'port', position: { ...p.position }, data: { kind: p.kind, name: p.name, ...(p.comments !== undefined ? { comments: p.comments } : {}) } }));
  const groups: FlowNodeType[] = (doc.processGroups ?? [])
    .filter((g) => inView(g.parentGroupId, view))
    .map((g) => ({
      id: g.id,
      type: 'group',
      position: { ...g.position },
      data: { name: g.name, parameters: { ...g.parameters }, sensitiveParameters: [...g.sensitiveParameters], ...(g.comments !== undefined ? { comments: g.comments } : {}) },
    }));
  return [...groups, ...processors, ...ports];
}

/**
 * Connections drawn in a view. An end that is a port of a group inside the view is drawn on that group's node, at
 * the handle named after the port.
 */
export function toEdges(doc: FlowDocument, view: View = ROOT_GROUP): ConnectionEdgeType[] {
  const ports = new Map((doc.ports ?? []).map((p) => [p.id, p]));
  const end = (id: string): { node: string; handle?: string } => {
    const port = ports.get(id);
    return port && !inView(port.groupId, view) && port.groupId ? { node: port.groupId, handle: port.id } : { node: id };
  };
  return doc.connections
    // A connection whose ends are not in one group (a broken document) shows at the root, where it can be removed.
    .filter((c) => (connectionGroup(doc, c) ?? ROOT_GROUP) === view)
    .map((c) => {
      const from = end(c.sourceId);
      const to = end(c.targetId);
      return {
        id: c.id,
        type: 'connection',
        source: from.node,
        target: to.node,
        sourceHandle: from.handle ?? c.relationships[0],
        ...(to.handle ? { targetHandle: to.handle } : {}),
        data: {
          relationships: [...c.relationships],
          ...(c.name !== undefined ? { name: c.name } : {}),
          backPressureObjectThreshold: c.backPressureObjectThreshold,
          backPressureDataSizeThreshold: c.backPressureDataSizeThreshold,
        },
      };
    });
}

/**
 * The whole document from the canvas of one view: what the view shows replaced by the canvas, everything else kept.
 * Removing a group removes what is inside it; a connection that lost an end goes too.
 */
export function toDocument(base: FlowDocument, nodes: FlowNodeType[], edges: ConnectionEdgeType[], view: View = ROOT_GROUP): FlowDocument {
  const groupId = view === ROOT_GROUP ? {} : { groupId: view };
  const position = (n: FlowNodeType) => ({ x: Math.round(n.position.x), y: Math.round(n.position.y) });
  const processors: ProcessorConfig[] = nodes.filter(isProcessor).map((n) => ({
    id: n.id,
    type: n.data.type,
    name: n.data.name,
    position: position(n),
    properties: n.data.properties,
    scheduling: n.data.scheduling,
    autoTerminated: n.data.autoTerminated,
    ...(n.data.comments !== undefined ? { comments: n.data.comments } : {}),
    ...(n.data.pinned !== undefined ? { pinned: n.data.pinned } : {}),
    ...groupId,
  }));
  const ports: PortConfig[] = nodes
    .filter((n): n is PortNodeType => n.type === 'port')
    .map((n) => ({ id: n.id, kind: n.data.kind, name: n.data.name, position: position(n), ...(n.data.comments !== undefined ? { comments: n.data.comments } : {}), ...groupId }));
  const groups: ProcessGroupConfig[] = nodes
    .filter((n): n is GroupNodeType => n.type === 'group')
    .map((n) => ({
      id: n.id,
      name: n.data.name,
      position: position(n),
      parameters: n.data.parameters,
      sensitiveParameters: n.data.sensitiveParameters,
      ...(n.data.comments !== undefined ? { comments: n.data.comments } : {}),
      ...(view === ROOT_GROUP ? {} : { parentGroupId: view }),
    }));
  const kinds = new Map(nodes.map((n) => [n.id, n.type]));
  const connections: ConnectionConfig[] = edges.map((e) => ({
    id: e.id,
    sourceId: kinds.get(e.source) === 'group' && e.sourceHandle ? e.sourceHandle : e.source,
    targetId: kinds.get(e.target) === 'group' && e.targetHandle ? e.targetHandle : e.target,
    relationships: e.data?.relationships ?? (e.sourceHandle ? [e.sourceHandle] : []),
    ...(e.data?.name !== undefined ? { name: e.data.name } : {}),
    backPressureObjectThreshold: e.data?.backPressureObjectThreshold ?? 10_000,
    backPressureDataSizeThreshold: e.data?.backPressureDataSizeThreshold ?? '1 GB',
  }));
  const shown = new Set(toEdges(base, view).map((e) => e.id));
  const merged: FlowDocument = {
    ...base,
    processors: [...base.processors.filter((p) => !inView(p.groupId, view)), ...processors],
    ports: [...(base.ports ?? []).filter((p) => !inView(p.groupId, view)), ...ports],
    processGroups: [...(base.processGroups ?? []).filter((g) => !inView(g.parentGroupId, view)), ...groups],
    connections: [...base.connections.filter((c) => !shown.has(c.id)), ...connections],
  };
  return pruneOrphans(merged);
}

/** Drops what sits in a group that is gone (at any depth), and connections whose ends are gone. */
export function pruneOrphans(doc: FlowDocument): FlowDocument {
  let groups = doc.processGroups ?? [];
  for (;;) {
    const ids = new Set(groups.map((g) => g.id));
    const kept = groups.filter((g) => g.parentGroupId === undefined || ids.has(g.parentGroupId));
    if (kept.length === groups.length) break;
    groups = kept;
  }
  const live = new Set(groups.map((g) => g.id));
  const here = (groupId: string | undefined) => groupId === undefined || live.has(groupId);
  const processors = doc.processors.filter((p) => here(p.groupId));
  const ports = (doc.ports ?? []).filter((p) => here(p.groupId));
  const ends = new Set([...processors.map((p) => p.id), ...ports.map((p) => p.id)]);
  return {
    ...doc,
    processGroups: groups,
    processors,
    ports,
    controllerServices: (doc.controllerServices ?? []).filter((s) => here(s.groupId)),
    connections: doc.connections.filter((c) => ends.has(c.sourceId) && ends.has(c.targetId)),
  };
}

export function newId(prefix: string): string {
  const rnd = globalThis.crypto?.randomUUID?.() ?? `${Date.now().toString(36)}${Math.random().toString(36).slice(2)}`;
  return `${prefix}-${rnd.replace(/-/g, '').slice(0, 10)}`;
}

export function newProcessorNode(descriptor: ProcessorDescriptor, position: { x: number; y: number }, existing: { data: { name: string } }[]): ProcessorNodeType {
  const names = new Set(existing.map((n) => n.data.name));
  let name = descriptor.displayName;
  for (let i = 2; names.has(name); i++) name = `${descriptor.displayName} ${i}`;
  return {
    id: newId('p'),
    type: 'processor',
    position,
    selected: true,
    data: {
      type: descriptor.type,
      name,
      properties: {},
      scheduling: {
        strategy: descriptor.defaultSchedule?.strategy ?? 'timer',
        period: descriptor.defaultSchedule?.period ?? '0 sec',
        concurrentTasks: 1,
        penaltyDuration: '30 sec',
        yieldDuration: '1 sec',
      },
      autoTerminated: descriptor.relationships.filter((r) => r.autoTerminateDefault).map((r) => r.name),
    },
  };
}
