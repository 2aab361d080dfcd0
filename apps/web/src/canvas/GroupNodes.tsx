import { memo, useCallback, useMemo, useSyncExternalStore } from 'react';
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { descendantGroups } from '@sluice/contracts';
import type { GroupNodeType, PortNodeType } from './flow-model.js';
import type { LiveStore } from './live-store.js';
import { useProcessorLive } from './live-store.js';
import { useDesigner } from '../designer/designer-context.js';

/** FlowFiles queued in these connections, kept current by the live store. */
function useQueued(live: LiveStore, ids: readonly string[]): number {
  const subscribe = useCallback(
    (cb: () => void) => {
      const offs = ids.map((id) => live.subscribe(`c:${id}`, cb));
      return () => offs.forEach((off) => off());
    },
    [live, ids],
  );
  return useSyncExternalStore(subscribe, () => ids.reduce((sum, id) => sum + (live.connection(id)?.count ?? 0), 0));
}

/** A process group in its parent: its name, what it holds and is queuing, a handle for each of its ports. */
function GroupNodeView({ id, data, selected }: NodeProps<GroupNodeType>) {
  const { document: doc, live, enterGroup } = useDesigner();
  const summary = useMemo(() => {
    const groups = doc ? descendantGroups(doc, id) : new Set<string>();
    const within = (g: string | undefined) => g === id || (g !== undefined && groups.has(g));
    const ports = (doc?.ports ?? []).filter((p) => p.groupId === id);
    const parts = new Set([...(doc?.processors ?? []).filter((p) => within(p.groupId)).map((p) => p.id), ...(doc?.ports ?? []).filter((p) => within(p.groupId)).map((p) => p.id)]);
    return {
      processors: (doc?.processors ?? []).filter((p) => within(p.groupId)).length,
      groups: groups.size,
      inputs: ports.filter((p) => p.kind === 'input'),
      outputs: ports.filter((p) => p.kind === 'output'),
      // Connections inside the group: both ends within it (a connection into an input port is the parent's).
      connections: (doc?.connections ?? []).filter((c) => parts.has(c.sourceId) && parts.has(c.targetId) && !(ports.some((p) => p.id === c.targetId && p.kind === 'input') || ports.some((p) => p.id === c.sourceId && p.kind === 'output'))).map((c) => c.id),
    };
  }, [doc, id]);
  const queued = useQueued(live, summary.connections);
  const rows = Math.max(summary.inputs.length, summary.outputs.length);
  return (
    <div
      className={`group-node${selected ? ' selected' : ''}`}
      data-testid={`group-${data.name}`}
      title="Double-click to open the group"
    >
      <div className="group-head">
        <span className="group-icon" aria-hidden>▣</span>
        <div className="proc-titles">
          <div className="proc-name" title={data.name}>{data.name}</div>
          <div className="proc-type">Process group</div>
        </div>
        <button className="btn ghost sm nodrag" onClick={() => enterGroup?.(id)} aria-label={`Open ${data.name}`}>Open ›</button>
      </div>
      <div className="group-stats" data-testid="group-stats">
        <span>{summary.processors} processor{summary.processors === 1 ? '' : 's'}</span>
        {summary.groups > 0 && <span>{summary.groups} group{summary.groups === 1 ? '' : 's'}</span>}
        <span data-testid="group-ports">{summary.inputs.length} in · {summary.outputs.length} out</span>
        <span data-testid="group-queued">queued {queued}</span>
      </div>
      <div className="group-ports" style={{ minHeight: rows * 22 }}>
        <div className="group-port-col">
          {summary.inputs.map((p) => (
            <div className="group-port in" key={p.id} data-testid={`group-input-${p.name}`}>
              <Handle type="target" position={Position.Left} id={p.id} className="handle-in" />
              <span>▸ {p.name}</span>
            </div>
          ))}
        </div>
        <div className="group-port-col right">
          {summary.outputs.map((p) => (
            <div className="group-port out" key={p.id} data-testid={`group-output-${p.name}`}>
              <span>{p.name} ▸</span>
              <Handle type="source" position={Position.Right} id={p.id} className="handle-out" />
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}

/**
 * A port inside its group. An input port only sends (what enters the group leaves it here); an output port only
 * receives (what reaches it leaves the group).
 */
function PortNodeView({ id, data, selected }: NodeProps<PortNodeType>) {
  const { live } = useDesigner();
  const state = useProcessorLive(live, id)?.state ?? 'stopped';
  return (
    <div className={`port-node ${data.kind}${selected ? ' selected' : ''}${state === 'running' ? ' running' : ''}`} data-testid={`port-${data.name}`}>
      {data.kind === 'output' && <Handle type="target" position={Position.Left} className="handle-in" />}
      <span className="port-kind">{data.kind === 'input' ? 'Input port' : 'Output port'}</span>
      <span className="port-name">{data.name}</span>
      <span className={`run-dot ${state}`} />
      {data.kind === 'input' && <Handle type="source" position={Position.Right} id="success" className="handle-out" />}
    </div>
  );
}

export const GroupNode = memo(GroupNodeView);
export const PortNode = memo(PortNodeView);
