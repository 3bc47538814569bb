import { useState, type FormEvent } from 'react';
import { createToken, listTokens, listUsers, revokeToken, type AdminToken, type IssuedToken } from '../../admin-components/admin-api';
import { mayManageUser } from '../../admin-components/admin-rights';
import { attempt, OutcomeLine, shortDate, type Outcome } from '../../admin-components/feedback';
import { useSession } from '../../session';
import { useLoad } from '../../use-load';

/**
 * API tokens of the accounts this admin manages. A new token's secret is held in this page's state
 * only: the server stores just its hash and shows it once (docs/access-model.md), so a reload or
 * another page loses it for good.
 */
export function TokensPage() {
  const { session } = useSession();
  const [reloads, setReloads] = useState(0);
  const [outcome, setOutcome] = useState<Outcome>();
  const [issued, setIssued] = useState<IssuedToken | undefined>();
  const loaded = useLoad(async () => ({ tokens: await listTokens(), users: await listUsers() }), [reloads]);
  if (!session) return null;
  const reload = () => setReloads((count) => count + 1);

  const onCreate = async (request: { username: string; label?: string; expires_at?: string }) => {
    setIssued(undefined);
    const created = await attempt(async () => setIssued(await createToken(request)), `Token created for ${request.username}.`, setOutcome);
    if (created) reload();
  };
  const onRevoke = async (token: AdminToken) => {
    if (await attempt(() => revokeToken(token.token_id), `Token ${token.token_id} revoked.`, setOutcome)) reload();
  };
  const usernames = loaded.state === 'done' ? loaded.value.users.filter((user) => !user.disabled && mayManageUser(session, user)).map((user) => user.username) : [];
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">API tokens</h1>
      <OutcomeLine outcome={outcome} />
      {issued && (
        <section aria-labelledby="secret-title" className="secret">
          <h2 id="secret-title">New token for {issued.username}</h2>
          <p>Copy it now: it is shown this once and cannot be read again.</p>
          <pre aria-label="Token secret" tabIndex={0} data-testid="token-secret">{issued.token}</pre>
          <button type="button" onClick={() => setIssued(undefined)}>I have copied it</button>
        </section>
      )}
      {loaded.state === 'loading' && <p role="status">Loading…</p>}
      {loaded.state === 'failed' && <p role="alert" className="error">{loaded.error.message}</p>}
      {loaded.state === 'done' && (
        <>
          <CreateTokenForm usernames={usernames} onCreate={onCreate} />
          <table>
            <caption>Tokens of the accounts you administer (never their secrets)</caption>
            <thead>
              <tr><th scope="col">Token id</th><th scope="col">User</th><th scope="col">Label</th><th scope="col">Created</th><th scope="col">Expires</th><th scope="col">Status</th><th scope="col">Actions</th></tr>
            </thead>
            <tbody>
              {loaded.value.tokens.map((token) => (
                <tr key={token.token_id}>
                  <th scope="row">{token.token_id}</th>
                  <td>{token.username}</td>
                  <td>{token.label ?? ''}</td>
                  <td>{shortDate(token.created_at)}</td>
                  <td>{shortDate(token.expires_at) || 'never'}</td>
                  <td>{token.revoked_at ? `revoked ${shortDate(token.revoked_at)}` : 'active'}</td>
                  <td>
                    {!token.revoked_at && (
                      <button type="button" onClick={() => onRevoke(token)} aria-label={`Revoke token ${token.label ?? token.token_id} of ${token.username}`}>Revoke</button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

function CreateTokenForm({ usernames, onCreate }: { usernames: string[]; onCreate: (request: { username: string; label?: string; expires_at?: string }) => Promise<void> }) {
  const [username, setUsername] = useState('');
  const [label, setLabel] = useState('');
  const [expires, setExpires] = useState('');
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    // A date field gives a day; the token lasts until that day ends, in UTC.
    await onCreate({ username, ...(label && { label }), ...(expires && { expires_at: `${expires}T23:59:59Z` }) });
    setLabel('');
    setExpires('');
  };
  return (
    <form onSubmit={onSubmit} className="filters" aria-labelledby="create-token-title">
      <h2 id="create-token-title" className="form-title">Create a token</h2>
      <div className="field">
        <label htmlFor="token-user">For user</label>
        <select id="token-user" value={username} onChange={(e) => setUsername(e.target.value)} required>
          <option value="">Choose a user</option>
          {usernames.map((name) => <option key={name} value={name}>{name}</option>)}
        </select>
      </div>
      <div className="field">
        <label htmlFor="token-label">Label</label>
        <input id="token-label" value={label} onChange={(e) => setLabel(e.target.value)} placeholder="what it is for" />
      </div>
      <div className="field">
        <label htmlFor="token-expires">Expires on (optional)</label>
        <input id="token-expires" type="date" value={expires} onChange={(e) => setExpires(e.target.value)} />
      </div>
      <button type="submit">Create token</button>
    </form>
  );
}
