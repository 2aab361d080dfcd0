import type { RecordedRequestDto } from '@sluice/contracts';

/** Rows shown per request in the table; the count says how many the body has. */
const ROWS_IN_TABLE = 50;

const cell = (v: unknown) => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));

/** The request table of a dry run: what would have been sent, in order, secrets masked. */
export function RequestPreview({ requests, total }: { requests: RecordedRequestDto[]; total: number }) {
  if (requests.length === 0) return <div className="muted" data-testid="no-requests">It would send no request (a cached login, or nothing to send).</div>;
  return (
    <div className="requests" data-testid="request-preview">
      <h3 className="mt">Would send {total} request{total === 1 ? '' : 's'}{total > requests.length ? ` (first ${requests.length} shown)` : ''}</h3>
      {requests.map((r, i) => (
        <RequestView key={i} r={r} />
      ))}
    </div>
  );
}

function RequestView({ r }: { r: RecordedRequestDto }) {
  const columns = r.rows ? [...new Set(r.rows.slice(0, ROWS_IN_TABLE).flatMap((row) => (row && typeof row === 'object' && !Array.isArray(row) ? Object.keys(row) : [])))] : [];
  return (
    <div className="request" data-testid="recorded-request">
      <div className="request-line mono">
        <strong data-testid="request-method">{r.method}</strong> <span data-testid="request-url">{r.url}</span>
      </div>
      <table className="table compact request-headers">
        <tbody>
          {Object.entries(r.headers).map(([k, v]) => (
            <tr key={k}><td className="mono">{k}</td><td className="mono" data-header={k}>{v}</td></tr>
          ))}
        </tbody>
      </table>
      {r.rows && (
        <>
          <div className="muted small" data-testid="request-row-count">{r.rowCount} row{r.rowCount === 1 ? '' : 's'} in the body</div>
          <div className="rows-scroll">
            <table className="table compact" data-testid="request-rows">
              <thead>
                <tr>{columns.length ? columns.map((c) => <th key={c}>{c}</th>) : <th>row</th>}</tr>
              </thead>
              <tbody>
                {r.rows.slice(0, ROWS_IN_TABLE).map((row, i) => (
                  <tr key={i}>
                    {columns.length
                      ? columns.map((c) => <td key={c} className="mono">{cell((row as Record<string, unknown>)[c])}</td>)
                      : <td className="mono">{cell(row)}</td>}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      {r.body !== null && <pre className="content-view" data-testid="request-body">{r.body}</pre>}
      <div className="muted small">Answered in the dry run with {r.answer.status} {JSON.stringify(r.answer.body)}, not by the other system.</div>
    </div>
  );
}
