import { memo } from 'react';
import { BaseEdge, EdgeLabelRenderer, getBezierPath, useStore, type EdgeProps, type ReactFlowState } from '@xyflow/react';
import type { ConnectionEdgeType } from './flow-model.js';
import { useConnectionLive } from './live-store.js';
import { useDesigner } from '../designer/designer-context.js';

/** How far a self-connection's loop rises above the node's top edge, and how far it reaches out sideways. */
const LOOP_RISE = 36;
const LOOP_REACH = 56;

/**
 * A connection from a processor back to itself (failure → its own input, NiFi's retry loop) as a loop over the node,
 * from the relationship's handle on the right round to the input on the left, with its label on top: it can be seen,
 * selected and deleted like any other connection.
 */
export function selfLoopPath(sourceX: number, sourceY: number, targetX: number, targetY: number, nodeTop: number): [path: string, labelX: number, labelY: number] {
  const top = nodeTop - LOOP_RISE;
  const right = sourceX + LOOP_REACH;
  const left = targetX - LOOP_REACH;
  const path = `M ${sourceX},${sourceY} C ${right},${sourceY} ${right},${top} ${sourceX},${top} L ${targetX},${top} C ${left},${top} ${left},${targetY} ${targetX},${targetY}`;
  return [path, (sourceX + targetX) / 2, top];
}

function ConnectionEdgeView({ id, source, target, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data, selected, markerEnd }: EdgeProps<ConnectionEdgeType>) {
  const { live } = useDesigner();
  const q = useConnectionLive(live, id);
  const select = useStore((s: ReactFlowState) => s.addSelectedEdges);
  const loop = source === target;
  // The node's top, for a loop: React Flow keeps the node's measured position in its store.
  const nodeTop = useStore((s: ReactFlowState) => (loop ? (s.nodeLookup.get(source)?.internals.positionAbsolute.y ?? Math.min(sourceY, targetY) - 60) : 0));
  const [path, labelX, labelY] = loop
    ? selfLoopPath(sourceX, sourceY, targetX, targetY, nodeTop)
    : getBezierPath({ sourceX, sourceY, sourcePosition, targetX, targetY, targetPosition });
  const fill = Math.min(1, Math.max(0, q?.fill ?? 0));
  const level = fill >= 1 ? 'full' : fill >= 0.7 ? 'high' : 'normal';
  return (
    <>
      <BaseEdge id={id} path={path} markerEnd={markerEnd} interactionWidth={24} className={`${selected ? 'edge-selected' : ''}${loop ? ' edge-loop' : ''}`} />
      <EdgeLabelRenderer>
        <div
          className={`edge-label${selected ? ' selected' : ''} fill-${level}${loop ? ' loop' : ''}`}
          style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
          data-testid={`edge-${id}`}
          data-loop={loop || undefined}
          // The label is a handle on the connection too: a loop's line is short and close to its node.
          onClick={() => select([id])}
        >
          <div className="edge-rels">{(data?.relationships ?? []).join(', ')}</div>
          <div className="edge-queue">
            <span className="edge-count" data-testid="queue-count">{q?.count ?? 0}</span>
            <span className="edge-bar" title={`${Math.round(fill * 100)}% of back-pressure threshold`}>
              <span style={{ width: `${fill * 100}%` }} />
            </span>
          </div>
        </div>
      </EdgeLabelRenderer>
    </>
  );
}

export const ConnectionEdge = memo(ConnectionEdgeView);
