import { useEffect, useState, type FormEvent } from 'react';
import { getStatus, listAllCollections, postEnvelope, type StatusResource } from '../taxii';
import { useLoad } from '../use-load';

/** Reads a STIX bundle (or a bare list of objects) from a file's text; throws with a reason otherwise. */
function objectsOfFile(text: string): unknown[] {
  const parsed: unknown = JSON.parse(text);
  if (Array.isArray(parsed)) return parsed;
  const objects = typeof parsed === 'object' && parsed !== null ? (parsed as { objects?: unknown }).objects : undefined;
  if (!Array.isArray(objects)) throw new Error('The file is not a STIX bundle: it has no "objects" list.');
  return objects;
}

/**
 * Publishes a bundle through the TAXII add-objects endpoint, the same ingest path as any client
 * (TAXII 2.1 §5.4), then polls the status resource until nothing is pending (§4.3).
 */
export function UploadPage() {
  const collections = useLoad(async () => (await listAllCollections()).filter((collection) => collection.can_write), []);
  const [target, setTarget] = useState('');
  const [file, setFile] = useState<File | undefined>();
  const [error, setError] = useState('');
  const [status, setStatus] = useState<{ root: string; resource: StatusResource } | undefined>();

  useEffect(() => {
    if (!status || status.resource.status === 'complete') return undefined;
    const timer = setTimeout(() => {
      getStatus(status.root, status.resource.id).then((resource) => setStatus({ root: status.root, resource }), (caught: unknown) => setError(String(caught)));
    }, 500);
    return () => clearTimeout(timer);
  }, [status]);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setError('');
    setStatus(undefined);
    const [root, collectionId] = target.split(' ');
    if (!root || !collectionId || !file) return setError('Choose a collection and a file.');
    try {
      const objects = objectsOfFile(await file.text());
      setStatus({ root, resource: await postEnvelope(root, collectionId, objects) });
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    }
  };
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">Publish a bundle</h1>
      {collections.state === 'failed' && <p role="alert" className="error">{collections.error.message}</p>}
      <form onSubmit={onSubmit} className="upload">
        <label htmlFor="upload-collection">Collection</label>
        <select id="upload-collection" value={target} onChange={(e) => setTarget(e.target.value)} required>
          <option value="">Choose a collection you may write to</option>
          {collections.state === 'done' && collections.value.map((collection) => (
            <option key={collection.id} value={`${collection.root} ${collection.id}`}>{collection.title}</option>
          ))}
        </select>
        <label htmlFor="upload-file">Bundle file (JSON)</label>
        <input id="upload-file" type="file" accept=".json,application/json,application/stix+json" required onChange={(e) => setFile(e.target.files?.[0])} />
        <button type="submit">Publish</button>
      </form>
      {error && <p role="alert" className="error">{error}</p>}
      {status && <StatusView resource={status.resource} />}
    </section>
  );
}

function StatusView({ resource }: { resource: StatusResource }) {
  return (
    <section aria-labelledby="status-title" className="status">
      <h2 id="status-title">Status {resource.id}</h2>
      <p role="status">
        <span>{resource.status}</span>: {resource.success_count} succeeded, {resource.failure_count} failed, {resource.pending_count} pending of {resource.total_count}
      </p>
      {(resource.failures ?? []).length > 0 && (
        <table aria-label="Failures">
          <caption>Refused objects and why</caption>
          <thead><tr><th scope="col">Object</th><th scope="col">Version</th><th scope="col">Reason</th></tr></thead>
          <tbody>
            {(resource.failures ?? []).map((failure) => (
              <tr key={`${failure.id} ${failure.version ?? ''}`}><td>{failure.id}</td><td>{failure.version ?? ''}</td><td>{failure.message ?? ''}</td></tr>
            ))}
          </tbody>
        </table>
      )}
      {(resource.successes ?? []).length > 0 && (
        <table aria-label="Successes">
          <caption>Stored objects</caption>
          <thead><tr><th scope="col">Object</th><th scope="col">Version</th></tr></thead>
          <tbody>
            {(resource.successes ?? []).map((success) => (
              <tr key={`${success.id} ${success.version ?? ''}`}><td>{success.id}</td><td>{success.version ?? ''}</td></tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
