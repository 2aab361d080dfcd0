import { useEffect, useState } from 'react';
import type { HttpExchangeDto, ProvenanceEventDto } from '@sluice/contracts';
import { errorText } from '../api/client.js';
import { formatBytes, formatDateTime } from '../ui/format.js';
import { ContentView, useEventContent } from './ContentView.js';
import { diffAttributes, diffLines, pretty } from './diff.js';
import { LineageGraph } from './LineageGraph.js';
import { provenanceApi } from './provenance-api.js';

/** The HTTP exchange a writer recorded in a SEND event, or null. */
export function exchangeOf(e: Pick<ProvenanceEventDto, 'details'>): HttpExchangeDto | null {
  if (!e.details?.startsWith('{"http":')) return null;
  try {
    return (JSON.parse(e.details) as { http: HttpExchangeDto }).http;
  } catch {
    return null;
  }
}

export function AttributesTable({ attributes, testId = 'attributes-table' }: { attributes: Record<string, string>; testId?: string }) {
  const names = Object.keys(attributes).sort();
  return (
    <table className="table compact pv-attrs" data-testid={testId}>
      <tbody>
        {names.map((k) => <tr key={k}><td className="mono">{k}</td><td className="mono pv-wrap">{attributes[k]}</td></tr>)}
      </tbody>
    </table>
  );
}

export function ExchangeView({ x }: { x: HttpExchangeDto }) {
  const request = x.request === null ? null : pretty(x.request).text;
  const response = x.response === null ? null : pretty(x.response).text;
  return (
    <div className="pv-exchange" data-testid="exchange">
      <div className="mono pv-wrap"><strong>{x.method}</strong> {x.url} → {x.status ?? 'no answer'}{x.durationMs !== null ? ` · ${Math.round(x.durationMs)} ms` : ''}</div>
      {x.error && <div className="err-text pv-wrap">{x.error}</div>}
      <div className="pv-two">
        <div><h3>Request sent</h3><pre className="pv-pre" data-testid="exchange-request">{request ?? '(no body)'}</pre></div>
        <div><h3>Answer</h3><pre className="pv-pre" data-testid="exchange-response">{response ?? '(none)'}</pre></div>
      </div>
    </div>
  );
}

function DiffView({ before, after }: { before: ProvenanceEventDto; after: ProvenanceEventDto }) {
  const a = useEventContent(before.id);
  const b = useEventContent(after.id);
  if (!a.content || !b.content) return <div className="muted">Loading…</div>;
  const attrs = diffAttributes(before.attributes ?? {}, after.attributes ?? {});
  const { lines, cut } = diffLines(pretty(a.text).text, pretty(b.text).text);
  const changed = lines.some((l) => l.kind !== 'same');
  return (
    <div data-testid="diff-view">
      <h3>Attributes</h3>
      {attrs.length === 0 ? <div className="muted">No attribute changed.</div> : (
        <table className="table compact pv-attrs">
          <tbody>
            {attrs.map((d) => (
              <tr key={d.name}>
                <td className="mono">{d.name}</td>
                <td className="mono pv-del pv-wrap">{d.before ?? ''}</td>
                <td className="mono pv-add pv-wrap">{d.after ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3 className="mt">Content</h3>
      {(a.content.truncated || b.content.truncated || cut) && <div className="pv-cut">Compared on the part that is shown (the content is cut).</div>}
      {!changed ? <div className="muted">Content unchanged.</div> : (
        <pre className="pv-pre pv-diff">
          {lines.map((l, i) => <div key={i} className={l.kind === 'added' ? 'pv-add' : l.kind === 'removed' ? 'pv-del' : undefined}>{l.kind === 'added' ? '+ ' : l.kind === 'removed' ? '- ' : '  '}{l.text}</div>)}
        </pre>
      )}
    </div>
  );
}

function Lineage({ uuid, name }: { uuid: string; name: (pid: string) => string }) {
  const [data, setData] = useState<{ events: ProvenanceEventDto[]; truncated: boolean } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [picked, setPicked] = useState<ProvenanceEventDto | null>(null);
  useEffect(() => {
    provenanceApi.lineage(uuid).then(setData, (e: unknown) => setError(errorText(e)));
  }, [uuid]);
  if (error) return <div className="error-box">{error}</div>;
  if (!data) return <div className="muted">Loading lineage…</div>;
  return (
    <div>
      {data.truncated && <div className="pv-cut">The lineage is cut at {data.events.length} events.</div>}
      <LineageGraph events={data.events} name={name} focus={uuid} onSelect={setPicked} />
      {picked && (
        <div className="card mt" data-testid="lineage-picked">
          <strong>{picked.eventType}</strong> at {name(picked.processorId)} · <span className="mono">{picked.flowFileUuid}</span> · {formatDateTime(picked.timestamp)}
          {picked.attributes && <AttributesTable attributes={picked.attributes} testId="lineage-attributes" />}
        </div>
      )}
    </div>
  );
}

type Tab = 'attributes' | 'content' | 'diff' | 'exchange' | 'lineage';

/** One FlowFile as an event saw it: attributes, content, what the step changed, the request sent, its lineage. */
export function FlowFileDetail({ event, counterpart, name }: { event: ProvenanceEventDto; counterpart: { before: ProvenanceEventDto; after: ProvenanceEventDto } | null; name: (pid: string) => string }) {
  const exchange = exchangeOf(event);
  const [tab, setTab] = useState<Tab>(exchange ? 'exchange' : 'content');
  useEffect(() => setTab(exchange ? 'exchange' : 'content'), [event.id]); // eslint-disable-line react-hooks/exhaustive-deps
  const tabs: [Tab, string, boolean][] = [
    ['attributes', 'Attributes', true],
    ['content', 'Content', true],
    ['diff', 'Input vs output', counterpart !== null],
    ['exchange', 'Request & answer', exchange !== null],
    ['lineage', 'Lineage', true],
  ];
  return (
    <div className="pv-detail" data-testid="flowfile-detail">
      <div className="muted small">
        {event.eventType}{event.relationship ? ` → ${event.relationship}` : ''} at {name(event.processorId)} · <span className="mono">{event.flowFileUuid}</span> · {formatBytes(event.size ?? 0)} · {formatDateTime(event.timestamp)}
      </div>
      <div className="tabs pv-tabs" role="tablist">
        {tabs.filter(([, , on]) => on).map(([id, label]) => (
          <button key={id} role="tab" aria-selected={tab === id} className={`tab${tab === id ? ' active' : ''}`} onClick={() => setTab(id)}>{label}</button>
        ))}
      </div>
      <div className="pv-pane">
        {tab === 'attributes' && <AttributesTable attributes={event.attributes ?? {}} />}
        {tab === 'content' && <ContentView eventId={event.id} />}
        {tab === 'diff' && counterpart && <DiffView before={counterpart.before} after={counterpart.after} />}
        {tab === 'exchange' && exchange && <ExchangeView x={exchange} />}
        {tab === 'lineage' && <Lineage uuid={event.flowFileUuid} name={name} />}
      </div>
    </div>
  );
}
