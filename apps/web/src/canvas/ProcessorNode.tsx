import { memo, useMemo } from 'react';
import { Handle, Position, useStore, type NodeProps, type ReactFlowState } from '@xyflow/react';
import { relationshipsFor } from '@sluice/flow-api';
import type { ProcessorNodeType } from './flow-model.js';
import { processorIssues } from './processor-issues.js';
import { useProcessorLive } from './live-store.js';
import { useDesigner } from '../designer/designer-context.js';
import { categoryIcon } from './category.js';

/** `"failure|success"`: a string so the store selector compares by value and skips needless renders. */
const connectedKey = (id: string) => (s: ReactFlowState) => {
  const rels = new Set<string>();
  let incoming = false;
  for (const e of s.edges) {
    if (e.source === id) {
      const list = (e.data as { relationships?: string[] } | undefined)?.relationships ?? (e.sourceHandle ? [e.sourceHandle] : []);
      for (const r of list) rels.add(r);
    }
    if (e.target === id) incoming = true;
  }
  return `${incoming ? 'in' : ''}:${[...rels].sort().join('|')}`;
};

function ProcessorNodeView({ id, data, selected }: NodeProps<ProcessorNodeType>) {
  const { descriptors, live, serverValidation } = useDesigner();
  const descriptor = descriptors.get(data.type);
  const key = useStore(useMemo(() => connectedKey(id), [id]));
  const liveState = useProcessorLive(live, id);

  const relationships = useMemo(() => (descriptor ? relationshipsFor(descriptor, data.properties) : []), [descriptor, data.properties]);
  const issues = useMemo(() => {
    const [incoming, rels] = key.split(':');
    const connected = new Set(rels ? rels.split('|') : []);
    const local = processorIssues(descriptor, data, connected, incoming === 'in');
    const server = (serverValidation.get(id) ?? []).filter((s) => !local.some((l) => l.message === s.message));
    return [...local, ...server.map((s) => ({ property: s.property, message: s.message }))];
  }, [descriptor, data, key, serverValidation, id]);

  const state = liveState?.state ?? 'stopped';
  const running = state === 'running';
  const invalid = issues.length > 0;

  return (
    <div
      className={`proc-node${selected ? ' selected' : ''}${running ? ' running' : ''}${invalid ? ' invalid' : ''}`}
      data-processor-type={data.type}
      data-testid={`node-${data.name}`}
    >
      {descriptor?.inputRequirement !== 'forbidden' && <Handle type="target" position={Position.Left} className="handle-in" />}
      <div className="proc-head">
        <span className={`proc-icon cat-${descriptor?.category ?? 'utility'}`} aria-hidden>
          {categoryIcon(descriptor?.category)}
        </span>
        <div className="proc-titles">
          <div className="proc-name" title={data.name}>{data.name}</div>
          <div className="proc-type">{descriptor?.displayName ?? data.type}</div>
        </div>
        <span
          className={`proc-badge ${invalid ? 'bad' : 'ok'}`}
          title={invalid ? issues.map((i) => `• ${i.message}`).join('\n') : 'Valid'}
          data-testid="validity"
        >
          {invalid ? `⚠ ${issues.length}` : '✓'}
        </span>
      </div>
      <div className="proc-body">
        <span className={`run-dot ${invalid && !running ? 'invalid' : state}`} />
        <span className="proc-state">{invalid && !running ? 'invalid' : state}</span>
        {liveState?.activeTasks ? <span className="proc-tasks">{liveState.activeTasks} active</span> : null}
        {liveState?.in !== undefined && (
          <span className="proc-stats" title="FlowFiles in / out (last 5 min)">
            in {liveState.in} · out {liveState.out ?? 0}
          </span>
        )}
      </div>
      <div className="proc-rels">
        {relationships.map((r) => (
          <div className="proc-rel" key={r.name} title={r.description}>
            <span className={data.autoTerminated.includes(r.name) ? 'rel-label terminated' : 'rel-label'}>{r.name}</span>
            <Handle type="source" position={Position.Right} id={r.name} className="handle-out" data-relationship={r.name} />
          </div>
        ))}
      </div>
    </div>
  );
}

export const ProcessorNode = memo(ProcessorNodeView);
