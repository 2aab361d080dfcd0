import { useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import type { FlowDto } from '@sluice/contracts';
import { ApiError, api, errorText } from '../api/client.js';
import { ParametersEditor, type ParametersValue } from '../properties/ParametersEditor.js';
import { AppShell } from '../ui/AppShell.js';
import { deniedReason } from '../ui/roles.js';

/** A flow's parameter context on a page of its own: values, sensitive values set-only, saved on the flow's version. */
export function ParametersPage() {
  const { id = '' } = useParams();
  const denied = deniedReason('editor', 'change parameters');
  const [flow, setFlow] = useState<FlowDto | null>(null);
  const [value, setValue] = useState<ParametersValue | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => {
    api.getFlow(id).then(
      (f) => {
        setFlow(f);
        setValue({ parameters: f.document.parameters, sensitive: f.document.sensitiveParameters ?? [] });
      },
      (e: unknown) => setError(errorText(e)),
    );
  }, [id]);
  useEffect(load, [load]);

  const dirty = flow !== null && value !== null && (JSON.stringify(value.parameters) !== JSON.stringify(flow.document.parameters) || JSON.stringify([...value.sensitive].sort()) !== JSON.stringify([...(flow.document.sensitiveParameters ?? [])].sort()));

  const save = async () => {
    if (!flow || !value) return;
    setBusy(true);
    setError(null);
    setSaved(null);
    try {
      const next = await api.saveFlow(flow.id, flow.version, { ...flow.document, parameters: value.parameters, sensitiveParameters: [...value.sensitive] });
      setFlow(next);
      setValue({ parameters: next.document.parameters, sensitive: next.document.sensitiveParameters ?? [] });
      setSaved(`Saved as version ${next.version}.`);
    } catch (e) {
      setError(e instanceof ApiError && e.status === 409 ? 'Someone saved this flow meanwhile. Reload to see their version; your changes here are kept until you do.' : errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <AppShell title={flow ? `${flow.name} · parameters` : 'Parameters'}>
      <div className="page admin-page">
        <div className="page-head">
          <h1>Parameters</h1>
          {flow && <Link to={`/flows/${flow.id}`} className="btn ghost sm">Back to {flow.name}</Link>}
          <div className="spacer" />
          {!denied && (
            <>
              <button className="btn" onClick={load} disabled={busy}>Reload</button>
              <button className="btn primary" onClick={() => void save()} disabled={busy || !dirty}>Save</button>
            </>
          )}
        </div>
        {denied && <p className="role-note" role="note">{denied}</p>}
        <p className="muted small">
          Processors reference a parameter as #{'{'}name{'}'}. A sensitive value is stored encrypted, never shown again and exported
          empty; only sensitive properties may reference it.
        </p>
        {error && <div className="error-box" role="alert">{error}</div>}
        {saved && <div className="notice" role="status">{saved}</div>}
        {value && <ParametersEditor key={flow?.version} value={value} readOnly={denied !== null} onChange={setValue} />}
      </div>
    </AppShell>
  );
}
