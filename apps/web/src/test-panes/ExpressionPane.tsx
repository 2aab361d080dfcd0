import { useEffect, useState } from 'react';
import { api, ApiError, errorText } from '../api/client.js';
import { KeyValueEditor } from '../properties/KeyValueEditor.js';
import type { QueuedSample } from './useLastQueued.js';
import { useRemembered } from './useRemembered.js';

/** One message for a failed evaluation, with its position when the server gives one and the message does not. */
export function expressionErrorText(e: unknown): string {
  if (!(e instanceof ApiError)) return errorText(e);
  const b = e.body;
  const message = typeof b.error === 'string' ? b.error : e.message;
  const where = typeof b.line === 'number' && !/\(line \d+, column \d+\)/.test(message) ? ` (line ${b.line}, column ${String(b.column)})` : '';
  return `${message}${where}`;
}

/** Evaluates an EL property value against attributes (from the last queued FlowFile, or typed in). */
export function ExpressionPane({ label, expression, parameters, sample, memoryKey }: { label: string; expression: string; parameters: Record<string, string>; sample: (QueuedSample & { source?: string }) | null; memoryKey: string }) {
  // Typed attributes stay across tab switches and reloads; a pinned or queued FlowFile fills them when none were kept.
  const [attributes, setAttributes, remembered] = useRemembered<Record<string, string>>(`${memoryKey}.expression`, sample?.attributes ?? {});
  const [result, setResult] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (sample && !remembered) setAttributes(sample.attributes);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [sample]);

  const run = async () => {
    setError(null);
    setResult(null);
    try {
      setResult((await api.testExpression({ expression, attributes, parameters })).result);
    } catch (e) {
      setError(expressionErrorText(e));
    }
  };

  return (
    <section className="test-pane" data-testid="expression-pane">
      <div className="pane-head">
        <h3>Expression test: {label}</h3>
      </div>
      {sample && <div className="muted small" data-testid="expression-sample">Attributes from the {sample.source === 'pinned' ? 'pinned' : 'queued'} FlowFile{remembered ? ' (as you last edited them)' : ''}</div>}
      <pre className="content-view el-preview">{expression || '(empty)'}</pre>
      <details className="field" open={Object.keys(attributes).length < 6}>
        <summary>Attributes ({Object.keys(attributes).length})</summary>
        <KeyValueEditor name="expression-attributes" value={JSON.stringify(attributes)} onChange={(v) => setAttributes(v ? (JSON.parse(v) as Record<string, string>) : {})} />
      </details>
      <button className="btn primary" onClick={run} disabled={!expression} data-testid="run-expression">▶ Evaluate</button>
      {error && <div className="error-box" data-testid="expression-error">{error}</div>}
      {result !== null && (
        <div className="result">
          <pre className="content-view" data-testid="expression-result">{result === '' ? '(empty string)' : result}</pre>
        </div>
      )}
    </section>
  );
}
