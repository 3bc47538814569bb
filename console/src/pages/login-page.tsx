import { useState, type FormEvent } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { ApiError, logIn } from '../api';
import { useSession } from '../session';

export function LoginPage() {
  const { setSession } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError('');
    try {
      setSession(await logIn(username, password));
      const from = (location.state as { from?: string } | null)?.from;
      navigate(from && from !== '/login' ? from : '/', { replace: true });
    } catch (caught) {
      setError(caught instanceof ApiError && caught.status === 401 ? 'Wrong username or password (or the account is locked for a while).' : `Login failed: ${String(caught)}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main id="main" className="login">
      <h1>Taxii Alliance Console</h1>
      <form onSubmit={onSubmit} aria-describedby={error ? 'login-error' : undefined}>
        <label htmlFor="username">Username</label>
        <input id="username" name="username" autoComplete="username" required value={username} onChange={(e) => setUsername(e.target.value)} />
        <label htmlFor="password">Password</label>
        <input id="password" name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        {error && <p id="login-error" role="alert" className="error">{error}</p>}
        <button type="submit" disabled={busy}>Log in</button>
      </form>
    </main>
  );
}
