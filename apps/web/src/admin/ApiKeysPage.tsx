import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router';
import type { ApiKeyDto, CreatedApiKeyDto, FlowSummaryDto } from '@sluice/contracts';
import { api, errorText } from '../api/client.js';
import { AppShell } from '../ui/AppShell.js';
import { ConfirmDialog } from '../ui/ConfirmDialog.js';
import { formatDateTime } from '../ui/format.js';
import { deniedReason } from '../ui/roles.js';

/**
 * Every flow's API keys in one place: outbound callers (the ERP) authenticate with a key of their flow, never with a
 * person's sign-in. A new key is shown once; only its prefix is kept readable.
 */
export function ApiKeysPage() {
  const denied = deniedReason('editor', 'manage API keys');
  const [keys, setKeys] = useState<ApiKeyDto[] | null>(null);
  const [flows, setFlows] = useState<FlowSummaryDto[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [flowId, setFlowId] = useState('');
  const [name, setName] = useState('');
  const [created, setCreated] = useState<CreatedApiKeyDto | null>(null);
  const [revoking, setRevoking] = useState<ApiKeyDto | null>(null);

  const load = useCallback(() => {
    if (denied) return;
    api.allApiKeys().then(setKeys, (e: unknown) => setError(errorText(e)));
    api.listFlows().then(setFlows, (e: unknown) => setError(errorText(e)));
  }, [denied]);
  useEffect(load, [load]);

  const flowName = useMemo(() => new Map(flows.map((f) => [f.id, f.name])), [flows]);
  // Keys authenticate POST /api/outbound/:flowId, so outbound flows come first in the choice.
  const choices = useMemo(() => [...flows].sort((a, b) => Number(b.direction === 'outbound') - Number(a.direction === 'outbound') || a.name.localeCompare(b.name)), [flows]);

  const act = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
      load();
    } catch (e) {
      setError(errorText(e));
    }
  };

  return (
    <AppShell title="API keys">
      <div className="page admin-page">
        <div className="page-head">
          <h1>API keys for outbound callers</h1>
        </div>
        {denied ? (
          <p className="role-note" role="note">{denied}</p>
        ) : (
          <>
            <p className="muted small">
              An ERP posts batches to <span className="mono">/api/outbound/&lt;flow id&gt;</span> with a key of that flow in the
              X-API-Key header. Revoking a key refuses its callers from the next request on.
            </p>
            {error && <div className="error-box" role="alert">{error}</div>}
            <table className="table" data-testid="all-api-keys">
              <thead>
                <tr>
                  <th>Flow</th>
                  <th>Name</th>
                  <th>Key</th>
                  <th>Created</th>
                  <th>Last used</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {keys === null && (
                  <tr><td colSpan={6} className="muted">Loading…</td></tr>
                )}
                {keys?.length === 0 && (
                  <tr><td colSpan={6} className="muted">No API keys yet.</td></tr>
                )}
                {(keys ?? []).map((k) => (
                  <tr key={k.id} data-key={k.name}>
                    <td><Link to={`/flows/${k.flowId}`}>{flowName.get(k.flowId) ?? k.flowId}</Link></td>
                    <td>{k.name}</td>
                    <td className="mono">{k.prefix}…</td>
                    <td className="small">{formatDateTime(k.createdAt)}{k.createdBy ? ` by ${k.createdBy}` : ''}</td>
                    <td className="small">{k.lastUsedAt ? formatDateTime(k.lastUsedAt) : <span className="muted">never</span>}</td>
                    <td className="row-actions">
                      <button className="btn ghost sm danger" onClick={() => setRevoking(k)}>Revoke</button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <h3 className="mt">Create a key</h3>
            <form
              className="admin-form"
              onSubmit={(e) => {
                e.preventDefault();
                void act(async () => {
                  setCreated(await api.createApiKey(flowId, name.trim()));
                  setName('');
                });
              }}
            >
              <label className="field">
                <span>Flow</span>
                <select value={flowId} onChange={(e) => setFlowId(e.target.value)} aria-label="Flow of the new key">
                  <option value="">Choose a flow…</option>
                  {choices.map((f) => (
                    <option key={f.id} value={f.id}>
                      {f.name}{f.direction === 'outbound' ? ' (outbound)' : ''}
                    </option>
                  ))}
                </select>
              </label>
              <label className="field">
                <span>Name</span>
                <input placeholder="e.g. ERP" value={name} onChange={(e) => setName(e.target.value)} aria-label="Name of the new key" />
              </label>
              <button className="btn primary" type="submit" disabled={!flowId || !name.trim()}>Create key</button>
            </form>
            {created && (
              <div className="notice" data-testid="created-api-key">
                <p className="small">
                  Key <strong>{created.name}</strong> for {flowName.get(created.flowId) ?? created.flowId}. Copy it now: it is not shown again.
                </p>
                <input readOnly className="mono" value={created.key} aria-label="New API key" onFocus={(e) => e.target.select()} />
              </div>
            )}
          </>
        )}
      </div>
      {revoking && (
        <ConfirmDialog
          title={`Revoke ${revoking.name}?`}
          confirm="Revoke key"
          danger
          onCancel={() => setRevoking(null)}
          onConfirm={() => {
            const k = revoking;
            setRevoking(null);
            if (created?.id === k.id) setCreated(null);
            void act(() => api.revokeApiKey(k.flowId, k.id));
          }}
        >
          <p>Callers using {revoking.prefix}… are refused from their next request on.</p>
        </ConfirmDialog>
      )}
    </AppShell>
  );
}
