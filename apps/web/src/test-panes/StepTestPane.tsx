import { useEffect, useRef, useState } from 'react';
import type { QueuedFlowFileDto } from '@sluice/contracts';
import { hasSideEffects, type ProcessorDescriptor } from '@sluice/flow-api';
import { api, errorText, type ProcessorTestResult } from '../api/client.js';
import { KeyValueEditor } from '../properties/KeyValueEditor.js';
import { ConfirmDialog } from '../ui/ConfirmDialog.js';
import { RequestPreview } from './RequestPreview.js';
import { ResultOutputs } from './ResultOutputs.js';
import { useRemembered } from './useRemembered.js';

const PINNED = '__pinned';

/** "Omnitron and the ERP" */
export function systemsOf(descriptor: ProcessorDescriptor | undefined): string {
  const systems = descriptor?.sideEffects?.systems ?? [];
  return systems.length <= 1 ? (systems[0] ?? 'no other system') : `${systems.slice(0, -1).join(', ')} and ${systems.at(-1)}`;
}

/** The hosts a dry run's requests went to, as a live run's confirmation names them. */
function targets(result: ProcessorTestResult | null): string[] {
  return [...new Set((result?.requests ?? []).map((r) => { try { return new URL(r.url).origin; } catch { return r.url; } }))];
}

/**
 * Runs one processor once on a queued FlowFile (or pasted input). A dry run, the default, sends nothing: a step that
 * reaches other systems shows every request it would send. A live run is a separate, confirmed action: it runs the
 * step for real and consumes the FlowFile, so the flow does not process it again.
 */
