import type { ReactNode } from 'react';
import { Link, useNavigate } from 'react-router';
import { session } from '../api/client.js';

/** Top bar shared by every signed-in screen; `children` fill the rest of the viewport. */
export function AppShell({ title, actions, children }: { title?: ReactNode; actions?: ReactNode; children: ReactNode }) {
  const navigate = useNavigate();
  const user = session.user();
  return (
    <div className="shell">
      <header className="topbar">
        <Link to="/flows" className="brand">
          <span className="brand-mark" aria-hidden>≋</span> Sluice
        </Link>
        <div className="topbar-title">{title}</div>
        <div className="topbar-actions">{actions}</div>
        <div className="topbar-user">
          <span title={user?.role}>{user?.username}</span>
          <span className={`role-chip role-${user?.role ?? 'viewer'}`}>{user?.role}</span>
          <button
            className="btn ghost sm"
            onClick={() => {
              session.clear();
              navigate('/login');
            }}
          >
            Sign out
          </button>
        </div>
      </header>
      <main className="shell-main">{children}</main>
    </div>
  );
}
