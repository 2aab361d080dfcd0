import { useState, type ReactNode } from 'react';
import { relationshipsFor, type ProcessorDescriptor } from '@sluice/flow-api';
import type { ProcessorNodeType } from '../canvas/flow-model.js';
import { PropertyForm } from '../properties/PropertyForm.js';
import type { FlowEditor } from './useFlowEditor.js';
import { useDesigner } from './designer-context.js';
import { useProcessorLive } from '../canvas/live-store.js';

type Tab = 'properties' | 'scheduling' | 'relationships' | 'test' | 'comments';

export function ProcessorInspector({
  node,
  editor,
  onRunOnce,
  onStartStop,
  testPane,
  fieldTools,
}: {
  node: ProcessorNodeType;
  editor: FlowEditor;
  onRunOnce: (id: string) => void;
  /** Starts the processor alone, or stops it when `running`. */
  onStartStop: (id: string, running: boolean) => void;
  testPane: ReactNode;
  fieldTools?: (descriptor: ProcessorDescriptor) => Parameters<typeof PropertyForm>[0]['renderFieldTools'];
}) {
  const { descriptors, canEdit, serverValidation, live } = useDesigner();
  const [tab, setTab] = useState<Tab>('properties');
  const d = descriptors.get(node.data.type);
  const liveState = useProcessorLive(live, node.id);
  const data = node.data;
  const ro = !canEdit;
  const running = liveState?.state === 'running';

  const setProperty = (name: string, value: string | undefined) => {
    const next = { ...data.properties };
    if (value === undefined) delete next[name];
    else next[name] = value;
    editor.updateProcessor(node.id, { properties: next }, `prop:${name}`);
  };

  return (
    <div className="inspector-body" data-testid="processor-inspector">
      <div className="inspector-head">
        <input
          className="title-input"
          value={data.name}
          readOnly={ro}
          aria-label="Processor name"
          onChange={(e) => editor.updateProcessor(node.id, { name: e.target.value }, 'name')}
        />
        <div className="muted small">
          {d?.displayName ?? data.type} · <span className="mono">{node.id}</span> · <span data-testid="processor-state">{liveState?.state ?? 'stopped'}</span>
        </div>
        {d && <p className="inspector-desc">{d.description}</p>}
        <div className="inspector-actions">
          <button
            className={`btn sm ${running ? 'stop' : 'success'}`}
            onClick={() => onStartStop(node.id, running)}
            disabled={ro}
            data-testid="processor-start-stop"
            title={running ? 'Stop this processor; FlowFiles queue up in front of it' : 'Start this processor'}
          >
            {running ? '■ Stop' : '▶ Start'}
          </button>
          <button className="btn sm" onClick={() => onRunOnce(node.id)} disabled={ro} title="Trigger this processor once">
            ▶ Run once
          </button>
          <button className="btn sm" onClick={() => setTab('test')}>⚗ Test this step</button>
        </div>
      </div>
      <div className="tabs">
        {(['properties', 'scheduling', 'relationships', 'test', 'comments'] as Tab[]).map((t) => (
          <button key={t} className={`tab${tab === t ? ' active' : ''}`} onClick={() => setTab(t)}>
            {t[0]!.toUpperCase() + t.slice(1)}
          </button>
        ))}
      </div>
      <div className="inspector-scroll">
        {!d && <div className="error-box">This flow uses the processor type '{data.type}', which this server does not provide.</div>}
        {d && tab === 'properties' && (
          <PropertyForm
            descriptor={d}
            values={data.properties}
            onChange={setProperty}
            readOnly={ro}
            extraErrors={(serverValidation.get(node.id) ?? []).map((v) => ({ property: v.property, message: v.message }))}
            renderFieldTools={fieldTools?.(d)}
          />
        )}
        {d && tab === 'scheduling' && <SchedulingForm node={node} editor={editor} readOnly={ro} descriptor={d} />}
        {d && tab === 'relationships' && (
          <div className="pad">
            <p className="muted small">A FlowFile sent to an auto-terminated relationship is dropped. Every relationship must be connected or auto-terminated.</p>
            {relationshipsFor(d, data.properties).map((r) => (
              <label key={r.name} className="check-row">
                <input
                  type="checkbox"
                  disabled={ro}
                  checked={data.autoTerminated.includes(r.name)}
                  onChange={(e) =>
                    editor.updateProcessor(node.id, {
                      autoTerminated: e.target.checked ? [...data.autoTerminated, r.name] : data.autoTerminated.filter((x) => x !== r.name),
                    })
                  }
                />
                <span>
                  <strong>{r.name}</strong>
                  <span className="muted small block">{r.description}</span>
                </span>
              </label>
            ))}
          </div>
        )}
        {tab === 'test' && testPane}
        {tab === 'comments' && (
          <div className="pad">
            <textarea
              className="wide-area"
              rows={8}
              readOnly={ro}
              value={data.comments ?? ''}
              placeholder="Notes for whoever maintains this step"
              onChange={(e) => editor.updateProcessor(node.id, { comments: e.target.value || undefined }, 'comments')}
            />
          </div>
        )}
      </div>
    </div>
  );
}

function SchedulingForm({ node, editor, readOnly, descriptor }: { node: ProcessorNodeType; editor: FlowEditor; readOnly: boolean; descriptor: ProcessorDescriptor }) {
  const s = node.data.scheduling;
  const set = (patch: Partial<typeof s>, key: string) => editor.updateProcessor(node.id, { scheduling: { ...s, ...patch } }, `sched:${key}`);
  return (
    <div className="pad sched-form">
      <label className="field">
        <span>Scheduling strategy</span>
        <select value={s.strategy} disabled={readOnly} onChange={(e) => set({ strategy: e.target.value as typeof s.strategy }, 'strategy')}>
          <option value="timer">Timer driven</option>
          <option value="cron">CRON driven</option>
          <option value="event">Event driven</option>
        </select>
      </label>
      {s.strategy !== 'event' && (
        <label className="field">
          <span>{s.strategy === 'cron' ? 'CRON expression' : 'Run schedule'}</span>
          <input value={s.period} readOnly={readOnly} placeholder={s.strategy === 'cron' ? '0 */5 * * * *' : '0 sec'} onChange={(e) => set({ period: e.target.value }, 'period')} />
        </label>
      )}
      <label className="field">
        <span>Concurrent tasks{descriptor.triggerSerially ? ' (this processor runs serially)' : ''}</span>
        <input
          type="number"
          min={1}
          max={64}
          value={s.concurrentTasks}
          readOnly={readOnly || descriptor.triggerSerially}
          onChange={(e) => set({ concurrentTasks: Math.max(1, Math.min(64, Number(e.target.value) || 1)) }, 'tasks')}
        />
      </label>
      <label className="field">
        <span>Penalty duration</span>
        <input value={s.penaltyDuration} readOnly={readOnly} onChange={(e) => set({ penaltyDuration: e.target.value }, 'penalty')} />
      </label>
      <label className="field">
        <span>Yield duration</span>
        <input value={s.yieldDuration} readOnly={readOnly} onChange={(e) => set({ yieldDuration: e.target.value }, 'yield')} />
      </label>
      {descriptor.defaultRunDuration !== undefined && (
        <label className="field">
          <span>Run duration (triggers batched into one commit; default {descriptor.defaultRunDuration})</span>
          <input
            value={s.runDuration ?? ''}
            placeholder={descriptor.defaultRunDuration}
            readOnly={readOnly}
            onChange={(e) => set({ runDuration: e.target.value === '' ? undefined : e.target.value }, 'runDuration')}
          />
        </label>
      )}
    </div>
  );
}
