import { useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { IntegrationSettingsSchema, type FlowSummaryDto, type IntegrationSettings } from '@sluice/contracts';
import type { FlowEditor } from './useFlowEditor.js';
import { useDesigner } from './designer-context.js';
import { api, errorText } from '../api/client.js';
import { useBulletins, useExecutions } from '../canvas/live-store.js';
import { ParametersEditor } from '../properties/ParametersEditor.js';
import { formatDateTime } from '../ui/format.js';
import { OutboundKeys } from './OutboundKeys.js';
import { ProblemList, useProblemCount } from './ProblemList.js';
import { deniedReason } from '../ui/roles.js';
import { ControllerServicesPanel } from './ControllerServicesPanel.js';

type Tab = 'flow' | 'services' | 'trigger' | 'problems' | 'bulletins';

export function FlowInspector({ editor, onSelectProcessor }: { editor: FlowEditor; onSelectProcessor: (id: string) => void }) {
  const [tab, setTab] = useState<Tab>('flow');
  const { live } = useDesigner();
  const bulletins = useBulletins(live);
  const problems = useProblemCount();
  return (
    <div className="inspector-body" data-testid="flow-inspector">
      <div className="tabs">
        <button className={`tab${tab === 'flow' ? ' active' : ''}`} onClick={() => setTab('flow')}>Flow</button>
        <button className={`tab${tab === 'services' ? ' active' : ''}`} onClick={() => setTab('services')}>Services</button>
        <button className={`tab${tab === 'trigger' ? ' active' : ''}`} onClick={() => setTab('trigger')}>Trigger</button>
        <button className={`tab${tab === 'problems' ? ' active' : ''}`} onClick={() => setTab('problems')} data-testid="problems-tab">
          Problems{problems > 0 && <span className="count-chip bad">{problems}</span>}
        </button>
        <button className={`tab${tab === 'bulletins' ? ' active' : ''}`} onClick={() => setTab('bulletins')}>
          Bulletins{bulletins.length > 0 && <span className="count-chip">{bulletins.length}</span>}
        </button>
      </div>
      <div className="inspector-scroll">
        {tab === 'flow' && <FlowSettings editor={editor} />}
        {tab === 'services' && <ControllerServicesPanel editor={editor} />}
        {tab === 'trigger' && <TriggerPanel editor={editor} />}
        {tab === 'problems' && <ProblemList editor={editor} onSelectProcessor={onSelectProcessor} />}
        {tab === 'bulletins' && <BulletinList onSelectProcessor={onSelectProcessor} editor={editor} />}
      </div>
    </div>
  );
}

function FlowSettings({ editor }: { editor: FlowEditor }) {
  const { canEdit } = useDesigner();
  const ro = !canEdit;
  const base = editor.base;
  const integration: IntegrationSettings = base.integration ?? IntegrationSettingsSchema.parse({});
  const setIntegration = (patch: Partial<IntegrationSettings>, key: string) => editor.updateBase({ integration: { ...integration, ...patch } }, `int:${key}`);
  const { flowId } = useDesigner();
  const [otherFlows, setOtherFlows] = useState<FlowSummaryDto[]>([]);
  useEffect(() => {
    let live = true;
    api
      .listFlows()
      .then((all) => live && setOtherFlows(all.filter((f) => f.id !== flowId && f.direction !== 'outbound')))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [flowId]);
  return (
    <div className="pad">
      <label className="field">
        <span>Description</span>
        <textarea rows={3} readOnly={ro} value={base.description} onChange={(e) => editor.updateBase({ description: e.target.value }, 'description')} />
      </label>
      <div className="field">
        <span>Parameters <span className="muted small">(referenced as #{'{'}name{'}'})</span></span>
        <ParametersEditor
          readOnly={ro}
          value={{ parameters: base.parameters, sensitive: base.sensitiveParameters ?? [] }}
          onChange={(v) => editor.updateBase({ parameters: v.parameters, sensitiveParameters: [...v.sensitive] }, 'parameters')}
        />
        <Link className="small" to={`/flows/${flowId}/parameters`}>Open the parameters page</Link>
      </div>
      <h3 className="mt">Integration</h3>
      <div className="grid-2">
        <label className="field">
          <span>Kind</span>
          <select disabled={ro} value={integration.kind} onChange={(e) => setIntegration({ kind: e.target.value as IntegrationSettings['kind'] }, 'kind')}>
            <option value="generic">Generic</option>
            <option value="stock">Stock</option>
            <option value="image">Image</option>
          </select>
        </label>
        <label className="field">
          <span>Direction</span>
          <select disabled={ro} value={integration.direction} onChange={(e) => setIntegration({ direction: e.target.value as IntegrationSettings['direction'] }, 'direction')}>
            <option value="inbound">Inbound</option>
            <option value="outbound">Outbound</option>
          </select>
        </label>
        <label className="field">
          <span>Schedule</span>
          <select
            disabled={ro}
            value={integration.schedule.type}
            onChange={(e) => setIntegration({ schedule: { ...integration.schedule, type: e.target.value as 'every' | 'cron' | 'none' } }, 'schedType')}
          >
            <option value="none">None</option>
            <option value="every">Every…</option>
            <option value="cron">CRON</option>
          </select>
        </label>
        {integration.schedule.type !== 'none' && (
          <label className="field">
            <span>{integration.schedule.type === 'cron' ? 'CRON expression' : 'Interval'}</span>
            <input
              readOnly={ro}
              value={integration.schedule.value}
              placeholder={integration.schedule.type === 'cron' ? '0 */15 * * * *' : '5 mins'}
              onChange={(e) => setIntegration({ schedule: { ...integration.schedule, value: e.target.value } }, 'schedValue')}
            />
          </label>
        )}
        <label className="field">
          <span>Time zone</span>
          <input readOnly={ro} value={integration.timeZone} onChange={(e) => setIntegration({ timeZone: e.target.value }, 'tz')} />
        </label>
        <WholeNumberField
          label="Max concurrent executions"
          min={1}
          max={100}
          readOnly={ro}
          value={integration.maxConcurrentExecutions}
          onChange={(maxConcurrentExecutions) => setIntegration({ maxConcurrentExecutions }, 'maxExec')}
        />
      </div>
      <label className="field">
        <span>Triggered by (runs after that flow succeeds)</span>
        <select
          disabled={ro || integration.direction === 'outbound'}
          value={integration.triggeredBy ?? ''}
          onChange={(e) => setIntegration({ triggeredBy: e.target.value || undefined }, 'triggeredBy')}
          aria-label="Triggered by"
        >
          <option value="">— no other flow —</option>
          {otherFlows.map((f) => (
            <option key={f.id} value={f.id}>{f.name}</option>
          ))}
        </select>
      </label>
      <FetchMissingSettings integration={integration} readOnly={ro} onChange={(fetchMissing) => setIntegration({ fetchMissing }, 'fetchMissing')} />
      <label className="field">
        <span>Entry processor (receives triggers)</span>
        <select disabled={ro} value={integration.entryProcessorId ?? ''} onChange={(e) => setIntegration({ entryProcessorId: e.target.value || undefined }, 'entry')}>
          <option value="">— automatic —</option>
          {editor.nodes.map((n) => (
            <option key={n.id} value={n.id}>{n.data.name}</option>
          ))}
        </select>
      </label>
      <div className="field">
        <span>Query keys</span>
        <table className="table compact">
          <thead>
            <tr><th>Key</th><th>Type</th><th /></tr>
          </thead>
          <tbody>
            {Object.entries(integration.queryKeys).map(([name, k]) => (
              <tr key={name}>
                <td className="mono">{k.key}</td>
                <td>{k.type}</td>
                <td className="row-actions">
                  {!ro && name !== 'sku' && name !== 'modified_date__gt' && (
                    <button
                      className="btn ghost sm danger"
                      onClick={() => {
                        const next = { ...integration.queryKeys };
                        delete next[name];
                        setIntegration({ queryKeys: next }, 'qk');
                      }}
                    >
                      Remove
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {!ro && <AddQueryKey onAdd={(key, type) => setIntegration({ queryKeys: { ...integration.queryKeys, [key]: { key, type } } }, 'qk')} />}
      </div>
    </div>
  );
}

/** A number input that only ever reports a whole number within [min, max]. */
function WholeNumberField({ label, min, max, value, readOnly, onChange }: { label: string; min: number; max: number; value: number; readOnly: boolean; onChange: (n: number) => void }) {
  return (
    <label className="field">
      <span>{label}</span>
      <input type="number" min={min} max={max} readOnly={readOnly} value={value} onChange={(e) => onChange(Math.max(min, Math.min(max, Math.trunc(Number(e.target.value)) || min)))} />
    </label>
  );
}

/** Integrator's "fetch missing": inbound flows only, so the form says why it is off for outbound ones. */
function FetchMissingSettings({ integration, readOnly, onChange }: { integration: IntegrationSettings; readOnly: boolean; onChange: (f: IntegrationSettings['fetchMissing']) => void }) {
  const f = integration.fetchMissing;
  const outbound = integration.direction === 'outbound';
  const set = (patch: Partial<typeof f>) => onChange({ ...f, ...patch });
  return (
    <fieldset className="field fetch-missing" data-testid="fetch-missing-settings">
      <legend>Fetch missing</legend>
      {outbound ? (
        <p className="muted small">Not available on outbound flows: the ERP sends their data, so there is nothing to fetch.</p>
      ) : (
        <>
          <label className="check-row">
            <input type="checkbox" disabled={readOnly} checked={f.enabled} onChange={(e) => set({ enabled: e.target.checked })} />
            Ask Omnitron for recently productized products this flow has not written, and run the flow for their SKUs
          </label>
          {f.enabled && (
            <div className="grid-2">
              <label className="field">
                <span>Every</span>
                <input readOnly={readOnly} value={f.interval} placeholder="4 hours" onChange={(e) => set({ interval: e.target.value })} />
              </label>
              <WholeNumberField
                label="Productization date limit (days)"
                min={1}
                max={3650}
                readOnly={readOnly}
                value={f.productizationDateLimitDays}
                onChange={(productizationDateLimitDays) => set({ productizationDateLimitDays })}
              />
              <label className="field">
                <span>Omnitron identifier path</span>
                <input readOnly={readOnly} value={f.omnitronIdentifierPath} placeholder="sku" onChange={(e) => set({ omnitronIdentifierPath: e.target.value })} />
              </label>
            </div>
          )}
        </>
      )}
    </fieldset>
  );
}

function AddQueryKey({ onAdd }: { onAdd: (key: string, type: 'string' | 'datetime') => void }) {
  const [key, setKey] = useState('');
  const [type, setType] = useState<'string' | 'datetime'>('string');
  return (
    <form
      className="inline-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (!/^[A-Za-z_][\w.]*$/.test(key)) return;
        onAdd(key, type);
        setKey('');
      }}
    >
      <input placeholder="custom key" value={key} onChange={(e) => setKey(e.target.value)} aria-label="New query key" />
      <select value={type} onChange={(e) => setType(e.target.value as 'string' | 'datetime')}>
        <option value="string">string</option>
        <option value="datetime">datetime</option>
      </select>
      <button className="btn sm" type="submit" disabled={!/^[A-Za-z_][\w.]*$/.test(key)}>Add key</button>
    </form>
  );
}

function TriggerPanel({ editor }: { editor: FlowEditor }) {
  const { flowId, live, canEdit } = useDesigner();
  const navigate = useNavigate();
  const integration = editor.base.integration ?? IntegrationSettingsSchema.parse({});
  const keys = Object.values(integration.queryKeys);
  const [values, setValues] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [started, setStarted] = useState<string[]>([]);
  const executions = useExecutions(live);
  const outboundUrl = `${location.origin}/api/outbound/${flowId}`;
  const example =
    integration.kind === 'image'
      ? '[{"product_sku": "1234", "images": [{"url": "https://cdn.example.com/1234-1.jpg", "order": 1}]}]'
      : '[{"stock_list": "1", "unit_type": "qty", "product_sku": "1234", "stock": 5}]';
  const outbound = integration.direction === 'outbound';
  const denied = deniedReason('editor', 'trigger a run');
  const [missing, setMissing] = useState<string | null>(null);
  const fetchMissing = async () => {
    setError(null);
    setMissing(null);
    try {
      const r = await api.fetchMissing(flowId);
      if (r.executionId) setStarted((s) => [r.executionId!, ...s].slice(0, 10));
      setMissing(r.skus.length === 0 ? 'Omnitron reports no missing products.' : `Running for ${r.skus.length} missing SKU(s).`);
    } catch (e) {
      setError(errorText(e));
    }
  };

  const submit = async () => {
    setError(null);
    try {
      const params: Record<string, string> = {};
      for (const k of keys) {
        const v = values[k.key]?.trim();
        if (!v) continue;
        params[k.key] = k.type === 'datetime' && !Number.isNaN(Date.parse(v)) ? new Date(v).toISOString() : v;
      }
      const { executionId } = await api.trigger(flowId, params);
      setStarted((s) => [executionId, ...s].slice(0, 10));
    } catch (e) {
      setError(errorText(e));
    }
  };

  if (outbound) {
    return (
      <div className="pad">
        <OutboundKeys flowId={flowId} url={outboundUrl} example={example} canEdit={canEdit} />
        <ExecutionList ids={started} executions={executions} onOpen={(id) => navigate(`/executions/${id}`)} />
      </div>
    );
  }
  return (
    <div className="pad">
      <h3>Manual trigger</h3>
      <p className="muted small">Runs the flow once with these query parameters; leave all empty for a run since the last request.</p>
      {keys.map((k) => (
        <label className="field" key={k.key}>
          <span className="mono">{k.key}</span>
          <input
            name={k.key}
            type={k.type === 'datetime' ? 'datetime-local' : 'text'}
            step={k.type === 'datetime' ? 1 : undefined}
            value={values[k.key] ?? ''}
            onChange={(e) => setValues({ ...values, [k.key]: e.target.value })}
          />
        </label>
      ))}
      <div className="btn-row">
        <button className="btn primary" onClick={submit} disabled={denied !== null} title={denied ?? undefined}>Trigger run</button>
        {integration.fetchMissing.enabled && (
          <button className="btn" onClick={fetchMissing} disabled={denied !== null} title={denied ?? undefined} data-testid="fetch-missing-now">Fetch missing now</button>
        )}
      </div>
      {denied && <p className="role-note" role="note">{denied}</p>}
      {error && <div className="error-box">{error}</div>}
      {missing && <p className="muted small">{missing}</p>}
      <ExecutionList ids={started} executions={executions} onOpen={(id) => navigate(`/executions/${id}`)} />
    </div>
  );
}

function ExecutionList({ ids, executions, onOpen }: { ids: string[]; executions: ReturnType<typeof useExecutions>; onOpen: (id: string) => void }) {
  return (
    <>
      {ids.map((id) => {
        const e = executions.get(id);
        return (
          <div key={id} className="exec-mini" onClick={() => onOpen(id)}>
            <span className="mono">{id.slice(0, 8)}</span>
            <span className={`state-pill state-${e?.status ?? 'in-progress'}`}>{e?.status ?? 'started'}</span>
            {e && <span className="muted small">read {e.counts.read} · written {e.counts.written} · failed {e.counts.failed}</span>}
            {(!e || e.state !== 'finished') && (
              <div className="progress indeterminate"><div /></div>
            )}
          </div>
        );
      })}
    </>
  );
}

function BulletinList({ onSelectProcessor, editor }: { onSelectProcessor: (id: string) => void; editor: FlowEditor }) {
  const { live } = useDesigner();
  const bulletins = useBulletins(live);
  const names = new Map(editor.nodes.map((n) => [n.id, n.data.name]));
  return (
    <div className="pad">
      <div className="queue-head">
        <h3>Bulletins</h3>
        <span className="spacer" />
        <button className="btn sm" disabled={bulletins.length === 0} onClick={() => live.clearBulletins()} title="Hide them here; the server keeps each processor's newest 20">Hide</button>
      </div>
      {bulletins.length === 0 && <div className="muted">No warnings or errors.</div>}
      {bulletins.map((b, i) => (
        <div key={i} className={`bulletin ${b.level}`} onClick={() => b.processorId && onSelectProcessor(b.processorId)}>
          <div className="bulletin-meta">
            <span className="bulletin-level">{b.level}</span>
            {b.processorId && <span>{names.get(b.processorId) ?? b.processorId}</span>}
            <span className="muted">{formatDateTime(b.timestamp)}</span>
          </div>
          <div className="bulletin-msg">{b.message}</div>
        </div>
      ))}
    </div>
  );
}
