import { useEffect, useState } from 'react';
import { api, ApiError, errorText, type MappingTestResult } from '../api/client.js';
import { useCodeEditor } from '../properties/code-editor-slot.js';
import type { QueuedSample } from './useLastQueued.js';

/** Applies the step's Jolt spec to an input with the server's Jolt engine, showing output and warnings. */
export function MappingPane({ spec, sample }: { spec: string; sample: QueuedSample | null }) {
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
    let specJson: unknown;
    let inputJson: unknown;
    try {
      specJson = JSON.parse(spec);
    } catch (e) {
      setError(`The Jolt spec is not valid JSON: ${(e as Error).message}`);
      return;
    }
    try {
      inputJson = JSON.parse(input);
    } catch (e) {
      setError(`The input is not valid JSON: ${(e as Error).message}`);
      return;
    }
    setBusy(true);
    try {
      setResult(await api.testMapping({ spec: specJson, input: inputJson }));
    } catch (e) {
      const path = e instanceof ApiError && typeof e.body.path === 'string' ? ` at ${e.body.path}` : '';
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
          {result.warnings.map((w, i) => (
            <div key={i} className="warn-box small">
              <strong>{w.kind}</strong> at <code>{w.path}</code>: {w.message}
            </div>
          ))}
          <pre className="content-view" data-testid="mapping-output">{JSON.stringify(result.output, null, 2)}</pre>
        </div>
      )}
    </section>
  );
}
