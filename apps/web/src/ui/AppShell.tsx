import type { ReactNode } from 'react';
import { Link, NavLink, useNavigate } from 'react-router';
import { session } from '../api/client.js';
import { deniedReason } from './roles.js';
import { applyTheme, NEXT_THEME, useThemeChoice } from './theme.js';

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
        <nav className="topbar-nav" aria-label="Main">
          <NavLink to="/flows" end>Flows</NavLink>
          <ScreenLink to="/api-keys" label="API keys" reason={deniedReason('editor', 'manage API keys')} />
          <ScreenLink to="/users" label="Users" reason={deniedReason('admin', 'manage users')} />
          <ScreenLink to="/settings" label="Settings" reason={deniedReason('admin', 'see the server settings')} />
        </nav>
        <div className="topbar-title">{title}</div>
        <div className="topbar-actions">{actions}</div>
        <ThemeToggle />
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

/** A screen the role cannot use stays in the menu, disabled, with the reason as its tooltip. */
function ScreenLink({ to, label, reason }: { to: string; label: string; reason: string | null }) {
  if (reason) {
    return (
      <span className="nav-disabled" aria-disabled="true" title={reason}>
        {label}
      </span>
    );
  }
  return <NavLink to={to}>{label}</NavLink>;
}

const THEME_LABEL = { system: '◐', light: '☀', dark: '☾' } as const;

/** Cycles system → light → dark; "system" follows the OS setting. */
function ThemeToggle() {
  const choice = useThemeChoice();
  return (
    <button
      className="btn ghost sm theme-toggle"
      onClick={() => applyTheme(NEXT_THEME[choice])}
      title={`Theme: ${choice === 'system' ? 'as the system' : choice} (click for ${NEXT_THEME[choice] === 'system' ? 'as the system' : NEXT_THEME[choice]})`}
      aria-label={`Theme: ${choice}`}
      data-testid="theme-toggle"
    >
      {THEME_LABEL[choice]}
    </button>
  );
}
