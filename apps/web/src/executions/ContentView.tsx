import { useEffect, useState } from 'react';
import type { ProvenanceContentDto } from '@sluice/contracts';
import { errorText } from '../api/client.js';
import { formatBytes } from '../ui/format.js';
import { pretty } from './diff.js';
import { provenanceApi } from './provenance-api.js';

/** Rows and columns a row table shows at most. */
const TABLE_ROWS = 200;
const TABLE_COLUMNS = 30;

/** Loads an event's content page by page; the text accumulates as "Load more" is used. */
export function useEventContent(eventId: number | null): { content: ProvenanceContentDto | null; text: string; error: string | null; more: () => void } {
  const [pages, setPages] = useState<ProvenanceContentDto[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setPages([]);
    setError(null);
    if (eventId === null) return;
    let live = true;
    provenanceApi.content(eventId).then((c) => live && setPages([c]), (e: unknown) => live && setError(errorText(e)));
    return () => {
      live = false;
    };
  }, [eventId]);
  const last = pages[pages.length - 1] ?? null;
  const more = () => {
    if (eventId === null || !last?.nextOffset) return;
    provenanceApi.content(eventId, last.nextOffset).then((c) => setPages((p) => [...p, c]), (e: unknown) => setError(errorText(e)));
  };
  return { content: last, text: pages.map((p) => p.text ?? '').join(''), error, more };
}

/** Columns of an array of objects: the union of their keys, first seen first. */
function columnsOf(rows: unknown[]): string[] {
  const cols: string[] = [];
  for (const r of rows.slice(0, TABLE_ROWS)) {
    if (r && typeof r === 'object' && !Array.isArray(r)) for (const k of Object.keys(r)) if (!cols.includes(k)) cols.push(k);
    if (cols.length >= TABLE_COLUMNS) break;
  }
  return cols.slice(0, TABLE_COLUMNS);
}

const cell = (v: unknown) => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));

/** An event's content: formatted JSON, a row table for arrays, or the raw text, with a clear mark when it is cut. */
export function ContentView({ eventId }: { eventId: number }) {
  const { content, text, error, more } = useEventContent(eventId);
  const [mode, setMode] = useState<'formatted' | 'table' | 'raw'>('formatted');
  if (error) return <div className="error-box">{error}</div>;
  if (!content) return <div className="muted">Loading content…</div>;
  if (content.text === null && content.kept === 0) return <div className="muted" data-testid="content-missing">No content to show: {content.note ?? 'empty'}.</div>;
  if (content.text === null) return <div className="muted">Binary content ({formatBytes(content.size)}), not shown as text.</div>;
  const p = pretty(text);
  const rows = p.isJson && Array.isArray(p.json) ? (p.json as unknown[]) : null;
  const cols = rows ? columnsOf(rows) : [];
  const view = mode === 'table' && rows ? 'table' : mode === 'raw' ? 'raw' : 'formatted';
  return (
    <div className="pv-content" data-testid="content-view">
      <div className="pv-toolbar">
        <span className="muted small">{formatBytes(content.size)}{p.isJson ? ' · JSON' : ''}{rows ? ` · ${rows.length} rows` : ''}</span>
        <span className="spacer" />
        <button className={`btn sm${view === 'formatted' ? ' primary' : ''}`} onClick={() => setMode('formatted')}>Formatted</button>
        <button className={`btn sm${view === 'table' ? ' primary' : ''}`} disabled={!rows} title={rows ? undefined : 'Only a JSON array shows as rows'} onClick={() => setMode('table')}>Rows</button>
        <button className={`btn sm${view === 'raw' ? ' primary' : ''}`} onClick={() => setMode('raw')}>Raw</button>
      </div>
      {content.truncated && (
        <div className="pv-cut" data-testid="content-cut">
          Cut: {content.note}.{content.nextOffset !== null && <> <button className="btn sm" onClick={more}>Load more</button></>}
        </div>
      )}
      {view === 'table' && rows ? (
        <div className="pv-scroll">
          <table className="table compact" data-testid="content-rows">
            <thead><tr><th>#</th>{cols.map((c) => <th key={c}>{c}</th>)}</tr></thead>
            <tbody>
              {rows.slice(0, TABLE_ROWS).map((r, i) => (
                <tr key={i}><td className="muted">{i}</td>{cols.map((c) => <td key={c} className="mono">{cell((r as Record<string, unknown> | null)?.[c])}</td>)}</tr>
              ))}
            </tbody>
          </table>
          {rows.length > TABLE_ROWS && <div className="muted small">First {TABLE_ROWS} of {rows.length} rows.</div>}
        </div>
      ) : (
        <pre className="pv-pre" data-testid="content-text">{view === 'raw' ? text : p.text}</pre>
      )}
    </div>
  );
}
