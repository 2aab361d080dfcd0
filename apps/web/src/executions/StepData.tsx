import { useEffect, useState } from 'react';
import type { ProvenanceEventDto, RowJourneyDto, StepFlowFilesDto } from '@sluice/contracts';
import { api, errorText, session } from '../api/client.js';
import { formatBytes } from '../ui/format.js';
import { pretty } from './diff.js';
import { ExchangeView, exchangeOf, FlowFileDetail } from './FlowFileDetail.js';
import { LineageGraph } from './LineageGraph.js';
import { provenanceApi } from './provenance-api.js';
import './provenance.css';

function counterpartOf(e: ProvenanceEventDto, data: StepFlowFilesDto): { before: ProvenanceEventDto; after: ProvenanceEventDto } | null {
  if (data.inputs.some((i) => i.id === e.id)) {
    const outs = data.outputs.filter((o) => o.flowFileUuid === e.flowFileUuid || o.parentUuids.includes(e.flowFileUuid));
    const after = outs.filter((o) => o.eventType !== 'SEND').pop() ?? outs.pop();
    return after ? { before: e, after } : null;
  }
  const before = data.inputs.find((i) => i.flowFileUuid === e.flowFileUuid) ?? data.inputs.find((i) => e.parentUuids.includes(i.flowFileUuid));
  return before ? { before, after: e } : null;
}

function EventList({ title, events, selected, onSelect, testId }: { title: string; events: ProvenanceEventDto[]; selected: number | null; onSelect: (e: ProvenanceEventDto) => void; testId: string }) {
  return (
    <div className="pv-list" data-testid={testId}>
      <h3>{title} ({events.length})</h3>
      {events.length === 0 && <div className="muted small">None recorded.</div>}
      {events.map((e) => {
        const x = exchangeOf(e);
        return (
          <button key={e.id} className={`pv-item${selected === e.id ? ' selected' : ''}`} onClick={() => onSelect(e)} data-testid="flowfile-item">
            <span className="pv-type">{e.eventType}{e.relationship ? ` → ${e.relationship}` : ''}</span>
            <span className="mono small">{e.flowFileUuid.slice(0, 8)}</span>
            <span className="muted small">{x ? `${x.method} → ${x.status ?? x.error ?? '?'}` : formatBytes(e.size ?? 0)}</span>
          </button>
        );
      })}
    </div>
  );
}

/** Pins an event's FlowFile (attributes and content as they were) to a step of the flow as its test input. */
async function pinToStep(flowId: string, processorId: string, e: ProvenanceEventDto): Promise<void> {
  const content = await provenanceApi.content(e.id, 0, 256 * 1024);
  if (content.truncated || content.text === null) throw new Error('this content is too large (or not text) to pin: at most 256 KB of text');
  const flow = await api.getFlow(flowId);
  const document = structuredClone(flow.document);
  const p = document.processors.find((x) => x.id === processorId);
  if (!p) throw new Error('the step is no longer in the flow');
  p.pinned = { attributes: e.attributes ?? {}, content: content.text, source: `provenance event ${e.id}`, pinnedAt: new Date().toISOString() };
  await api.saveFlow(flowId, flow.version, document);
}

function PinButton({ flowId, processorId, event, name }: { flowId: string; processorId: string; event: ProvenanceEventDto; name: (pid: string) => string }) {
  const [state, setState] = useState<string | null>(null);
  useEffect(() => setState(null), [event.id]);
  const can = session.canEdit();
  return (
    <div className="pv-toolbar">
      <button className="btn sm" disabled={!can} title={can ? undefined : 'Pinning changes the flow: it needs the editor role'} data-testid="pin-event"
        onClick={() => pinToStep(flowId, processorId, event).then(() => setState(`Pinned as the test input of ${name(processorId)}.`), (e: unknown) => setState(`Not pinned: ${errorText(e)}`))}>
        📌 Pin as test input of {name(processorId)}
      </button>
      {state && <span className="muted small" data-testid="pin-state">{state}</span>}
    </div>
  );
}

