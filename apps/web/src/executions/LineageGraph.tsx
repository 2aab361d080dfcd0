import { useMemo } from 'react';
import { Background, Controls, MarkerType, ReactFlow, type Edge, type Node } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import type { ProvenanceEventDto } from '@sluice/contracts';

const COLUMN = 190;
const LANE = 74;

/**
 * Lays out a lineage as NiFi does, left to right: one lane per FlowFile, its events in order along it; a child's first
 * event sits after the parent event it came from, joined by a dashed edge.
 */
export function lineageLayout(events: readonly ProvenanceEventDto[], name: (processorId: string) => string, focus?: string | null): { nodes: Node[]; edges: Edge[] } {
  const lanes = new Map<string, number>();
  const lastOf = new Map<string, ProvenanceEventDto>();
  const depth = new Map<number, number>();
  const nodes: Node[] = [];
  const edges: Edge[] = [];
  const sorted = [...events].sort((a, b) => a.id - b.id);
  for (const e of sorted) {
    if (!lanes.has(e.flowFileUuid)) lanes.set(e.flowFileUuid, lanes.size);
    const prev = lastOf.get(e.flowFileUuid);
    let d = 0;
    if (prev) {
      d = depth.get(prev.id)! + 1;
      edges.push({ id: `s${prev.id}-${e.id}`, source: String(prev.id), target: String(e.id), markerEnd: { type: MarkerType.ArrowClosed } });
    } else {
      for (const parent of e.parentUuids) {
        const from = lastOf.get(parent);
        if (!from) continue;
        d = Math.max(d, depth.get(from.id)! + 1);
        edges.push({ id: `p${from.id}-${e.id}`, source: String(from.id), target: String(e.id), style: { strokeDasharray: '4 3' }, markerEnd: { type: MarkerType.ArrowClosed } });
      }
    }
    depth.set(e.id, d);
    lastOf.set(e.flowFileUuid, e);
    nodes.push({
      id: String(e.id),
      position: { x: d * COLUMN, y: lanes.get(e.flowFileUuid)! * LANE },
      data: {
        label: (
          <div className="pv-node" data-testid="lineage-node" title={`${e.eventType} at ${name(e.processorId)}\n${e.flowFileUuid}`}>
            <strong>{e.eventType}</strong>
            <span>{name(e.processorId)}</span>
            <span className="mono small muted">{e.flowFileUuid.slice(0, 8)}</span>
          </div>
        ),
      },
      className: e.flowFileUuid === focus ? 'pv-node-focus' : undefined,
      style: { width: 160, padding: 4 },
      sourcePosition: 'right' as Node['sourcePosition'],
      targetPosition: 'left' as Node['targetPosition'],
    });
  }
  return { nodes, edges };
}

export function LineageGraph({ events, name, focus, onSelect }: { events: readonly ProvenanceEventDto[]; name: (processorId: string) => string; focus?: string | null; onSelect?: (e: ProvenanceEventDto) => void }) {
  const { nodes, edges } = useMemo(() => lineageLayout(events, name, focus), [events, name, focus]);
  const byId = useMemo(() => new Map(events.map((e) => [String(e.id), e])), [events]);
  return (
    <div className="pv-lineage" data-testid="lineage-graph">
      <ReactFlow nodes={nodes} edges={edges} fitView nodesDraggable={false} nodesConnectable={false} onNodeClick={(_, n) => { const e = byId.get(n.id); if (e) onSelect?.(e); }} proOptions={{ hideAttribution: true }}>
        <Background />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
