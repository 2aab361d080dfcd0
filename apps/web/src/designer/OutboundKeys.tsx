import { useCallback, useEffect, useState } from 'react';
import type { ApiKeyDto, CreatedApiKeyDto } from '@sluice/contracts';
import { api, errorText } from '../api/client.js';
import { formatDateTime } from '../ui/format.js';

/**
 * The outbound request URL and the flow's API keys: the ERP authenticates with a key of this flow, never with a
 * person's sign-in. A new key is shown once, right after it is created.
 */
export function OutboundKeys({ flowId, url, example, canEdit }: { flowId: string; url: string; example: string; canEdit: boolean }) {
  const [keys, setKeys] = useState<ApiKeyDto[]>([]);
  const [created, setCreated] = useState<CreatedApiKeyDto | null>(null);
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const load = useCallback(() => {
    if (!canEdit) return;
    api.apiKeys(flowId).then(setKeys, (e: unknown) => setError(errorText(e)));
  }, [flowId, canEdit]);
  useEffect(load, [load]);

  const create = async () => {
    setError(null);
    try {
      setCreated(await api.createApiKey(flowId, name.trim()));
      setName('');
      load();
    } catch (e) {
      setError(errorText(e));
    }
  };
  const revoke = async (id: string) => {
    setError(null);
    try {
      await api.revokeApiKey(flowId, id);
      if (created?.id === id) setCreated(null);
      load();
    } catch (e) {
      setError(errorText(e));
    }
  };
  const curl = `curl -X POST '${url}' \\\n  -H 'X-API-Key: ${created?.key ?? '<API key of this flow>'}' \\\n  -H 'Content-Type: application/json' \\\n  -H 'Idempotency-Key: <a new value per batch>' \\\n  -d '${example}'`;

  return (
    <>
      <h3>Outbound request URL</h3>
      <p className="muted small">The ERP POSTs batches (up to 5000 rows) here, with one of this flow&apos;s API keys in the X-API-Key header.</p>
      <div className="copy-row">
        <input readOnly value={url} aria-label="Outbound request URL" onFocus={(e) => e.target.select()} />
        <button
          className="btn sm"
          onClick={async () => {
            await navigator.clipboard?.writeText(url).catch(() => undefined);
            setCopied(true);
            setTimeout(() => setCopied(false), 1500);
          }}
        >
          {copied ? 'Copied' : 'Copy'}
        </button>
      </div>
      <h3 className="mt">API keys</h3>
      {!canEdit && <p className="muted small">Editors create and revoke this flow&apos;s API keys.</p>}
      {canEdit && (
        <>
          <table className="table compact" data-testid="api-keys">
            <tbody>
              {keys.length === 0 && (
                <tr>
                  <td className="muted">No keys yet.</td>
                </tr>
              )}
              {keys.map((k) => (
                <tr key={k.id}>
                  <td>{k.name}</td>
                  <td className="mono">{k.prefix}…</td>
                  <td className="muted small">{k.lastUsedAt ? `used ${formatDateTime(k.lastUsedAt)}` : 'never used'}</td>
                  <td className="row-actions">
                    <button className="btn ghost sm danger" onClick={() => void revoke(k.id)}>Revoke</button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <form
            className="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              void create();
            }}
          >
            <input placeholder="key name, e.g. ERP" value={name} onChange={(e) => setName(e.target.value)} aria-label="New API key name" />
            <button className="btn sm" type="submit" disabled={!name.trim()}>Create key</button>
          </form>
          {created && (
            <div className="notice" data-testid="new-api-key">
              <p className="small">Copy the key now: it is not shown again.</p>
              <input readOnly className="mono" value={created.key} aria-label="New API key" onFocus={(e) => e.target.select()} />
            </div>
          )}
        </>
      )}
      {error && <div className="error-box">{error}</div>}
      <p className="muted small">Example:</p>
      <pre className="content-view">{curl}</pre>
    </>
  );
}