/** What entered and left one step of an execution, and the detail of the FlowFile picked. */
export function StepData({ executionId, processorId, name, flowId }: { executionId: string; processorId: string; name: (pid: string) => string; flowId?: string }) {
  const [data, setData] = useState<StepFlowFilesDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<ProvenanceEventDto | null>(null);
  useEffect(() => {
    let live = true;
    provenanceApi.stepFlowFiles(executionId, processorId).then(
      (d) => {
        if (!live) return;
        setData(d);
        setSelected(d.inputs[0] ?? d.outputs[0] ?? null);
      },
      (e: unknown) => live && setError(errorText(e)),
    );
    return () => {
      live = false;
    };
  }, [executionId, processorId]);
  if (error) return <div className="error-box">{error}</div>;
  if (!data) return <div className="muted">Loading the step's FlowFiles…</div>;
  return (
    <div className="pv-step" data-testid="step-data">
      <div className="pv-lists">
        <EventList title="Entered" events={data.inputs} selected={selected?.id ?? null} onSelect={setSelected} testId="step-inputs" />
        <EventList title="Left" events={data.outputs} selected={selected?.id ?? null} onSelect={setSelected} testId="step-outputs" />
        {data.truncated && <div className="pv-cut">Only the first {data.outputs.length} events are listed.</div>}
      </div>
      {selected ? (
        <div className="pv-detail">
          {flowId && data.inputs.some((i) => i.id === selected.id) && <PinButton flowId={flowId} processorId={processorId} event={selected} name={name} />}
          <FlowFileDetail event={selected} counterpart={counterpartOf(selected, data)} name={name} />
        </div>
      ) : <div className="muted">No provenance was kept for this step (retention).</div>}
    </div>
  );
}

/** A row log's way through the flow, opened from the row logs table. */
export function RowJourney({ executionId, rowId, name, onClose }: { executionId: string; rowId: number; name: (pid: string) => string; onClose: () => void }) {
  const [journey, setJourney] = useState<RowJourneyDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [picked, setPicked] = useState<ProvenanceEventDto | null>(null);
  useEffect(() => {
    provenanceApi.rowJourney(executionId, rowId).then(setJourney, (e: unknown) => setError(errorText(e)));
  }, [executionId, rowId]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <div className="modal-backdrop" onClick={onClose}>
      <div className="modal pv-modal" role="dialog" aria-label="Row journey" data-testid="row-journey" onClick={(e) => e.stopPropagation()}>
        <div className="pv-toolbar">
          <h2 style={{ margin: 0 }}>Row {journey?.row.sku ?? ''}</h2>
          <span className="spacer" />
          <button className="btn sm" onClick={onClose} aria-label="Close">Close</button>
        </div>
        {error && <div className="error-box">{error}</div>}
        {!journey && !error && <div className="muted">Loading…</div>}
        {journey && (
          <>
            <div className="pv-wrap"><span className={`state-pill state-${journey.row.status === 'success' ? 'success' : journey.row.status === 'failed' ? 'failed' : 'skipped'}`}>{journey.row.status}</span> {journey.row.message} <span className="muted">· {journey.row.step}</span></div>
            {journey.flowFileUuid === null ? (
              <div className="muted mt">The provenance of this row is no longer kept (retention).</div>
            ) : (
              <>
                <h3 className="mt">The row as the step received it</h3>
                <pre className="pv-pre" data-testid="journey-row">{journey.rowContent === null ? '(not kept)' : pretty(JSON.stringify(journey.rowContent)).text}</pre>
                {journey.exchanges.map((x) => <ExchangeView key={x.eventId} x={x} />)}
                <h3 className="mt">Its way through the flow</h3>
                <LineageGraph events={journey.events} name={name} focus={journey.flowFileUuid} onSelect={setPicked} />
                {picked && <FlowFileDetail event={picked} counterpart={null} name={name} />}
              </>
            )}
          </>
        )}
      </div>
    </div>
  );
}
