import { useState, type FormEvent } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { JsonView, TlpBadge, saveFile } from '../components';
import { bundleOf, labelOf } from '../stix';
import { getAllObjects, getCollection, getObjectPage, versionKey, type ObjectFilters } from '../taxii';
import { isNotFound, useLoad } from '../use-load';
import { NotFoundPage } from './not-found-page';

const PAGE_SIZE = 50;
const FILTER_FIELDS: { key: keyof ObjectFilters; param: string; label: string; hint: string }[] = [
  { key: 'type', param: 'type', label: 'Type', hint: 'e.g. indicator,malware' },
  { key: 'id', param: 'id', label: 'Id', hint: 'a STIX id' },
  { key: 'addedAfter', param: 'added_after', label: 'Added after', hint: '2026-01-01T00:00:00Z' },
  { key: 'version', param: 'version', label: 'Version', hint: 'last, first, all or a timestamp' },
];

export function ObjectsPage() {
  const { root = '', collectionId = '' } = useParams();
  const [searchParams, setSearchParams] = useSearchParams();
  const filters: ObjectFilters = Object.fromEntries(FILTER_FIELDS.map((field) => [field.key, searchParams.get(field.param) ?? undefined]));
  const cursor = searchParams.get('next') ?? undefined;
  const [draft, setDraft] = useState<ObjectFilters>(filters);
  const [showJson, setShowJson] = useState(false);
  const [downloadError, setDownloadError] = useState('');
  const loaded = useLoad(async () => ({
    collection: await getCollection(root, collectionId),
    page: await getObjectPage(root, collectionId, filters, PAGE_SIZE, cursor),
  }), [root, collectionId, searchParams.toString()]);

  if (isNotFound(loaded)) return <NotFoundPage />;
  const onFilter = (event: FormEvent) => {
    event.preventDefault();
    const next = new URLSearchParams();
    for (const field of FILTER_FIELDS) if (draft[field.key]) next.set(field.param, String(draft[field.key]));
    setSearchParams(next);
  };
  const onDownload = async () => {
    setDownloadError('');
    try {
      const objects = await getAllObjects(root, collectionId, filters);
      saveFile(`${collectionId}.bundle.json`, JSON.stringify(bundleOf(objects), null, 2), 'application/stix+json');
    } catch (caught) {
      setDownloadError(caught instanceof Error ? caught.message : String(caught));
    }
  };
  const goToCursor = (next: string | undefined) => {
    const params = new URLSearchParams(searchParams);
    if (next) params.set('next', next);
    else params.delete('next');
    setSearchParams(params);
  };
  return (
    <section aria-labelledby="page-title">
      <p><Link to="/">← Collections</Link></p>
      <h1 id="page-title">{loaded.state === 'done' ? loaded.value.collection.title : 'Collection'}</h1>
      <form className="filters" onSubmit={onFilter} aria-label="Filters">
        {FILTER_FIELDS.map((field) => (
          <span key={field.key} className="field">
            <label htmlFor={`filter-${field.param}`}>{field.label}</label>
            <input id={`filter-${field.param}`} placeholder={field.hint} value={draft[field.key] ?? ''}
              onChange={(e) => setDraft({ ...draft, [field.key]: e.target.value || undefined })} />
          </span>
        ))}
        <button type="submit">Apply filters</button>
        <button type="button" onClick={onDownload}>Download bundle</button>
        <label className="inline"><input type="checkbox" checked={showJson} onChange={(e) => setShowJson(e.target.checked)} /> Show JSON</label>
      </form>
      {downloadError && <p role="alert" className="error">{downloadError}</p>}
      {loaded.state === 'loading' && <p role="status">Loading…</p>}
      {loaded.state === 'failed' && <p role="alert" className="error">{loaded.error.message}</p>}
      {loaded.state === 'done' && (
        <>
          <table>
            <caption>{loaded.value.page.objects.length} objects on this page</caption>
            <thead>
              <tr><th scope="col">Type</th><th scope="col">Name or pattern</th><th scope="col">Created</th><th scope="col">Modified</th>
                <th scope="col">Date added</th><th scope="col">TLP</th><th scope="col">Publisher</th></tr>
            </thead>
            <tbody>
              {loaded.value.page.objects.map((object) => (
                <tr key={versionKey(object.id, object.modified)}>
                  <td>{object.type}</td>
                  <td><Link to={`/collections/${root}/${collectionId}/objects/${object.id}`}>{labelOf(object) || object.id}</Link></td>
                  <td>{object.created ?? ''}</td>
                  <td>{object.modified ?? ''}</td>
                  <td>{loaded.value.page.dateAdded.get(versionKey(object.id, object.modified ?? object.created)) ?? ''}</td>
                  <td><TlpBadge object={object} /></td>
                  <td>{typeof object.created_by_ref === 'string' ? object.created_by_ref : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <nav aria-label="Pages" className="pager">
            {cursor && <button type="button" onClick={() => goToCursor(undefined)}>First page</button>}
            {loaded.value.page.more && <button type="button" onClick={() => goToCursor(loaded.value.page.next)}>Next page</button>}
          </nav>
          {showJson && <JsonView value={{ objects: loaded.value.page.objects }} label="Objects as JSON" />}
        </>
      )}
    </section>
  );
}
