import { memo, useMemo } from 'react';
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { relationshipsFor } from '@sluice/flow-api';
import type { ProcessorNodeType } from './flow-model.js';
import { useLatestBulletin, useProcessorLive } from './live-store.js';
import { useDesigner } from '../designer/designer-context.js';
import { useProcessorIssues } from '../designer/useProcessorIssues.js';
import { categoryIcon } from './category.js';

/** NiFi shows a processor's bulletins for five minutes. */
export const BULLETIN_WINDOW_MS = 5 * 60_000;

function ProcessorNodeView({ id, data, selected }: NodeProps<ProcessorNodeType>) {
  const { descriptors, live } = useDesigner();
  const descriptor = descriptors.get(data.type);
  const liveState = useProcessorLive(live, id);
  const bulletin = useLatestBulletin(live, id);
  const recent = bulletin && Date.now() - Date.parse(bulletin.timestamp) < BULLETIN_WINDOW_MS ? bulletin : null;

  const relationships = useMemo(() => (descriptor ? relationshipsFor(descriptor, data.properties) : []), [descriptor, data.properties]);
  const issues = useProcessorIssues(id, data);

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
      {recent && (
        <div className={`proc-bulletin-text ${recent.level}`} data-testid="bulletin-text">
          {recent.message}
        </div>
      )}
      <div className="proc-head">
        <span className={`proc-icon cat-${descriptor?.category ?? 'utility'}`} aria-hidden>
          {categoryIcon(descriptor?.category)}
        </span>
        <div className="proc-titles">
          <div className="proc-name" title={data.name}>{data.name}</div>
          <div className="proc-type">{descriptor?.displayName ?? data.type}</div>
        </div>
        {recent && (
          <span className={`proc-bulletin ${recent.level}`} title={`${new Date(recent.timestamp).toLocaleTimeString()}: ${recent.message}`} data-testid="bulletin-mark">
            !
          </span>
        )}
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
