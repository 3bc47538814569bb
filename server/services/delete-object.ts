import type { CollectionConfig } from '../config/types';
import { ObjectNotFound } from '../errors';
import { parseObjectQuery, resolveFilter } from '../taxii/query';
import { ALL_VERSIONS } from '../taxii/versions';
import type { TaxiiContext } from './context';

/**
 * TAXII 2.1 §5.7. Without match[version] we delete every version: "delete an object" means the
 * object, not its latest version (medallion reads the default `last` here; checklist X-05).
 */
export async function deleteObject(context: TaxiiContext, collection: CollectionConfig, objectId: string, rawQuery: string): Promise<number> {
  const query = parseObjectQuery(rawQuery, 'delete');
  const filter = resolveFilter(query.stated, { versions: ALL_VERSIONS });
  if (!(await context.objects.holdsObject(collection.id, objectId))) throw new ObjectNotFound(objectId);
  return context.objects.deleteVersions(collection.id, objectId, filter);
}

