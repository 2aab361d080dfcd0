import type { Edge, Node } from '@xyflow/react';
import type { ConnectionConfig, FlowDocument, ProcessorConfig, Scheduling } from '@sluice/contracts';
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

export function toNodes(doc: FlowDocument): ProcessorNodeType[] {
  return doc.processors.map((p) => ({
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
}

export function toEdges(doc: FlowDocument): ConnectionEdgeType[] {
  return doc.connections.map((c) => ({
    id: c.id,
    type: 'connection',
    source: c.sourceId,
    target: c.targetId,
    sourceHandle: c.relationships[0],
    data: {
      relationships: [...c.relationships],
      ...(c.name !== undefined ? { name: c.name } : {}),
      backPressureObjectThreshold: c.backPressureObjectThreshold,
      backPressureDataSizeThreshold: c.backPressureDataSizeThreshold,
    },
  }));
}

/** The graph part of a FlowDocument, rebuilt from the canvas state. */
export function toDocument(base: FlowDocument, nodes: ProcessorNodeType[], edges: ConnectionEdgeType[]): FlowDocument {
  const processors: ProcessorConfig[] = nodes.map((n) => ({
    id: n.id,
    type: n.data.type,
    name: n.data.name,
    position: { x: Math.round(n.position.x), y: Math.round(n.position.y) },
    properties: n.data.properties,
    scheduling: n.data.scheduling,
    autoTerminated: n.data.autoTerminated,
    ...(n.data.comments !== undefined ? { comments: n.data.comments } : {}),
    ...(n.data.pinned !== undefined ? { pinned: n.data.pinned } : {}),
  }));
  const connections: ConnectionConfig[] = edges.map((e) => ({
    id: e.id,
    sourceId: e.source,
    targetId: e.target,
    relationships: e.data?.relationships ?? (e.sourceHandle ? [e.sourceHandle] : []),
    ...(e.data?.name !== undefined ? { name: e.data.name } : {}),
    backPressureObjectThreshold: e.data?.backPressureObjectThreshold ?? 10_000,
    backPressureDataSizeThreshold: e.data?.backPressureDataSizeThreshold ?? '1 GB',
  }));
  return { ...base, processors, connections };
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
