import { useEffect, useState } from 'react';
import { api, ApiError, errorText, type MappingTestResult } from '../api/client.js';
import { useCodeEditor } from '../properties/code-editor-slot.js';
import type { QueuedSample } from './useLastQueued.js';

/**
 * Runs the step's JoltTransformJSON (its properties as configured) once on an input, on the server, showing the text
 * it writes, where the FlowFile went and what the spec did not use. Spec and input go as typed: parsing them here
 * would lose what the processor keeps (`10.0`, key order, comments, Expression Language).
 */
export function MappingPane({ properties, parameters, sample }: { properties: Record<string, string>; parameters: Record<string, string>; sample: QueuedSample | null }) {
  const CodeEditor = useCodeEditor();
  const [input, setInput] = useState(sample?.content ?? '');
  const [result, setResult] = useState<MappingTestResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (sample) setInput(sample.content);
  }, [sample]);

  const run = async () => {
    setError(null);
    setResult(null);
    setBusy(true);
    try {
      setResult(await api.testMapping({ properties, parameters, input, attributes: sample?.attributes ?? {} }));
    } catch (e) {
      const path = e instanceof ApiError && typeof e.body.path === 'string' ? ` (${e.body.path})` : '';
      setError(`${errorText(e)}${path}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="test-pane" data-testid="mapping-pane">
      <div className="pane-head">
        <h3>Mapping test (Jolt)</h3>
        {sample && <span className="muted small">input from queued FlowFile {sample.uuid.slice(0, 8)}</span>}
      </div>
      <div className="field">
        <span>Input JSON</span>
        <div className="code-field">
          <CodeEditor value={input} onChange={setInput} language="json" height={170} ariaLabel="Mapping input" />
        </div>
      </div>
      <button className="btn primary" onClick={run} disabled={busy} data-testid="run-mapping">
        {busy ? 'Transforming…' : '▶ Transform'}
      </button>
      {error && <div className="error-box">{error}</div>}
      {result && (
        <div className="result" data-testid="mapping-result">
          <div className="small">
            Routed to <strong data-testid="mapping-relationship">{result.relationship}</strong>
          </div>
          {result.error && <div className="error-box" data-testid="mapping-error">{result.error}</div>}
          {result.warnings.map((w, i) => (
            <div key={i} className="warn-box small">
              <strong>{w.kind}</strong> at <code>{w.path}</code>: {w.message}
            </div>
          ))}
          {result.warningCount > result.warnings.length && <div className="muted small">{result.warningCount - result.warnings.length} more unused path(s)</div>}
          <pre className="content-view" data-testid="mapping-output">{result.content}</pre>
        </div>
      )}
    </section>
  );
}
