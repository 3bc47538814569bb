import { ObjectNotFound } from '../errors';
import { buildEnvelope, buildManifest, buildVersions, type ResourceResponse } from '../taxii/envelope';
import { clampLimit, decodeCursor, encodeCursor } from '../taxii/pagination';
import { parseObjectQuery, resolveFilter, type ObjectFilter } from '../taxii/query';
import { ALL_VERSIONS } from '../taxii/versions';
import type { CollectionRequest, TaxiiContext } from './context';

export type Listing = 'objects' | 'manifest' | 'object' | 'versions';

const BUILDERS = { objects: buildEnvelope, object: buildEnvelope, manifest: buildManifest, versions: buildVersions } as const;

/**
 * The four read endpoints share one path: parse the query, resume from the cursor, read one
 * page, build the resource. `objectId` is set for `object` and `versions`.
 */
export async function readListing(
  context: TaxiiContext,
  request: CollectionRequest,
  listing: Listing,
  rawQuery: string,
  objectId?: string,
): Promise<ResourceResponse> {
  const { collection } = request;
  const query = parseObjectQuery(rawQuery, listing);
  const scope = `${collection.id}/${listing}/${objectId ?? ''}`;
  const cursor = query.next ? decodeCursor(query.next, scope, context.cursorKeys) : undefined;
  let filter: ObjectFilter = resolveFilter(query.stated, cursor?.filter);
  if (objectId !== undefined) filter = { ...filter, ids: [objectId] };
  // §5.8: the versions endpoint lists every version; only spec_version narrows it.
  if (listing === 'versions') filter = { ...filter, versions: ALL_VERSIONS };
  const limit = clampLimit(query.limit, context.pageSizes);
  const page = await context.objects.page({
    collectionId: collection.id,
    filter,
    after: cursor?.after,
    limit,
    withContent: listing === 'objects' || listing === 'object',
  });
  if (objectId !== undefined && page.records.length === 0 && !cursor && !(await context.objects.holdsObject(collection.id, objectId))) {
    throw new ObjectNotFound(objectId);
  }
  const last = page.records[page.records.length - 1];
  const next =
    page.more && last
      ? encodeCursor({ scope, after: { dateAdded: last.dateAdded, id: last.id, versionKey: last.versionKey }, filter }, context.cursorKeys)
      : undefined;
  // Who pulled which intelligence, per request: the owner can ask afterwards (docs/access-model.md, Roles).
  await context.audit.record({
    at: new Date(),
    action: 'objects.read',
    username: request.principal.username,
    organisation: request.principal.organisation,
    apiRoot: request.root.path,
    collectionId: collection.id,
    requestId: request.requestId,
    details: { endpoint: listing, objectId, query: rawQuery, returned: page.records.length },
  });
  return BUILDERS[listing]({ records: page.records, more: page.more, next });
}
