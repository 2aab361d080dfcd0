import { useCallback, useEffect, useState } from 'react';
import type { Role, UserDto } from '@sluice/contracts';
import { api, errorText, session } from '../api/client.js';
import { AppShell } from '../ui/AppShell.js';
import { ConfirmDialog } from '../ui/ConfirmDialog.js';
import { deniedReason } from '../ui/roles.js';

const ROLES: { role: Role; what: string }[] = [
  { role: 'viewer', what: 'reads flows, executions and row logs; uses the pure test panes' },
  { role: 'editor', what: 'also edits, starts and tests flows, and manages their API keys' },
  { role: 'admin', what: 'also manages users and sees the server settings' },
];

/** Users and roles (admins only). The server ends a user's sessions when their role or password changes. */
export function UsersPage() {
  const denied = deniedReason('admin', 'manage users');
  const me = session.user();
  const [users, setUsers] = useState<UserDto[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [draft, setDraft] = useState({ username: '', password: '', role: 'viewer' as Role });
  const [resetting, setResetting] = useState<string | null>(null);
  const [newPassword, setNewPassword] = useState('');
  const [deleting, setDeleting] = useState<UserDto | null>(null);

  const load = useCallback(() => {
    if (denied) return;
    api.users().then(setUsers, (e: unknown) => setError(errorText(e)));
  }, [denied]);
  useEffect(load, [load]);

  const act = async (fn: () => Promise<unknown>, done?: string) => {
    setError(null);
    setNotice(null);
    try {
      await fn();
      if (done) setNotice(done);
      load();
      return true;
    } catch (e) {
      setError(errorText(e));
      return false;
    }
  };

  const admins = (users ?? []).filter((u) => u.role === 'admin').length;

  return (
    <AppShell title="Users">
      <div className="page admin-page">
        <div className="page-head">
          <h1>Users and roles</h1>
        </div>
        {denied ? (
          <p className="role-note" role="note">{denied}</p>
        ) : (
          <>
            <ul className="muted small">
              {ROLES.map((r) => (
                <li key={r.role}>
                  <strong>{r.role}</strong>: {r.what}
                </li>
              ))}
            </ul>
            {error && <div className="error-box" role="alert">{error}</div>}
            {notice && <div className="notice" role="status">{notice}</div>}
            <table className="table" data-testid="users">
              <thead>
                <tr>
                  <th>User</th>
                  <th>Role</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {users === null && (
                  <tr><td colSpan={3} className="muted">Loading…</td></tr>
                )}
                {(users ?? []).map((u) => {
                  const lastAdmin = u.role === 'admin' && admins <= 1 ? 'The last admin cannot be demoted or deleted: make another user admin first.' : null;
                  return (
                    <tr key={u.id} data-user={u.username}>
                      <td>
                        {u.username} {u.id === me?.id && <span className="muted small">(you)</span>}
                      </td>
                      <td>
                        <select
                          aria-label={`Role of ${u.username}`}
                          value={u.role}
                          onChange={(e) => void act(() => api.updateUser(u.id, { role: e.target.value as Role }), `${u.username} is now ${e.target.value}; their sessions ended.`)}
                        >
                          {ROLES.map((r) => (
                            <option key={r.role} value={r.role} disabled={lastAdmin !== null && r.role !== 'admin'}>
                              {r.role}
                            </option>
                          ))}
                        </select>
                        {lastAdmin && <span className="muted small" title={lastAdmin}> last admin</span>}
                      </td>
                      <td className="row-actions">
                        {resetting === u.id ? (
                          <form
                            className="inline-form"
                            onSubmit={(e) => {
                              e.preventDefault();
                              void act(() => api.updateUser(u.id, { password: newPassword }), `The password of ${u.username} changed; their sessions ended.`).then((ok) => {
                                if (ok) {
                                  setResetting(null);
                                  setNewPassword('');
                                }
                              });
                            }}
                          >
                            <input type="password" autoComplete="new-password" aria-label={`New password for ${u.username}`} value={newPassword} onChange={(e) => setNewPassword(e.target.value)} />
                            <button className="btn sm" type="submit" disabled={!newPassword}>Set</button>
                            <button className="btn ghost sm" type="button" onClick={() => setResetting(null)}>Cancel</button>
                          </form>
                        ) : (
                          <button className="btn ghost sm" onClick={() => { setResetting(u.id); setNewPassword(''); }}>Set password</button>
                        )}
                        <button className="btn ghost sm danger" disabled={lastAdmin !== null} title={lastAdmin ?? undefined} onClick={() => setDeleting(u)}>
                          Delete
                        </button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            <h3 className="mt">Add a user</h3>
            <form
              className="admin-form"
              onSubmit={(e) => {
                e.preventDefault();
                void act(() => api.createUser(draft.username.trim(), draft.password, draft.role), `${draft.username.trim()} can now sign in as ${draft.role}.`).then((ok) => {
                  if (ok) setDraft({ username: '', password: '', role: 'viewer' });
                });
              }}
            >
              <label className="field">
                <span>Username</span>
                <input value={draft.username} autoComplete="off" onChange={(e) => setDraft({ ...draft, username: e.target.value })} />
              </label>
              <label className="field">
                <span>Password</span>
                <input type="password" autoComplete="new-password" value={draft.password} onChange={(e) => setDraft({ ...draft, password: e.target.value })} />
              </label>
              <label className="field">
                <span>Role</span>
                <select value={draft.role} onChange={(e) => setDraft({ ...draft, role: e.target.value as Role })}>
                  {ROLES.map((r) => (
                    <option key={r.role} value={r.role}>{r.role}</option>
                  ))}
                </select>
              </label>
              <button className="btn primary" type="submit" disabled={!draft.username.trim() || !draft.password}>Add user</button>
            </form>
          </>
        )}
      </div>
      {deleting && (
        <ConfirmDialog
          title={`Delete ${deleting.username}?`}
          confirm="Delete user"
          danger
          onCancel={() => setDeleting(null)}
          onConfirm={() => {
            const u = deleting;
            setDeleting(null);
            void act(() => api.deleteUser(u.id), `${u.username} was deleted; their sessions ended.`);
          }}
        >
          <p>They are signed out at once, on every device.</p>
        </ConfirmDialog>
      )}
    </AppShell>
  );
}
