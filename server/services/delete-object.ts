import { ObjectNotFound } from '../errors';
import { canonicalId } from '../stix/identifiers';
import { parseObjectQuery, resolveFilter } from '../taxii/query';
import { ALL_VERSIONS } from '../taxii/versions';
import { collectionActionRecord } from './audit-records';
import type { CollectionRequest, TaxiiContext } from './context';

/**
 * TAXII 2.1 §5.7. Without match[version] we delete every version: "delete an object" means the
 * object, not its latest version (medallion reads the default `last` here; checklist X-05).
 */
export async function deleteObject(context: TaxiiContext, request: CollectionRequest, objectId: string, rawQuery: string): Promise<number> {
  const { collection } = request;
  const query = parseObjectQuery(rawQuery, 'delete');
  const filter = resolveFilter(query.stated, { versions: ALL_VERSIONS });
  // Stored under its canonical id (docs/security.md §2), whatever the spelling in the URL.
  const id = canonicalId(objectId);
  if (!(await context.objects.holdsObject(collection.id, id))) throw new ObjectNotFound(objectId);
  const removed = await context.objects.deleteVersions(collection.id, id, filter);
  await context.audit.record(collectionActionRecord(request, 'object.delete', { objectIds: [id], details: { query: rawQuery, versionsRemoved: removed } }));
  return removed;
}

