import type { ProcessorTestResult, TestOutput } from '../api/client.js';

const pretty = (text: string) => {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
};

/** Attributes processors write to say why a FlowFile failed (`log.error.script_error`, `omnitron.error`, …). */
export const ERROR_ATTRIBUTE = /(^|\.)(error|script_error)(\.|$)/;

/** Why an output failed, by the attributes that say so: shown before anything else. */
export function outputErrors(o: TestOutput): [string, string][] {
  return Object.entries(o.attributes).filter(([k, v]) => ERROR_ATTRIBUTE.test(k) && v !== '');
}

export function ResultOutputs({ result }: { result: ProcessorTestResult }) {
  return (
    <div className="result" data-testid="test-result">
      <h3 className="mt">Result</h3>
      {result.error && <pre className="error-box" data-testid="result-error">{result.error}</pre>}
      {result.outputs.length === 0 && !result.error && <div className="muted">The step produced no FlowFile.</div>}
      {result.outputs.map((o, i) => {
        const errors = outputErrors(o);
        return (
          <div key={i} className="result-output">
            <div className="result-meta">
              → <span className={`rel-chip rel-${o.relationship}`} data-testid="result-relationship">{o.relationship}</span>
              <span className="muted small">{Object.keys(o.attributes).length} attributes · {o.content.length} chars</span>
            </div>
            {errors.map(([k, v]) => (
              <div key={k} className="output-error" data-testid="output-error">
                <div className="muted small mono">{k}</div>
                <pre className="error-box">{v}</pre>
              </div>
            ))}
            <details>
              <summary>Attributes</summary>
              <table className="table compact">
                <tbody>
                  {Object.entries(o.attributes).map(([k, v]) => (
                    <tr key={k}><td className="mono">{k}</td><td className="mono">{v}</td></tr>
                  ))}
                </tbody>
              </table>
            </details>
            {errors.length > 0 ? (
              <details>
                <summary>Content</summary>
                <pre className="content-view">{pretty(o.content)}</pre>
              </details>
            ) : (
              <pre className="content-view">{pretty(o.content)}</pre>
            )}
          </div>
        );
      })}
      {result.logs && result.logs.length > 0 && (
        <details>
          <summary>Logs ({result.logs.length})</summary>
          <pre className="content-view">{result.logs.map((l) => `${l.level}: ${l.message}`).join('\n')}</pre>
        </details>
      )}
    </div>
  );
}
