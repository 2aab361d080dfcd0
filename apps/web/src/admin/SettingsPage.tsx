import { useEffect, useState } from 'react';
import type { ServerSettingsDto } from '@sluice/contracts';
import { api, errorText } from '../api/client.js';
import { AppShell } from '../ui/AppShell.js';
import { formatBytes } from '../ui/format.js';
import { deniedReason } from '../ui/roles.js';

/** Whole days, hours or minutes, the way the settings are written (SLUICE_RETENTION='30 days'). */
function spell(ms: number): string {
  for (const [unit, size] of [['day', 86_400_000], ['hour', 3_600_000], ['min', 60_000], ['sec', 1000]] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size} ${unit}${ms / size === 1 ? '' : 's'}`;
  }
  return `${ms} ms`;
}

/**
 * The settings the server runs with. They come from its environment, so they are read here and changed where the
 * server is started (each row names its variable); a restart applies a change.
 */
export function SettingsPage() {
  const denied = deniedReason('admin', 'see the server settings');
  const [settings, setSettings] = useState<ServerSettingsDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!denied) api.settings().then(setSettings, (e: unknown) => setError(errorText(e)));
  }, [denied]);

  const rows: [string, string, string][] = settings
    ? [
        ['Retention of executions, row logs and provenance', spell(settings.retentionMs), 'SLUICE_RETENTION'],
        ['Failed sign-ins before a lockout', String(settings.login.maxFailures), 'SLUICE_LOGIN_MAX_FAILURES'],
        ['Lockout', spell(settings.login.lockoutMs), 'SLUICE_LOGIN_LOCKOUT'],
        ['Sign-in attempts per minute and address', String(settings.login.perMinute), 'SLUICE_LOGIN_RATE'],
        ['Sign-in lifetime', settings.tokenTtl, 'SLUICE_TOKEN_TTL'],
        ['Largest outbound batch', formatBytes(settings.maxBodyBytes), 'SLUICE_MAX_BODY'],
        ['Database', settings.database === 'postgres' ? 'PostgreSQL' : 'SQLite (embedded)', 'SLUICE_DB_TYPE'],
        ['Cluster', settings.cluster.enabled ? `on (this node: ${settings.cluster.nodeName ?? '?'})` : 'off', 'SLUICE_CLUSTER'],
        ['API documentation at /api/docs', settings.apiDocs ? 'on' : 'off', 'SLUICE_API_DOCS'],
        ['Browser origins allowed besides this one', settings.allowedOrigins.join(', ') || 'none', 'SLUICE_ALLOWED_ORIGINS'],
        ['Server log level', settings.logLevel, 'SLUICE_LOG_LEVEL'],
      ]
    : [];

  return (
    <AppShell title="Settings">
      <div className="page admin-page">
        <div className="page-head">
          <h1>Server settings</h1>
        </div>
        {denied ? (
          <p className="role-note" role="note">{denied}</p>
        ) : (
          <>
            <p className="muted small">Set by environment variables where the server starts; a change takes effect at the next start.</p>
            {error && <div className="error-box" role="alert">{error}</div>}
            {!settings && !error && <p className="muted">Loading…</p>}
            {settings && (
              <div className="settings-grid" data-testid="settings">
                {rows.map(([label, value, variable]) => (
                  <div key={variable} role="row" style={{ display: 'contents' }}>
                    <div role="rowheader">{label}</div>
                    <div role="cell" data-setting={variable}>{value}</div>
                    <div role="cell" className="mono small muted">{variable}</div>
                  </div>
                ))}
              </div>
            )}
          </>
        )}
      </div>
    </AppShell>
  );
}
