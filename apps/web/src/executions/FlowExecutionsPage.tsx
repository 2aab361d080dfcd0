import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ExecutionDto, FlowDto, Page } from '@sluice/contracts';
import { api, errorText, type HourlyMetric } from '../api/client.js';
import { useFlowEvents } from '../api/useFlowEvents.js';
import { LiveStore, useExecutions } from '../canvas/live-store.js';
import { AppShell } from '../ui/AppShell.js';
import { formatDateTime, formatDuration } from '../ui/format.js';

const PAGE = 25;

export const executionDuration = (e: ExecutionDto, now = Date.now()) =>
  (e.finishedAt ? Date.parse(e.finishedAt) : now) - Date.parse(e.startedAt);

export function FlowExecutionsPage() {
  const { id } = useParams();
  const flowId = id!;
  const navigate = useNavigate();
  const [flow, setFlow] = useState<FlowDto | null>(null);
  const [page, setPage] = useState<Page<ExecutionDto> | null>(null);
  const [metrics, setMetrics] = useState<HourlyMetric[]>([]);
  const [search] = useSearchParams();
  // The flow list links here with ?status=failed.
  const [status, setStatus] = useState(() => search.get('status') ?? '');
  const [sku, setSku] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [offset, setOffset] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const live = useMemo(() => new LiveStore(), []);
  const liveExecutions = useExecutions(live);

  const load = useCallback(async () => {
    try {
      setError(null);
      setPage(
        await api.executions({
          flowId,
          status: status || undefined,
          sku: sku || undefined,
          from: from ? new Date(from).toISOString() : undefined,
          to: to ? new Date(to).toISOString() : undefined,
          offset,
          limit: PAGE,
        }),
      );
    } catch (e) {
      setError(errorText(e));
    }
  }, [flowId, status, sku, from, to, offset]);

  const loadMetrics = useCallback(() => api.hourlyMetrics(flowId).then(setMetrics, () => setMetrics([])), [flowId]);
  useEffect(() => {
    api.getFlow(flowId).then(setFlow, (e) => setError(errorText(e)));
    void loadMetrics();
  }, [flowId, loadMetrics]);
  useEffect(() => {
    void load();
  }, [load]);
  useFlowEvents(flowId, live, () => {
    void load();
    void loadMetrics();
  });

  const chart = metrics.map((m) => ({
    ...m,
    label: new Date(m.hour).toLocaleString([], { month: 'short', day: 'numeric', hour: '2-digit' }),
    errorPct: Math.round(m.errorRate * 1000) / 10,
    success: m.statuses.success ?? 0,
    partial: m.statuses.partial ?? 0,
    failedRuns: m.statuses.failed ?? 0,
  }));

  return (
    <AppShell
      title={
        <>
          <Link to={`/flows/${flowId}`} className="crumb">{flow?.name ?? 'Flow'}</Link>
          <span className="muted">/ Executions</span>
        </>
      }
      actions={<Link className="btn ghost sm" to={`/flows/${flowId}`}>Open designer</Link>}
    >
      <div className="page">
        <div className="card">
          <h2>Rows per hour</h2>
          {chart.length === 0 ? (
            <div className="muted">No rows written in the last 48 hours.</div>
          ) : (
            <div style={{ height: 220 }} data-testid="hourly-chart">
              <ResponsiveContainer width="100%" height="100%">
                <ComposedChart data={chart} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
                  <CartesianGrid stroke="#eef0f3" vertical={false} />
                  <XAxis dataKey="label" tick={{ fontSize: 11 }} />
                  <YAxis yAxisId="rows" tick={{ fontSize: 11 }} allowDecimals={false} />
                  <YAxis yAxisId="rate" orientation="right" tick={{ fontSize: 11 }} unit="%" domain={[0, 100]} />
                  <Tooltip />
                  <Legend wrapperStyle={{ fontSize: 12 }} />
                  <Bar yAxisId="rows" dataKey="written" name="Written" fill="#2f6fed" radius={[3, 3, 0, 0]} />
                  <Bar yAxisId="rows" dataKey="failed" name="Failed" fill="#d13c3c" radius={[3, 3, 0, 0]} />
                  <Line yAxisId="rate" dataKey="errorPct" name="Error rate" stroke="#c27c0e" dot={false} strokeWidth={2} />
                </ComposedChart>
              </ResponsiveContainer>
            </div>
          )}
          {chart.length > 0 && (
            <>
              <h2>Executions per hour</h2>
              <div style={{ height: 160 }} data-testid="status-chart">
                <ResponsiveContainer width="100%" height="100%">
                  <ComposedChart data={chart} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
                    <CartesianGrid stroke="#eef0f3" vertical={false} />
                    <XAxis dataKey="label" tick={{ fontSize: 11 }} />
                    <YAxis tick={{ fontSize: 11 }} allowDecimals={false} />
                    <Tooltip />
                    <Legend wrapperStyle={{ fontSize: 12 }} />
                    <Bar dataKey="success" name="Success" stackId="runs" fill="#1f9d55" />
                    <Bar dataKey="partial" name="Partial" stackId="runs" fill="#c27c0e" />
                    <Bar dataKey="failedRuns" name="Failed" stackId="runs" fill="#d13c3c" radius={[3, 3, 0, 0]} />
                  </ComposedChart>
                </ResponsiveContainer>
              </div>
            </>
          )}
        </div>
        <div className="page-head filters">
          <select value={status} onChange={(e) => { setOffset(0); setStatus(e.target.value); }} aria-label="Status filter">
            <option value="">All statuses</option>
            <option value="in-progress">In progress</option>
            <option value="success">Success</option>
            <option value="partial">Partial</option>
            <option value="failed">Failed</option>
            <option value="empty">Empty</option>
          </select>
          <input className="search" placeholder="SKU in row logs…" value={sku} onChange={(e) => { setOffset(0); setSku(e.target.value); }} aria-label="SKU filter" />
          <label className="muted small">From <input type="datetime-local" value={from} onChange={(e) => { setOffset(0); setFrom(e.target.value); }} /></label>
          <label className="muted small">To <input type="datetime-local" value={to} onChange={(e) => { setOffset(0); setTo(e.target.value); }} /></label>
          <span className="spacer" />
          <button className="btn sm" onClick={load}>Refresh</button>
        </div>
        {error && <div className="error-box">{error}</div>}
        <table className="table" data-testid="executions-table">
          <thead>
            <tr><th>Started</th><th>Status</th><th>Trigger</th><th>Read</th><th>Written</th><th>Failed</th><th>Duration</th><th>Progress</th></tr>
          </thead>
          <tbody>
            {page?.items.length === 0 && <tr><td colSpan={8} className="muted">No executions match.</td></tr>}
            {page?.items.map((raw) => {
              const upd = liveExecutions.get(raw.id);
              const e = upd ? { ...raw, status: upd.status as ExecutionDto['status'], state: upd.state as ExecutionDto['state'], counts: upd.counts } : raw;
              const running = e.state !== 'finished';
              return (
                <tr key={e.id} className="clickable" onClick={() => navigate(`/executions/${e.id}`)}>
                  <td>{formatDateTime(e.startedAt)}</td>
                  <td><span className={`state-pill state-${e.status}`}>{e.status}</span></td>
                  <td>{e.trigger}{e.triggeredBy ? <span className="muted small"> · {e.triggeredBy}</span> : null}</td>
                  <td>{e.counts.read}</td>
                  <td>{e.counts.written}</td>
                  <td className={e.counts.failed ? 'err-text' : undefined}>{e.counts.failed}</td>
                  <td>{formatDuration(executionDuration(e))}</td>
                  <td>
                    {running ? (
                      <div className={`progress${e.counts.read ? '' : ' indeterminate'}`}>
                        <div style={{ width: `${e.counts.read ? Math.min(100, ((e.counts.written + e.counts.failed) / e.counts.read) * 100) : 40}%` }} />
                      </div>
                    ) : (
                      <span className="muted small">done</span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {page && page.total > PAGE && (
          <div className="pager">
            <span className="muted">{offset + 1}–{Math.min(offset + PAGE, page.total)} of {page.total}</span>
            <button className="btn sm" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>Previous</button>
            <button className="btn sm" disabled={offset + PAGE >= page.total} onClick={() => setOffset(offset + PAGE)}>Next</button>
          </div>
        )}
      </div>
    </AppShell>
  );
}
