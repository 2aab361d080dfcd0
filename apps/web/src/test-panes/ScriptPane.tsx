import { useEffect, useState } from 'react';
import { api, errorText, type ScriptTestResult } from '../api/client.js';
import { KeyValueEditor } from '../properties/KeyValueEditor.js';
import { useCodeEditor } from '../properties/code-editor-slot.js';
import type { QueuedSample } from './useLastQueued.js';
import { formatDuration } from '../ui/format.js';

const pretty = (text: string) => {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
};

export interface ScriptStep {
  flowId: string;
  processorId: string;
  properties: Record<string, string>;
  parameters: Record<string, string>;
}

/**
 * Runs the step's script on an input through the ExecuteScript processor itself, with the step's properties and
 * starting from its stored state (writes are shown, not stored).
 */
export function ScriptPane({ script, language, sample, step }: { script: string; language: 'python' | 'javascript'; sample: QueuedSample | null; step?: ScriptStep }) {
  const CodeEditor = useCodeEditor();
  const [input, setInput] = useState(sample?.content ?? '');
  const [attributes, setAttributes] = useState<Record<string, string>>(sample?.attributes ?? {});
  const [result, setResult] = useState<ScriptTestResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!sample) return;
    setInput(sample.content);
    setAttributes(sample.attributes);
  }, [sample]);

  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      setResult(await api.testScript({ language, script, input, attributes, ...(step ?? {}) }));
    } catch (e) {
      setResult(null);
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="test-pane" data-testid="script-pane">
      <div className="pane-head">
        <h3>Script test ({language})</h3>
        {sample && <span className="muted small">input from queued FlowFile {sample.uuid.slice(0, 8)}</span>}
      </div>
      <div className="field">
        <span>Input content</span>
        <div className="code-field">
          <CodeEditor value={input} onChange={setInput} language="json" height={150} ariaLabel="Script input" />
        </div>
      </div>
      <details className="field">
        <summary>Input attributes ({Object.keys(attributes).length})</summary>
        <KeyValueEditor name="script-attributes" value={JSON.stringify(attributes)} onChange={(v) => setAttributes(v ? (JSON.parse(v) as Record<string, string>) : {})} />
      </details>
      <button className="btn primary" onClick={run} disabled={busy || !script} data-testid="run-script">
        {busy ? 'Running…' : '▶ Run script'}
      </button>
      {error && <div className="error-box">{error}</div>}
      {result && <ScriptResultView result={result} />}
    </section>
  );
}

/**
 * Where the FlowFile went, and for a failure first of all why: the uncaught error, or the traceback a script that
 * catches its exceptions leaves in `log.error.script_error`. The echoed input comes after, folded away.
 */
function ScriptResultView({ result }: { result: ScriptTestResult }) {
  const traceback = result.error ? (result.error.traceback ?? result.error.message) : (result.attributes['log.error.script_error'] ?? null);
  const failed = traceback !== null || result.relationship === 'failure';
  return (
    <div className="result" data-testid="script-result">
      <div className="result-meta">
        → <span className={`rel-chip rel-${result.relationship ?? 'removed'}`} data-testid="result-relationship">{result.relationship ?? 'removed'}</span>
        <span className="muted small">{formatDuration(result.durationMs)}</span>
      </div>
      {traceback !== null && (
        <div className="script-failure">
          <h3>{result.error ? 'The script raised an error' : 'The script caught an error (log.error.script_error)'}</h3>
          <pre className="error-box traceback" data-testid="script-error">{traceback}</pre>
        </div>
      )}
      {result.output !== null &&
        (failed ? (
          <details>
            <summary>Content ({result.error ? 'the input, unchanged' : 'as the script left it'})</summary>
            <pre className="content-view" data-testid="script-output">{pretty(result.output)}</pre>
          </details>
        ) : (
          <pre className="content-view" data-testid="script-output">{pretty(result.output)}</pre>
        ))}
      <details>
        <summary>Attributes ({Object.keys(result.attributes).length})</summary>
        <table className="table compact">
          <tbody>
            {Object.entries(result.attributes).map(([k, v]) => (
              <tr key={k}><td className="mono">{k}</td><td className="mono">{v}</td></tr>
            ))}
          </tbody>
        </table>
      </details>
      {result.state && Object.keys(result.state.local).length + Object.keys(result.state.cluster).length > 0 && (
        <details data-testid="script-state">
          <summary>State after the run (not stored)</summary>
          <table className="table compact">
            <tbody>
              {(['local', 'cluster'] as const).flatMap((scope) =>
                Object.entries(result.state![scope]).map(([k, v]) => (
                  <tr key={`${scope}:${k}`}><td className="muted small">{scope}</td><td className="mono">{k}</td><td className="mono">{v}</td></tr>
                )),
              )}
            </tbody>
          </table>
        </details>
      )}
      {result.logs.length > 0 && (
        <details>
          <summary>Logs ({result.logs.length})</summary>
          <pre className="content-view">{result.logs.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n')}</pre>
        </details>
      )}
    </div>
  );
}
