import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import type { FlowImportDto, FlowSummaryDto } from '@sluice/contracts';
import { api, errorText, session, type TemplateDto } from '../api/client.js';
import { AppShell } from '../ui/AppShell.js';
import { downloadJson, relativeTime } from '../ui/format.js';
import { deniedReason } from '../ui/roles.js';
import { ImportReportDialog } from './ImportReportDialog.js';

export function FlowListPage() {
  const [flows, setFlows] = useState<FlowSummaryDto[] | null>(null);
  const [templates, setTemplates] = useState<TemplateDto[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [filter, setFilter] = useState('');
  const [renaming, setRenaming] = useState<string | null>(null);
  const [showTemplates, setShowTemplates] = useState(false);
  const [imported, setImported] = useState<FlowImportDto | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const navigate = useNavigate();
  const canEdit = session.canEdit();
  const denied = deniedReason('editor', 'create, import and change flows');
  const lock = { disabled: denied !== null, title: denied ?? undefined };

  const load = useCallback(async () => {
    try {
      setFlows(await api.listFlows());
    } catch (e) {
      setError(errorText(e));
    }
  }, []);

  useEffect(() => {
    void load();
    api.templates().then(setTemplates, () => setTemplates([]));
  }, [load]);

  const act = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
      await load();
    } catch (e) {
      setError(errorText(e));
    }
  };

  const create = () =>
    act(async () => {
      const flow = await api.createFlow({ name: uniqueName('New flow', flows ?? []) });
      navigate(`/flows/${flow.id}`);
    });

  const rename = (flow: FlowSummaryDto, name: string) =>
    act(async () => {
      setRenaming(null);
      const trimmed = name.trim();
      if (!trimmed || trimmed === flow.name) return;
      await api.renameFlow(flow.id, trimmed);
    });

  const remove = (flow: FlowSummaryDto) => {
    if (!confirm(`Delete the flow "${flow.name}"? This cannot be undone.`)) return;
    void act(() => api.deleteFlow(flow.id));
  };

  const exportFlow = (flow: FlowSummaryDto) =>
    act(async () => downloadJson(`${flow.name.replace(/[^\w.-]+/g, '_')}.json`, await api.exportFlow(flow.id)));

  const exportNifi = (flow: FlowSummaryDto) =>
    act(async () => downloadJson(`${flow.name.replace(/[^\w.-]+/g, '_')}.nifi.json`, await api.exportNifiFlow(flow.id)));

  const importFile = (file: File) =>
    act(async () => {
      let doc: unknown;
      try {
        doc = JSON.parse(await file.text());
      } catch (e) {
        throw new Error(`${file.name} is not valid JSON: ${(e as Error).message}`);
      }
      const flow = await api.importFlow(doc);
      // A NiFi flow definition is shown with its report first: what could not be carried over must not go unseen.
      if (flow.format === 'nifi') setImported(flow);
      else navigate(`/flows/${flow.id}`);
    });

  const fromTemplate = (t: TemplateDto) =>
    act(async () => {
      const flow = await api.fromTemplate(t.id, uniqueName(t.name, flows ?? []));
      navigate(`/flows/${flow.id}`);
    });

  const visible = (flows ?? []).filter((f) => f.name.toLowerCase().includes(filter.toLowerCase()));

  return (
    <AppShell title="Flows">
      <div className="page">
        <div className="page-head">
          <h1>Flows</h1>
          <input className="search" placeholder="Filter flows…" value={filter} onChange={(e) => setFilter(e.target.value)} />
          <div className="spacer" />
          {(
            <>
              <button className="btn" disabled={denied !== null} title={denied ?? "A Sluice export or a NiFi flow definition (NiFi's Download flow definition)"} onClick={() => fileInput.current?.click()}>
                Import JSON
              </button>
              <input
                ref={fileInput}
                type="file"
                accept="application/json,.json"
                hidden
                data-testid="import-file"
                onChange={(e) => {
                  const f = e.target.files?.[0];
                  e.target.value = '';
                  if (f) void importFile(f);
                }}
              />
              <button className="btn" {...lock} onClick={() => setShowTemplates((v) => !v)} aria-expanded={showTemplates}>
                From template
              </button>
              <button className="btn primary" {...lock} onClick={create}>New flow</button>
            </>
          )}
        </div>
        {denied && <p className="role-note" role="note">{denied}</p>}
        {error && <div className="error-box" role="alert">{error}</div>}
        {imported && <ImportReportDialog result={imported} onOpen={() => navigate(`/flows/${imported.id}`)} onClose={() => setImported(null)} />}
        {showTemplates && canEdit && (
          <div className="template-grid">
            {templates.length === 0 && <div className="muted">No templates available.</div>}
            {templates.map((t) => (
              <button key={t.id} className="template-card" onClick={() => fromTemplate(t)} data-template={t.id}>
                <strong>{t.name}</strong>
                <span className="muted">{t.description}</span>
              </button>
            ))}
          </div>
        )}
        <table className="table flows-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Kind</th>
              <th>State</th>
              <th>Last run</th>
              <th>Last 24 h</th>
              <th>Version</th>
              <th>Updated</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {flows === null && (
              <tr><td colSpan={8} className="muted">Loading…</td></tr>
            )}
            {flows !== null && visible.length === 0 && (
              <tr><td colSpan={8} className="muted">{flows.length === 0 ? 'No flows yet. Create one or start from a template.' : 'No flow matches the filter.'}</td></tr>
            )}
            {visible.map((f) => (
              <tr key={f.id} data-flow-id={f.id}>
                <td>
                  {renaming === f.id ? (
                    <input
                      className="inline-input"
                      autoFocus
                      defaultValue={f.name}
                      aria-label="Flow name"
                      onBlur={(e) => rename(f, e.target.value)}
                      onKeyDown={(e) => {
                        if (e.key === 'Enter') (e.target as HTMLInputElement).blur();
                        if (e.key === 'Escape') setRenaming(null);
                      }}
                    />
                  ) : (
                    <Link to={`/flows/${f.id}`} className="flow-link">{f.name}</Link>
                  )}
                  {f.description && <div className="muted small">{f.description}</div>}
                </td>
                <td>{[f.kind, f.direction].filter(Boolean).join(' · ') || <span className="muted">generic</span>}</td>
                <td><span className={`state-pill state-${f.state}`}>{f.state}</span></td>
                <td data-testid="last-run">
                  {f.lastExecution ? (
                    <Link to={`/executions/${f.lastExecution.id}`} title={f.lastExecution.error ?? f.lastExecution.startedAt}>
                      <span className={`state-pill state-${f.lastExecution.status}`}>{f.lastExecution.status}</span>{' '}
                      <span className="muted small">{relativeTime(f.lastExecution.finishedAt ?? f.lastExecution.startedAt)}</span>
                    </Link>
                  ) : (
                    <span className="muted small">never ran</span>
                  )}
                </td>
                <td data-testid="errors-24h">
                  {f.last24h && (f.last24h.failedExecutions > 0 || f.last24h.failedRows > 0) ? (
                    <Link to={`/flows/${f.id}/executions?status=failed`} className="error-count" title="Failed or partly failed executions, and failed rows, in the last 24 hours">
                      {f.last24h.failedExecutions} failed · {f.last24h.failedRows} rows
                    </Link>
                  ) : (
                    <span className="muted small">{f.last24h ? 'no errors' : '—'}</span>
                  )}
                </td>
                <td>v{f.version}</td>
                <td title={f.updatedAt}>{relativeTime(f.updatedAt)}</td>
                <td className="row-actions">
                  <Link className="btn ghost sm" to={`/flows/${f.id}/executions`}>Executions</Link>
                  <button className="btn ghost sm" onClick={() => exportFlow(f)}>Export</button>
                  <button className="btn ghost sm" onClick={() => exportNifi(f)} title="As a NiFi flow definition (flows of NiFi processors only)">Export for NiFi</button>
                  <button className="btn ghost sm" {...lock} onClick={() => setRenaming(f.id)}>Rename</button>
                  <button className="btn ghost sm" {...lock} onClick={() => act(() => api.duplicateFlow(f.id))}>Duplicate</button>
                  <button className="btn ghost sm danger" {...lock} onClick={() => remove(f)}>Delete</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </AppShell>
  );
}

function uniqueName(base: string, flows: FlowSummaryDto[]): string {
  const names = new Set(flows.map((f) => f.name));
  if (!names.has(base)) return base;
  for (let i = 2; ; i++) if (!names.has(`${base} ${i}`)) return `${base} ${i}`;
}
