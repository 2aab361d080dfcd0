import type { ProcessorTestResult } from '../api/client.js';

const pretty = (text: string) => {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
};

export function ResultOutputs({ result }: { result: ProcessorTestResult }) {
  return (
    <div className="result" data-testid="test-result">
      <h3 className="mt">Result</h3>
      {result.error && <div className="error-box">{result.error}</div>}
      {result.outputs.length === 0 && !result.error && <div className="muted">The step produced no FlowFile.</div>}
      {result.outputs.map((o, i) => (
        <div key={i} className="result-output">
          <div className="result-meta">
            → <span className={`rel-chip rel-${o.relationship}`} data-testid="result-relationship">{o.relationship}</span>
            <span className="muted small">{Object.keys(o.attributes).length} attributes · {o.content.length} chars</span>
          </div>
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
          <pre className="content-view">{pretty(o.content)}</pre>
        </div>
      ))}
      {result.logs && result.logs.length > 0 && (
        <details>
          <summary>Logs ({result.logs.length})</summary>
          <pre className="content-view">{result.logs.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n')}</pre>
        </details>
      )}
    </div>
  );
}
