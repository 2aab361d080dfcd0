import { lazy, Suspense, type ReactNode } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router';
import { session } from './api/client.js';
import { LoginPage } from './auth/LoginPage.js';
import { FlowListPage } from './flows/FlowListPage.js';

// The designer carries React Flow and Monaco; the executions screens carry recharts. Load them on demand.
const DesignerPage = lazy(() => import('./designer/DesignerPage.js').then((m) => ({ default: m.DesignerPage })));
const FlowExecutionsPage = lazy(() => import('./executions/FlowExecutionsPage.js').then((m) => ({ default: m.FlowExecutionsPage })));
const UsersPage = lazy(() => import('./admin/UsersPage.js').then((m) => ({ default: m.UsersPage })));
const ApiKeysPage = lazy(() => import('./admin/ApiKeysPage.js').then((m) => ({ default: m.ApiKeysPage })));
const SettingsPage = lazy(() => import('./admin/SettingsPage.js').then((m) => ({ default: m.SettingsPage })));
const ParametersPage = lazy(() => import('./admin/ParametersPage.js').then((m) => ({ default: m.ParametersPage })));
const ExecutionPage = lazy(() => import('./executions/ExecutionPage.js').then((m) => ({ default: m.ExecutionPage })));

function RequireAuth({ children }: { children: ReactNode }) {
  const location = useLocation();
  if (!session.token()) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname)}`} replace />;
  return <>{children}</>;
}

export function App() {
  return (
    <BrowserRouter>
      <Suspense fallback={<div className="loading">Loading…</div>}>
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        <Route path="/flows" element={<RequireAuth><FlowListPage /></RequireAuth>} />
 <Route path="/flows/:id" element={<RequireAuth><DesignerPage /></RequireAuth>} />
        <Route path="/flows/:id/executions" element={<RequireAuth><FlowExecutionsPage /></RequireAuth>} />
        <Route path="/executions/:id" element={<RequireAuth><ExecutionPage /></RequireAuth>} />
        <Route path="/flows/:id/parameters" element={<RequireAuth><ParametersPage /></RequireAuth>} />
        <Route path="/users" element={<RequireAuth><UsersPage /></RequireAuth>} />
        <Route path="/api-keys" element={<RequireAuth><ApiKeysPage /></RequireAuth>} />
        <Route path="/settings" element={<RequireAuth><SettingsPage /></RequireAuth>} />
        <Route path="*" element={<Navigate to="/flows" replace />} />
      </Routes>
      </Suspense>
    </BrowserRouter>
  );
}
