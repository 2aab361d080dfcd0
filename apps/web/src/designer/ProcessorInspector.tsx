import { useState, type ReactNode } from 'react';
import { hasSideEffects, relationshipsFor, type ProcessorDescriptor } from '@sluice/flow-api';
import type { ProcessorNodeType } from '../canvas/flow-model.js';
import { PropertyForm } from '../properties/PropertyForm.js';
import type { FlowEditor } from './useFlowEditor.js';
import { useDesigner } from './designer-context.js';
import { useBulletins, useProcessorLive } from '../canvas/live-store.js';
import { useProcessorIssues } from './useProcessorIssues.js';
import { ConfirmDialog } from '../ui/ConfirmDialog.js';
import { systemsOf } from '../test-panes/StepTestPane.js';
import { formatDateTime } from '../ui/format.js';
import { serviceSummaries } from './issues.js';

type Tab = 'properties' | 'scheduling' | 'relationships' | 'test' | 'bulletins' | 'comments';

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
  const { descriptors, canEdit, live, serviceTypes, controllerServices, parameters } = useDesigner();
  const [tab, setTab] = useState<Tab>('properties');
  const [confirmRunOnce, setConfirmRunOnce] = useState(false);
  const d = descriptors.get(node.data.type);
  const liveState = useProcessorLive(live, node.id);
  const data = node.data;
  const ro = !canEdit;
  const running = liveState?.state === 'running';
  const issues = useProcessorIssues(node.id, data);
  const bulletins = useBulletins(live).filter((b) => b.processorId === node.id);
  const reaches = d ? hasSideEffects(d, data.properties) : false;
  const general = issues.filter((i) => i.property === null);

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
        {confirmRunOnce && (
          <ConfirmDialog
            title={`Run ${data.name} once, for real?`}
            confirm={d?.sideEffects?.writes ? `Write to ${systemsOf(d)}` : `Send to ${systemsOf(d)}`}
            danger
            onConfirm={() => {
              setConfirmRunOnce(false);
              onRunOnce(node.id);
            }}
            onCancel={() => setConfirmRunOnce(false)}
            testId="run-once-confirm"
          >
            <p>Run once takes the next queued FlowFile and {d?.sideEffects?.writes ? 'writes it to' : 'sends its requests to'} {systemsOf(d)}; its result goes on in the flow. To see what it would send first, use a dry run on the Test tab.</p>
          </ConfirmDialog>
        )}
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
          <button
            className="btn sm"
            onClick={() => (reaches ? setConfirmRunOnce(true) : onRunOnce(node.id))}
            disabled={ro}
            title={reaches ? `Trigger this processor once, for real: it reaches ${systemsOf(d)}` : 'Trigger this processor once'}
            data-testid="run-once"
          >
            ▶ Run once
          </button>
          <button className="btn sm" onClick={() => setTab('test')}>⚗ Test this step</button>
        </div>
      </div>
      <div className="tabs">
        {(['properties', 'scheduling', 'relationships', 'test', 'bulletins', 'comments'] as Tab[]).map((t) => (
          <button key={t} className={`tab${tab === t ? ' active' : ''}`} onClick={() => setTab(t)}>
            {t[0]!.toUpperCase() + t.slice(1)}
            {t === 'bulletins' && bulletins.length > 0 && <span className="count-chip">{bulletins.length}</span>}
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
            issues={issues.map((v) => ({ property: v.property, message: v.message, line: v.line, column: v.column, code: v.code }))}
            renderFieldTools={fieldTools?.(d)}
            controllerServices={serviceSummaries({ controllerServices: [...(controllerServices ?? [])], parameters }, serviceTypes)}
          />
        )}
        {d && tab !== 'properties' && tab !== 'test' && general.length > 0 && (
          <div className="pad tab-issues" data-testid="processor-issues">
            {general.map((i) => (
              <div key={i.message} className={i.code === 'required' ? 'field-warning' : 'field-error'}>{i.message}</div>
            ))}
          </div>
        )}
        {d && tab === 'scheduling' && <SchedulingForm node={node} editor={editor} readOnly={ro} descriptor={d} />}
        {tab === 'bulletins' && (
          <div className="pad" data-testid="processor-bulletins">
            {bulletins.length === 0 && <p className="muted">No bulletins from this processor.</p>}
            {bulletins.map((b, i) => (
              <div key={i} className={`bulletin ${b.level}`}>
                <span className="muted small">{formatDateTime(b.timestamp)}</span>
                <div>{b.message}</div>
              </div>
            ))}
          </div>
        )}
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
        <span>Execution (in a cluster: every node, or the primary node only)</span>
        <select
          value={s.executionNode ?? 'ALL'}
          disabled={readOnly}
          onChange={(e) => set({ executionNode: e.target.value === 'PRIMARY' ? 'PRIMARY' : undefined }, 'executionNode')}
        >
          <option value="ALL">All nodes</option>
          <option value="PRIMARY">Primary node</option>
        </select>
      </label>
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
