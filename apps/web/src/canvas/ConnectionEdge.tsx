import { memo } from 'react';
import { BaseEdge, EdgeLabelRenderer, getBezierPath, type EdgeProps } from '@xyflow/react';
import type { ConnectionEdgeType } from './flow-model.js';
import { useConnectionLive } from './live-store.js';
import { useDesigner } from '../designer/designer-context.js';

function ConnectionEdgeView({ id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data, selected, markerEnd }: EdgeProps<ConnectionEdgeType>) {
  const { live } = useDesigner();
  const q = useConnectionLive(live, id);
  const [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, sourcePosition, targetX, targetY, targetPosition });
  const fill = Math.min(1, Math.max(0, q?.fill ?? 0));
  const level = fill >= 1 ? 'full' : fill >= 0.7 ? 'high' : 'normal';
  return (
    <>
      <BaseEdge id={id} path={path} markerEnd={markerEnd} className={selected ? 'edge-selected' : undefined} />
      <EdgeLabelRenderer>
        <div
          className={`edge-label${selected ? ' selected' : ''} fill-${level}`}
          style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
          data-testid={`edge-${id}`}
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
