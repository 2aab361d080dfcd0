import type { ReactNode } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router';
import { session } from './api/client.js';
import { LoginPage } from './auth/LoginPage.js';
import { FlowListPage } from './flows/FlowListPage.js';

function RequireAuth({ children }: { children: ReactNode }) {
  const location = useLocation();
  if (!session.token()) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname)}`} replace />;
  return <>{children}</>;
}

export function App() {
  return (
    <BrowserRouter>
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        <Route path="/flows" element={<RequireAuth><FlowListPage /></RequireAuth>} />
        <Route path="*" element={<Navigate to="/flows" replace />} />
      </Routes>
    </BrowserRouter>
  );
}
