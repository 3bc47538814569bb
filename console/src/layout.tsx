import { NavLink, Outlet, useNavigate } from 'react-router';
import { logOut } from './api';
import { ADMIN_PAGES } from './pages/admin/admin-pages';
import { useSession } from './session';

export function Layout() {
  const { session, setSession } = useSession();
  const navigate = useNavigate();
  const adminPages = ADMIN_PAGES.filter((page) => session && page.roles.includes(session.role));
  const onLogOut = async () => {
    try {
      await logOut();
    } finally {
      setSession(undefined);
      // Replace, so the back button cannot return to a page drawn with the ended session.
      navigate('/login', { replace: true });
    }
  };
  return (
    <div className="shell">
      <a className="skip" href="#main">Skip to content</a>
      <header className="top">
        <span className="brand">Taxii Alliance Console</span>
        <nav aria-label="Main">
          <ul>
            <li><NavLink to="/" end>Collections</NavLink></li>
            <li><NavLink to="/upload">Publish</NavLink></li>
            {adminPages.map((page) => (
              <li key={page.path}><NavLink to={`/admin/${page.path}`}>{page.label}</NavLink></li>
            ))}
          </ul>
        </nav>
        <span className="who">{session?.username} ({session?.organisation}, {session?.role})</span>
        <button type="button" onClick={onLogOut}>Log out</button>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
