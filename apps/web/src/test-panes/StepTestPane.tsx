import { useEffect, useState } from 'react';
import type { QueuedFlowFileDto } from '@sluice/contracts';
import { api, errorText, type ProcessorTestResult } from '../api/client.js';
import { KeyValueEditor } from '../properties/KeyValueEditor.js';
import { ResultOutputs } from './ResultOutputs.js';

/** Runs one processor once on a queued FlowFile (or pasted input); nothing continues downstream. */
export function StepTestPane({ flowId, processorId, incoming }: { flowId: string; processorId: string; incoming: { id: string; label: string }[] }) {
  const [queued, setQueued] = useState<(QueuedFlowFileDto & { connectionId: string })[]>([]);
  const [pick, setPick] = useState<string>('');
  const [content, setContent] = useState('');
  const [attributes, setAttributes] = useState<Record<string, string>>({});
  const [result, setResult] = useState<ProcessorTestResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const incomingKey = incoming.map((c) => c.id).join(',');

  useEffect(() => {
    let cancelled = false;
    Promise.all(incoming.map((c) => api.queue(flowId, c.id).then((l) => l.flowFiles.map((f) => ({ ...f, connectionId: c.id })), () => [])))
      .then((lists) => {
        if (cancelled) return;
        const all = lists.flat();
        setQueued(all);
        // The newest queued FlowFile is the most likely thing to test.
        const last = all[all.length - 1];
        setPick(last ? last.uuid : '');
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [flowId, incomingKey]);

  const run = async () => {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const body = pick ? { flowFileUuid: pick } : { content, attributes };
      setResult(await api.testProcessor(flowId, processorId, body));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="pad test-pane" data-testid="step-test-pane">
      <h3>Input</h3>
      <label className="field">
        <span>FlowFile</span>
        <select value={pick} onChange={(e) => setPick(e.target.value)} aria-label="Test input FlowFile">
          <option value="">Pasted input (below)</option>
          {queued.map((f) => (
            <option key={f.uuid} value={f.uuid}>
              {incoming.find((c) => c.id === f.connectionId)?.label ?? f.connectionId} #{f.position + 1} · {f.attributes.filename ?? f.uuid.slice(0, 8)} ({f.size} B)
            </option>
          ))}
        </select>
      </label>
      {!pick && (
        <>
          <label className="field">
            <span>Content</span>
            <textarea rows={6} value={content} onChange={(e) => setContent(e.target.value)} aria-label="Test content" />
          </label>
          <div className="field">
            <span>Attributes</span>
            <KeyValueEditor name="test-attributes" value={JSON.stringify(attributes)} onChange={(v) => setAttributes(v ? (JSON.parse(v) as Record<string, string>) : {})} />
          </div>
        </>
      )}
      <button className="btn primary" onClick={run} disabled={busy}>
        {busy ? 'Running…' : '▶ Run step once'}
      </button>
      {error && <div className="error-box">{error}</div>}
      {result && <ResultOutputs result={result} />}
    </div>
  );
}
