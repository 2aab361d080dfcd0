import { Fragment, useCallback, useEffect, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import type { ExecutionDto, ExecutionStepDto, Page, RowLogDto } from '@sluice/contracts';
import { api, errorText } from '../api/client.js';
import { useFlowEvents } from '../api/useFlowEvents.js';
import { LiveStore, useExecutions } from '../canvas/live-store.js';
import { AppShell } from '../ui/AppShell.js';
import { formatBytes, formatDateTime, formatDuration } from '../ui/format.js';
import { executionDuration } from './FlowExecutionsPage.js';
import { RowJourney, StepData } from './StepData.js';

const PAGE = 50;

export function ExecutionPage() {
  const { id } = useParams();
  const executionId = id!;
  const [exec, setExec] = useState<ExecutionDto | null>(null);
  const [steps, setSteps] = useState<ExecutionStepDto[]>([]);
  const [rows, setRows] = useState<Page<RowLogDto> | null>(null);
  const [status, setStatus] = useState('');
  const [sku, setSku] = useState('');
  const [offset, setOffset] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [openStep, setOpenStep] = useState<string | null>(null);
  const [journeyRow, setJourneyRow] = useState<number | null>(null);
  const stepName = useCallback((pid: string) => steps.find((s) => s.processorId === pid)?.name ?? pid, [steps]);
  const live = useMemo(() => new LiveStore(), []);
  const updates = useExecutions(live);

  const loadHead = useCallback(async () => {
    try {
      const [e, s] = await Promise.all([api.execution(executionId), api.executionSteps(executionId)]);
      setExec(e);
      setSteps(s);
    } catch (err) {
      setError(errorText(err));
    }
  }, [executionId]);

  const loadRows = useCallback(async () => {
    try {
      setRows(await api.executionRows(executionId, { status: status || undefined, sku: sku || undefined, offset, limit: PAGE }));
    } catch (err) {
      setError(errorText(err));
    }
  }, [executionId, status, sku, offset]);

  useEffect(() => void loadHead(), [loadHead]);
  useEffect(() => void loadRows(), [loadRows]);
  useFlowEvents(exec?.flowId, live, () => {
    void loadHead();
    void loadRows();
  });

  const upd = updates.get(executionId);
  const e = exec && upd ? { ...exec, status: upd.status as ExecutionDto['status'], state: upd.state as ExecutionDto['state'], counts: upd.counts } : exec;

  return (
    <AppShell
      title={
        <>
          {e && <Link to={`/flows/${e.flowId}/executions`} className="crumb">Executions</Link>}
          <span className="muted">/ {executionId.slice(0, 8)}</span>
        </>
      }
    >
      <div className="page">
        {error && <div className="error-box">{error}</div>}
        {e && (
          <div className="card exec-summary" data-testid="execution-summary">
            <div><span className="muted small">Status</span><span className={`state-pill state-${e.status}`}>{e.status}</span></div>
            <div><span className="muted small">Trigger</span>{e.trigger}{e.triggeredBy ? ` · ${e.triggeredBy}` : ''}</div>
            <div><span className="muted small">Started</span>{formatDateTime(e.startedAt)}</div>
            <div><span className="muted small">Duration</span>{formatDuration(executionDuration(e))}</div>
            <div><span className="muted small">Read</span>{e.counts.read}</div>
            <div><span className="muted small">Written</span>{e.counts.written}</div>
            <div><span className="muted small">Failed</span>{e.counts.failed}</div>
            {e.state !== 'finished' && (
              <div className="span-all">
                <div className={`progress${e.counts.read ? '' : ' indeterminate'}`}>
                  <div style={{ width: `${e.counts.read ? Math.min(100, ((e.counts.written + e.counts.failed) / e.counts.read) * 100) : 40}%` }} />
                </div>
              </div>
            )}
            {e.error && <pre className="error-box span-all">{e.error}</pre>}
          </div>
        )}
        <h2>Steps</h2>
        <table className="table steps-table" data-testid="steps-table">
          <colgroup><col style={{ width: '22%' }} /><col style={{ width: '15%' }} /><col style={{ width: '9%' }} /><col style={{ width: '9%' }} /><col style={{ width: '9%' }} /><col /></colgroup>
          <thead>
            <tr><th>Step</th><th>Started</th><th>Duration</th><th>Input</th><th>Output</th><th>Error</th></tr>
          </thead>
          <tbody>
            {steps.length === 0 && <tr><td colSpan={6} className="muted">No steps recorded.</td></tr>}
            {steps.map((s) => (
              <Fragment key={s.id}>
                <tr className={openStep === s.processorId ? 'selected' : undefined}>
                  <td>
                    <button className="btn ghost sm" aria-expanded={openStep === s.processorId} aria-label={`Data of ${s.name}`} onClick={() => setOpenStep(openStep === s.processorId ? null : s.processorId)}>
                      {openStep === s.processorId ? '▾' : '▸'}
                    </button>{' '}
                    <strong>{s.name}</strong>
                  </td>
                  <td>{formatDateTime(s.startedAt)}</td>
                  <td>{formatDuration(s.durationMs)}</td>
                  <td>{formatBytes(s.inputSize)}</td>
                  <td>{formatBytes(s.outputSize)}</td>
                  <td className="err-text">{s.error}</td>
                </tr>
                {openStep === s.processorId && (
                  <tr><td colSpan={6} style={{ padding: 0 }}><StepData executionId={executionId} processorId={s.processorId} name={stepName} {...(e ? { flowId: e.flowId } : {})} /></td></tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
        <div className="page-head filters mt">
          <h2 style={{ margin: 0 }}>Row logs</h2>
          <input className="search" placeholder="Search SKU…" value={sku} onChange={(ev) => { setOffset(0); setSku(ev.target.value); }} aria-label="Search SKU" />
          <select value={status} onChange={(ev) => { setOffset(0); setStatus(ev.target.value); }} aria-label="Row status filter">
            <option value="">All rows</option>
            <option value="success">Success</option>
            <option value="failed">Failed</option>
            <option value="skipped">Skipped</option>
          </select>
          <span className="muted">{rows ? `${rows.total} row${rows.total === 1 ? '' : 's'}` : ''}</span>
        </div>
        <table className="table rows-clickable" data-testid="rows-table">
          <thead>
            <tr><th>SKU</th><th>Status</th><th>Message</th><th>Step</th><th>Time</th></tr>
          </thead>
          <tbody>
            {rows?.items.length === 0 && <tr><td colSpan={5} className="muted">No row logs match.</td></tr>}
            {rows?.items.map((r) => (
              <tr key={r.id} onClick={() => setJourneyRow(r.id)} title="Open the row's journey" tabIndex={0} onKeyDown={(ev) => ev.key === 'Enter' && setJourneyRow(r.id)}>
                <td className="mono">{r.sku ?? '—'}</td>
                <td><span className={`state-pill state-${r.status === 'success' ? 'success' : r.status === 'failed' ? 'failed' : 'skipped'}`}>{r.status}</span></td>
                <td className="pv-wrap">{r.message}</td>
                <td>{r.step ?? ''}</td>
                <td>{formatDateTime(r.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {rows && rows.total > PAGE && (
          <div className="pager">
            <span className="muted">{offset + 1}–{Math.min(offset + PAGE, rows.total)} of {rows.total}</span>
            <button className="btn sm" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>Previous</button>
            <button className="btn sm" disabled={offset + PAGE >= rows.total} onClick={() => setOffset(offset + PAGE)}>Next</button>
          </div>
        )}
      </div>
      {journeyRow !== null && <RowJourney executionId={executionId} rowId={journeyRow} name={stepName} onClose={() => setJourneyRow(null)} />}
    </AppShell>
  );
}
