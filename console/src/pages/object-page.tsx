import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { adminGet } from '../api';
import { JsonView, TlpBadge } from '../components';
import { useSession } from '../session';
import { diffVersions, labelOf } from '../stix';
import { getAllObjects, getAllVersions, type StixObject } from '../taxii';
import { isNotFound, useLoad } from '../use-load';
import { NotFoundPage } from './not-found-page';

interface ProvenanceRecord {
  version: string;
  date_added: string;
  published_by: { organisation: string; username: string };
}

/** Who published each version: the admin API's provenance, which administrators may read (docs/admin.md). */
async function provenanceOf(collectionId: string, objectId: string): Promise<ProvenanceRecord[] | undefined> {
  try {
    const query = new URLSearchParams({ collection: collectionId, object: objectId });
    const { body } = await adminGet<{ versions?: ProvenanceRecord[] }>(`/provenance?${query.toString()}`);
    return body.versions ?? [];
  } catch {
    return undefined;
  }
}

export function ObjectPage() {
  const { root = '', collectionId = '', objectId = '' } = useParams();
  const { session } = useSession();
  const loaded = useLoad(async () => {
    const versions = await getAllVersions(root, collectionId, objectId);
    const relationships = (await getAllObjects(root, collectionId, { type: 'relationship' }))
      .filter((relationship) => relationship.source_ref === objectId || relationship.target_ref === objectId);
    const provenance = session?.role === 'member' ? undefined : await provenanceOf(collectionId, objectId);
    return { versions, relationships, provenance };
  }, [root, collectionId, objectId]);
  const [fromIndex, setFromIndex] = useState(0);
  const [toIndex, setToIndex] = useState<number | undefined>();

  if (isNotFound(loaded)) return <NotFoundPage />;
  if (loaded.state === 'loading') return <p role="status">Loading…</p>;
  if (loaded.state === 'failed') return <p role="alert" className="error">{loaded.error.message}</p>;
  const { versions, relationships, provenance } = loaded.value;
  const latest = versions[versions.length - 1];
  if (!latest) return <NotFoundPage />;
  const to = versions[toIndex ?? versions.length - 1] ?? latest;
  const from = versions[fromIndex] ?? latest;
  const versionLabel = (object: StixObject) => object.modified ?? object.created ?? object.id;
  return (
    <section aria-labelledby="page-title">
      <p><Link to={`/collections/${root}/${collectionId}`}>← Objects</Link></p>
      <h1 id="page-title">{labelOf(latest) || latest.id}</h1>
      <p>{latest.type} · <code>{latest.id}</code> · <TlpBadge object={latest} /> · {versions.length} version(s)</p>

      <h2>Versions</h2>
      <div className="versions">
        {versions.map((version) => (
          <article key={versionLabel(version)} className="version" aria-label={`Version ${versionLabel(version)}`}>
            <h3>{versionLabel(version)}</h3>
            <JsonView value={version} label={`JSON of version ${versionLabel(version)}`} />
          </article>
        ))}
      </div>

      <h2>Differences</h2>
      <div className="filters">
        <span className="field">
          <label htmlFor="diff-from">From version</label>
          <select id="diff-from" value={fromIndex} onChange={(e) => setFromIndex(Number(e.target.value))}>
            {versions.map((version, index) => <option key={index} value={index}>{versionLabel(version)}</option>)}
          </select>
        </span>
        <span className="field">
          <label htmlFor="diff-to">To version</label>
          <select id="diff-to" value={toIndex ?? versions.length - 1} onChange={(e) => setToIndex(Number(e.target.value))}>
            {versions.map((version, index) => <option key={index} value={index}>{versionLabel(version)}</option>)}
          </select>
        </span>
      </div>
      <table aria-label="Differences between the two versions">
        <thead><tr><th scope="col">Property</th><th scope="col">From</th><th scope="col">To</th></tr></thead>
        <tbody>
          {diffVersions(from, to).map((change) => (
            <tr key={change.property}>
              <th scope="row">{change.property}</th>
              <td className="removed"><pre>{change.before ?? '(absent)'}</pre></td>
              <td className="added"><pre>{change.after ?? '(absent)'}</pre></td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>Provenance</h2>
      {provenance === undefined
        ? <p>Who published each version is shown to administrators (the admin API's provenance).</p>
        : (
          <table aria-label="Provenance">
            <thead><tr><th scope="col">Version</th><th scope="col">Organisation</th><th scope="col">User</th><th scope="col">Date added</th></tr></thead>
            <tbody>
              {provenance.map((record) => (
                <tr key={`${record.version} ${record.date_added}`}><td>{record.version}</td><td>{record.published_by.organisation}</td><td>{record.published_by.username}</td><td>{record.date_added}</td></tr>
              ))}
            </tbody>
          </table>
        )}

      <h2>Relationships in this collection</h2>
      {relationships.length === 0 ? <p>None.</p> : (
        <ul>
          {relationships.map((relationship) => {
            const other = relationship.source_ref === objectId ? relationship.target_ref : relationship.source_ref;
            return (
              <li key={relationship.id}>
                {relationship.relationship_type ?? 'related-to'}{' '}
                {other ? <Link to={`/collections/${root}/${collectionId}/objects/${other}`}>{other}</Link> : '?'}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
