import { useState, type FormEvent } from 'react';
import { addUser, listOrganisations, listUsers, setUserDisabled, setUserPassword, type AdminUser, type Role } from '../../admin-components/admin-api';
import { assignableRoles, mayManageUser, organisationsForNewUsers, usernameHint } from '../../admin-components/admin-rights';
import { attempt, OutcomeLine, shortDate, type Outcome } from '../../admin-components/feedback';
import { useSession } from '../../session';
import { useLoad } from '../../use-load';

/** Users of the own organisation (all of them for an alliance-admin): add, disable, enable, reset a password. */
export function UsersPage() {
  const { session } = useSession();
  const [reloads, setReloads] = useState(0);
  const [outcome, setOutcome] = useState<Outcome>();
  const loaded = useLoad(async () => ({ users: await listUsers(), organisations: (await listOrganisations()).map((org) => org.id) }), [reloads]);
  if (!session) return null;
  const reload = () => setReloads((count) => count + 1);
  const change = async (run: () => Promise<unknown>, success: string): Promise<boolean> => {
    const done = await attempt(run, success, setOutcome);
    if (done) reload();
    return done;
  };
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">Users</h1>
      <OutcomeLine outcome={outcome} />
      {loaded.state === 'loading' && <p role="status">Loading…</p>}
      {loaded.state === 'failed' && <p role="alert" className="error">{loaded.error.message}</p>}
      {loaded.state === 'done' && (
        <>
          <AddUserForm
            organisations={organisationsForNewUsers(session, loaded.value.organisations)}
            roles={assignableRoles(session)}
            hint={usernameHint(session)}
            onAdd={(user) => change(() => addUser(user), `User ${user.username} added.`)}
          />
          <table>
            <caption>Accounts you administer</caption>
            <thead>
              <tr><th scope="col">Username</th><th scope="col">Organisation</th><th scope="col">Role</th><th scope="col">Status</th><th scope="col">Created</th><th scope="col">Actions</th></tr>
            </thead>
            <tbody>
              {loaded.value.users.map((user) => (
                <UserRow key={user.username} user={user} manageable={mayManageUser(session, user)} own={user.username === session.username} change={change} />
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

/** Runs a change, reports it and reloads the list; resolves to whether it succeeded. */
type Change = (run: () => Promise<unknown>, success: string) => Promise<boolean>;

/** `own`: the signed-in account, which is not offered a Disable that would end the admin's own access. */
function UserRow({ user, manageable, own, change }: { user: AdminUser; manageable: boolean; own: boolean; change: Change }) {
  const [resetting, setResetting] = useState(false);
  const [password, setPassword] = useState('');
  const fieldId = `password-${user.username}`;
  const onReset = async (event: FormEvent) => {
    event.preventDefault();
    // On a refusal (a too short password, say) the form stays open with what was typed.
    if (!(await change(() => setUserPassword(user.username, password), `Password of ${user.username} reset.`))) return;
    setPassword('');
    setResetting(false);
  };
  return (
    <tr>
      <th scope="row">{user.username}</th>
      <td>{user.organisation}</td>
      <td>{user.role}</td>
      <td>{user.disabled ? 'disabled' : 'active'}</td>
      <td>{shortDate(user.created_at)}</td>
      <td>
        {manageable && (
          <div className="inline">
            {user.disabled
              ? <button type="button" onClick={() => change(() => setUserDisabled(user.username, false), `User ${user.username} enabled.`)} aria-label={`Enable ${user.username}`}>Enable</button>
              : !own && <button type="button" onClick={() => change(() => setUserDisabled(user.username, true), `User ${user.username} disabled.`)} aria-label={`Disable ${user.username}`}>Disable</button>}
            {!resetting && <button type="button" onClick={() => setResetting(true)} aria-label={`Reset the password of ${user.username}`}>Reset password</button>}
            {resetting && (
              <form onSubmit={onReset} className="inline">
                <label htmlFor={fieldId}>New password for {user.username}</label>
                <input id={fieldId} type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} required autoFocus />
                <button type="submit">Set</button>
                <button type="button" onClick={() => setResetting(false)}>Cancel</button>
              </form>
            )}
          </div>
        )}
      </td>
    </tr>
  );
}

interface NewUser {
  username: string;
  organisation: string;
  role: Role;
  password: string;
}

function AddUserForm({ organisations, roles, hint, onAdd }: { organisations: string[]; roles: Role[]; hint: string; onAdd: (user: NewUser) => Promise<boolean> }) {
  const empty: NewUser = { username: '', organisation: organisations[0] ?? '', role: 'member', password: '' };
  const [user, setUser] = useState<NewUser>(empty);
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (await onAdd(user)) setUser(empty);
  };
  return (
    <form onSubmit={onSubmit} className="filters" aria-labelledby="add-user-title">
      <h2 id="add-user-title" className="form-title">Add a user</h2>
      <div className="field">
        <label htmlFor="new-username">Username</label>
        <input id="new-username" value={user.username} placeholder={hint} aria-describedby="new-username-hint" required onChange={(e) => setUser({ ...user, username: e.target.value })} />
        <small id="new-username-hint">Form: {hint}</small>
      </div>
      <div className="field">
        <label htmlFor="new-organisation">Organisation</label>
        <select id="new-organisation" value={user.organisation} onChange={(e) => setUser({ ...user, organisation: e.target.value })}>
          {organisations.map((organisation) => <option key={organisation} value={organisation}>{organisation}</option>)}
        </select>
      </div>
      <div className="field">
        <label htmlFor="new-role">Role</label>
        <select id="new-role" value={user.role} onChange={(e) => setUser({ ...user, role: roles.find((role) => role === e.target.value) ?? 'member' })}>
          {roles.map((role) => <option key={role} value={role}>{role}</option>)}
        </select>
      </div>
      <div className="field">
        <label htmlFor="new-password">Initial password</label>
        <input id="new-password" type="password" autoComplete="new-password" value={user.password} required onChange={(e) => setUser({ ...user, password: e.target.value })} />
      </div>
      <button type="submit">Add user</button>
    </form>
  );
}
