import { listCollections, listOrganisations, listUsers } from '../../admin-components/admin-api';
import { isAllianceAdmin } from '../../admin-components/admin-rights';
import { useSession } from '../../session';
import { useLoad } from '../../use-load';

/**
 * The alliance's organisations, with what this admin can see of each: its accounts (an org-admin
 * sees only its own organisation's) and its place in the grants of the collections this admin administers.
 */
export function OrganisationsPage() {
  const { session } = useSession();
  const loaded = useLoad(async () => ({ organisations: await listOrganisations(), collections: await listCollections(), users: await listUsers() }), []);
  if (!session) return null;
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">Organisations</h1>
      {loaded.state === 'loading' && <p role="status">Loading…</p>}
      {loaded.state === 'failed' && <p role="alert" className="error">{loaded.error.message}</p>}
      {loaded.state === 'done' && (() => {
        const { organisations, collections, users } = loaded.value;
        const accountsSeen = (id: string) => isAllianceAdmin(session) || id === session.organisation;
        return (
          <table>
            <caption>
              {isAllianceAdmin(session)
                ? 'Every organisation of the alliance'
                : `Every organisation of the alliance; accounts are shown for ${session.organisation} only, grants for its collections`}
            </caption>
            <thead>
              <tr>
                <th scope="col">Id</th><th scope="col">Name</th><th scope="col">Country</th><th scope="col">Kind</th>
                <th scope="col">Accounts (disabled)</th><th scope="col">Collections owned</th><th scope="col">Granted on your collections</th>
              </tr>
            </thead>
            <tbody>
              {organisations.map((org) => {
                const members = users.filter((user) => user.organisation === org.id);
                const owned = collections.filter((collection) => collection.owner === org.id);
                const granted = collections.flatMap((collection) => collection.grants
                  .filter((grant) => grant.organisation === org.id)
                  .map((grant) => `${collection.alias ?? collection.title} (${[grant.read && 'read', grant.write && 'write'].filter(Boolean).join(', ')})`));
                return (
                  <tr key={org.id}>
                    <th scope="row">{org.id}</th>
                    <td>{org.name}</td>
                    <td>{org.country ?? '—'}</td>
                    <td>{org.kind}</td>
                    <td>{accountsSeen(org.id) ? `${members.length} (${members.filter((user) => user.disabled).length})` : 'not yours to see'}</td>
                    <td>{owned.map((collection) => collection.alias ?? collection.title).join(', ') || (accountsSeen(org.id) ? 'none' : '—')}</td>
                    <td>{granted.join('; ') || 'none'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        );
      })()}
    </section>
  );
}