export function StepTestPane({
  flowId,
  processorId,
  processorName,
  descriptor,
  properties,
  incoming,
  canEdit,
  pinned,
}: {
  flowId: string;
  processorId: string;
  processorName: string;
  descriptor: ProcessorDescriptor | undefined;
  properties: Record<string, string>;
  incoming: { id: string; label: string }[];
  canEdit: boolean;
  /** The step's pinned test input, offered first. */
  pinned?: { attributes: Record<string, string>; content: string };
}) {
  const [queued, setQueued] = useState<(QueuedFlowFileDto & { connectionId: string })[]>([]);
  const [pick, setPick] = useState<string>('');
  /** The user chose the input: a queue list that arrives later must not switch it back to the default. */
  const chosen = useRef(false);
  // What was typed stays across tab switches and reloads.
  const [typed, setTyped] = useRemembered<{ content: string; attributes: Record<string, string> }>(`${flowId}.${processorId}.step`, { content: '', attributes: {} });
  const { content, attributes } = typed;
  const setContent = (c: string) => setTyped({ ...typed, content: c });
  const setAttributes = (a: Record<string, string>) => setTyped({ ...typed, attributes: a });
  const [result, setResult] = useState<ProcessorTestResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [refresh, setRefresh] = useState(0);
  const incomingKey = incoming.map((c) => c.id).join(',');
  const reaches = descriptor ? hasSideEffects(descriptor, properties) : false;
  const hasPin = pinned !== undefined;
  const writes = reaches && descriptor?.sideEffects?.writes === true;

  useEffect(() => {
    let cancelled = false;
    Promise.all(incoming.map((c) => api.queue(flowId, c.id).then((l) => l.flowFiles.map((f) => ({ ...f, connectionId: c.id })), () => [])))
      .then((lists) => {
        if (cancelled) return;
        const all = lists.flat();
        setQueued(all);
        // The newest queued FlowFile is the most likely thing to test; a consumed one is gone from the list.
        setPick((p) =>
          (chosen.current && p === '') || (p && (all.some((f) => f.uuid === p) || (p === PINNED && hasPin))) ? p : hasPin ? PINNED : (all[all.length - 1]?.uuid ?? ''),
        );
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [flowId, incomingKey, refresh, hasPin]);

  const run = async (mode: 'dry-run' | 'live') => {
    setBusy(true);
    setError(null);
    try {
      const input = pick === PINNED && pinned ? { content: pinned.content, attributes: pinned.attributes } : pick ? { flowFileUuid: pick } : { content, attributes };
      const res = await api.testProcessor(flowId, processorId, { ...input, mode });
      setResult(res);
      if (mode === 'live') setRefresh((n) => n + 1);
    } catch (e) {
      setResult(null);
      setError(errorText(e));
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  };

  const picked = queued.find((f) => f.uuid === pick);
  const hosts = targets(result?.mode === 'dry-run' ? result : null);

  return (
    <div className="pad test-pane" data-testid="step-test-pane">
      <h3>Input</h3>
      <label className="field">
        <span>FlowFile</span>
        <select
          value={pick}
          onChange={(e) => {
            chosen.current = true;
            setPick(e.target.value);
          }}
          aria-label="Test input FlowFile"
        >
          {pinned && <option value={PINNED}>Pinned input</option>}
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
      <p className="muted small" data-testid="test-mode-note">
        {reaches
          ? `A dry run sends nothing to ${systemsOf(descriptor)}: it shows every request this step would send, with secrets masked.`
          : 'A dry run changes nothing: the FlowFile stays queued and nothing goes on in the flow.'}
      </p>
      <div className="test-actions">
        <button className="btn primary" onClick={() => void run('dry-run')} disabled={busy} data-testid="dry-run">
          {busy && !confirming ? 'Running…' : '▶ Dry run'}
        </button>
        {canEdit && (
          <button className="btn stop" onClick={() => setConfirming(true)} disabled={busy} data-testid="run-live">
            Run live…
          </button>
        )}
      </div>
      {confirming && (
        <ConfirmDialog
          title={`Run ${processorName} live?`}
          confirm={writes ? `Write to ${systemsOf(descriptor)}` : reaches ? `Send to ${systemsOf(descriptor)}` : 'Run live'}
          danger
          busy={busy}
          onConfirm={() => void run('live')}
          onCancel={() => setConfirming(false)}
          testId="live-confirm"
        >
          <p data-testid="live-target">
            {reaches
              ? `This ${writes ? 'writes to' : 'sends requests to'} ${systemsOf(descriptor)}${hosts.length ? ` (${hosts.join(', ')})` : ''} for real.`
              : 'This runs the step for real.'}
          </p>
          <p>
            {picked
              ? `It consumes the queued FlowFile ${picked.attributes.filename ?? picked.uuid.slice(0, 8)}: its result goes on in the flow, and the flow will not process it again.`
              : 'It runs on the pasted input; nothing enters the flow.'}
          </p>
        </ConfirmDialog>
      )}
      {error && <div className="error-box">{error}</div>}
      {result && (
        <div data-testid="test-outcome" data-mode={result.mode}>
          <div className={`mode-banner ${result.mode}`} data-testid="result-mode">
            {result.mode === 'dry-run'
              ? reaches
                ? `Dry run: nothing was sent. The outputs assume every request was answered as shown.`
                : 'Dry run: nothing changed.'
              : result.consumed === true
                ? 'Live run: the FlowFile was consumed and went on in the flow.'
                : result.consumed === false
                  ? 'Live run: the FlowFile was not consumed; it is back in its queue.'
                  : 'Live run on the pasted input.'}
          </div>
          {result.requests && <RequestPreview requests={result.requests} total={result.requestCount ?? result.requests.length} />}
          <ResultOutputs result={result} />
          {result.rows && result.rows.length > 0 && (
            <details>
              <summary>Row log it would write ({result.rows.length})</summary>
              <table className="table compact">
                <tbody>
                  {result.rows.slice(0, 200).map((r, i) => (
                    <tr key={i}><td className="mono">{r.sku}</td><td>{r.status}</td><td>{r.message}</td></tr>
                  ))}
                </tbody>
              </table>
            </details>
          )}
        </div>
      )}
    </div>
  );
}
