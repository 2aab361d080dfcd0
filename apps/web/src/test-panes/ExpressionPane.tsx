import { useEffect, useState } from 'react';
import { api, ApiError, errorText } from '../api/client.js';
import { KeyValueEditor } from '../properties/KeyValueEditor.js';
import type { QueuedSample } from './useLastQueued.js';

/** Evaluates an EL property value against attributes (from the last queued FlowFile, or typed in). */
export function ExpressionPane({ label, expression, parameters, sample }: { label: string; expression: string; parameters: Record<string, string>; sample: QueuedSample | null }) {
  const [attributes, setAttributes] = useState<Record<string, string>>(sample?.attributes ?? {});
  const [result, setResult] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (sample) setAttributes(sample.attributes);
  }, [sample]);

  const run = async () => {
    setError(null);
    setResult(null);
    try {
      setResult((await api.testExpression({ expression, attributes, parameters })).result);
    } catch (e) {
      const b = e instanceof ApiError ? e.body : {};
      const where = typeof b.line === 'number' ? ` (line ${b.line}, column ${String(b.column)})` : '';
      setError(`${errorText(e)}${where}`);
    }
  };

  return (
    <section className="test-pane" data-testid="expression-pane">
      <div className="pane-head">
        <h3>Expression test: {label}</h3>
      </div>
      <pre className="content-view el-preview">{expression || '(empty)'}</pre>
      <details className="field" open={Object.keys(attributes).length < 6}>
        <summary>Attributes ({Object.keys(attributes).length})</summary>
        <KeyValueEditor name="expression-attributes" value={JSON.stringify(attributes)} onChange={(v) => setAttributes(v ? (JSON.parse(v) as Record<string, string>) : {})} />
      </details>
      <button className="btn primary" onClick={run} disabled={!expression} data-testid="run-expression">▶ Evaluate</button>
      {error && <div className="error-box">{error}</div>}
      {result !== null && (
        <div className="result">
          <pre className="content-view" data-testid="expression-result">{result === '' ? '(empty string)' : result}</pre>
        </div>
      )}
    </section>
  );
}
