import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router';
import { currentSession, type SessionInfo } from './api';
import { Layout } from './layout';
import { ADMIN_PAGES } from './pages/admin/admin-pages';
import { CollectionsPage } from './pages/collections-page';
import { LoginPage } from './pages/login-page';
import { NotFoundPage } from './pages/not-found-page';
import { ObjectPage } from './pages/object-page';
import { ObjectsPage } from './pages/objects-page';
import { UploadPage } from './pages/upload-page';
import { SessionContext } from './session';
import './styles.css';

function RequireSession({ session, children }: { session: SessionInfo | undefined; children: React.ReactNode }) {
  const location = useLocation();
  if (!session) return <Navigate to="/login" replace state={{ from: location.pathname }} />;
  return <>{children}</>;
}

function App() {
  const [session, setSession] = useState<SessionInfo | undefined>();
  const [checked, setChecked] = useState(false);
  useEffect(() => {
    currentSession().then(setSession, () => setSession(undefined)).finally(() => setChecked(true));
  }, []);
  if (!checked) return <p role="status">Loading…</p>;
  const guarded = (element: React.ReactNode) => <RequireSession session={session}>{element}</RequireSession>;
  return (
    <SessionContext.Provider value={{ session, setSession }}>
      <BrowserRouter basename="/console">
        <Routes>
          <Route path="/login" element={<LoginPage />} />
          <Route element={guarded(<Layout />)}>
            <Route index element={<CollectionsPage />} />
            <Route path="collections/:root/:collectionId" element={<ObjectsPage />} />
            <Route path="collections/:root/:collectionId/objects/:objectId" element={<ObjectPage />} />
            <Route path="upload" element={<UploadPage />} />
            {ADMIN_PAGES.filter((page) => session && page.roles.includes(session.role)).map((page) => (
              <Route key={page.path} path={`admin/${page.path}`} element={page.element()} />
            ))}
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Routes>
      </BrowserRouter>
    </SessionContext.Provider>
  );
}

const container = document.getElementById('root');
if (container) createRoot(container).render(<StrictMode><App /></StrictMode>);
