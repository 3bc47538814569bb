import { Link } from 'react-router';
import { adminGet } from '../api';
import { useSession } from '../session';
import { listAllCollections } from '../taxii';
import { useLoad } from '../use-load';

/** TLP ceilings come from the admin API, which only administrators may read (docs/access-model.md). */
async function tlpCeilings(): Promise<Map<string, string>> {
  const { body } = await adminGet<{ collections?: { id: string; max_tlp?: string }[] }>('/collections');
  return new Map((body.collections ?? []).map((collection) => [collection.id, collection.max_tlp ?? 'none']));
}

export function CollectionsPage() {
  const { session } = useSession();
  const isAdmin = session?.role !== 'member';
  const loaded = useLoad(async () => ({
    collections: await listAllCollections(),
    ceilings: isAdmin ? await tlpCeilings().catch(() => new Map<string, string>()) : new Map<string, string>(),
  }), [isAdmin]);
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">Collections</h1>
      {loaded.state === 'loading' && <p role="status">Loading…</p>}
      {loaded.state === 'failed' && <p role="alert" className="error">{loaded.error.message}</p>}
      {loaded.state === 'done' && (
        <table>
          <caption>Collections you may see, with your rights</caption>
          <thead>
            <tr><th scope="col">Title</th><th scope="col">API root</th><th scope="col">Alias</th><th scope="col">Read</th><th scope="col">Write</th><th scope="col">TLP ceiling</th></tr>
          </thead>
          <tbody>
            {loaded.value.collections.map((collection) => (
              <tr key={collection.id}>
                <td>
                  {collection.can_read
                    ? <Link to={`/collections/${collection.root}/${collection.id}`}>{collection.title}</Link>
                    : collection.title}
                </td>
                <td>{collection.root}</td>
                <td>{collection.alias ?? ''}</td>
                <td>{collection.can_read ? 'yes' : 'no'}</td>
                <td>{collection.can_write ? 'yes' : 'no'}</td>
                <td>{loaded.value.ceilings.get(collection.id)?.toUpperCase() ?? <span title="Only administrators may read TLP ceilings through the admin API">not shown</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
