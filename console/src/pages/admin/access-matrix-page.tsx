import { useState } from 'react';
import { listCollections, listOrganisations, setGrant, type AdminCollection, type ConfigChange, type Grant } from '../../admin-components/admin-api';
import { mayChangeGrants } from '../../admin-components/admin-rights';
import { messageOf } from '../../admin-components/feedback';
import { useSession } from '../../session';
import { useLoad } from '../../use-load';

/** The grant that names every organisation of the alliance (collections/*.yaml, docs/admin.md). */
const ALL_MEMBERS = 'all-members';

type Right = 'read' | 'write';

const nameOf = (collection: AdminCollection): string => collection.alias ?? collection.title;

function grantOf(collection: AdminCollection, organisation: string): Grant {
  return collection.grants.find((grant) => grant.organisation === organisation) ?? { organisation, read: false, write: false };
}

/**
 * Organisations × the collections this admin may change, read and write as checkboxes. Each tick is
 * one grant change through the admin API: the server edits the owner's YAML in collections/ (the
 * source of truth), applies it as a new configuration revision and answers with the diff shown here.
 */
export function AccessMatrixPage() {
  const { session } = useSession();
  const [reloads, setReloads] = useState(0);
  const [pending, setPending] = useState(false);
  const [result, setResult] = useState<{ change: ConfigChange; what: string } | undefined>();
  const [error, setError] = useState('');
  const loaded = useLoad(async () => ({ organisations: await listOrganisations(), collections: await listCollections() }), [reloads]);
  if (!session) return null;

  const onToggle = async (collection: AdminCollection, organisation: string, right: Right, on: boolean) => {
    const rights = { ...grantOf(collection, organisation), [right]: on };
    setPending(true);
    setError('');
    try {
      const change = await setGrant(collection.id, organisation, { read: rights.read, write: rights.write });
      setResult({ change, what: `${organisation} on ${nameOf(collection)}` });
      setReloads((count) => count + 1);
    } catch (caught) {
      setError(messageOf(caught));
    } finally {
      setPending(false);
    }
  };

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">Access matrix</h1>
      <p>Who may read and write each collection you administer. Each change is written to the owner&apos;s file in <code>collections/</code> and applied as a new configuration revision.</p>
      {error && <p role="alert" className="error">{error}</p>}
      {result && <ChangeView change={result.change} what={result.what} />}
      {loaded.state === 'loading' && <p role="status">Loading…</p>}
      {loaded.state === 'failed' && <p role="alert" className="error">{loaded.error.message}</p>}
      {loaded.state === 'done' && (() => {
        const collections = loaded.value.collections.filter((collection) => mayChangeGrants(session, collection));
        const rows = [...loaded.value.organisations.map((org) => ({ id: org.id, name: org.name })), { id: ALL_MEMBERS, name: 'every organisation of the alliance' }];
        if (collections.length === 0) return <p>You administer no collection.</p>;
        return (
          <div className="matrix-scroll">
            <table className="matrix" aria-describedby="matrix-legend">
              <caption id="matrix-legend">Rows: organisations. Columns: collections. R = read, W = write.</caption>
              <thead>
                <tr>
                  <th scope="col">Organisation</th>
                  {collections.map((collection) => (
                    <th scope="col" key={collection.id} title={`${collection.title} (owner ${collection.owner}, ${collection.api_root})`}>{nameOf(collection)}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((org) => (
                  <tr key={org.id}>
                    <th scope="row" title={org.name}>{org.id}</th>
                    {collections.map((collection) => (
                      <td key={collection.id}>
                        {collection.owner === org.id
                          ? <span className="owner">owner</span>
                          : <RightsCell collection={collection} organisation={org.id} disabled={pending} onToggle={onToggle} />}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        );
      })()}
    </section>
  );
}

interface RightsCellProps {
  collection: AdminCollection;
  organisation: string;
  disabled: boolean;
  onToggle: (collection: AdminCollection, organisation: string, right: Right, on: boolean) => void;
}

function RightsCell({ collection, organisation, disabled, onToggle }: RightsCellProps) {
  const grant = grantOf(collection, organisation);
  const box = (right: Right, short: string) => (
    <label className="right">
      <input
        type="checkbox"
        checked={grant[right]}
        disabled={disabled}
        aria-label={`${organisation} may ${right} ${nameOf(collection)}`}
        onChange={(event) => onToggle(collection, organisation, right, event.target.checked)}
      />
      <span aria-hidden="true">{short}</span>
    </label>
  );
  return <span className="inline">{box('read', 'R')}{box('write', 'W')}</span>;
}

function ChangeView({ change, what }: { change: ConfigChange; what: string }) {
  return (
    <section aria-labelledby="change-title" className="change">
      <h2 id="change-title">Last change: {what}</h2>
      <p role="status">
        {change.changed ? `Applied as configuration revision ${change.revision}.` : `Nothing to change; the configuration stays at revision ${change.revision}.`}
        {change.needs_restart && ' Some of it takes effect only after a restart.'}
      </p>
      {change.diff.length > 0 && <pre aria-label="Configuration diff" tabIndex={0} className="diff">{change.diff.join('\n')}</pre>}
    </section>
  );
}
