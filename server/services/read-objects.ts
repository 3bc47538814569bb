import { ObjectNotFound } from '../errors';
import { canonicalId } from '../stix/identifiers';
import type { Page } from '../storage/repository';
import { buildEnvelope, buildManifest, buildVersions, type ResourceResponse } from '../taxii/envelope';
import { clampLimit, decodeCursor, encodeCursor } from '../taxii/pagination';
import { parseObjectQuery, resolveFilter, type ObjectFilter } from '../taxii/query';
import { ALL_VERSIONS } from '../taxii/versions';
import { DEFAULT_SIZE_LIMITS, type CollectionRequest, type TaxiiContext } from './context';

export type Listing = 'objects' | 'manifest' | 'object' | 'versions';

const BUILDERS = { objects: buildEnvelope, object: buildEnvelope, manifest: buildManifest, versions: buildVersions } as const;

/**
 * Cuts a page of stored objects at the byte budget (issue 10.3): TAXII 2.1 §3.4 lets a server return
 * fewer objects than `limit` as long as `more` says so, and the cursor then resumes after the last
 * record kept, so nothing is skipped or repeated. The first record is always kept, whatever its size,
 * or a client could never get past it; a record is never split.
 */
export function withinBudget(page: Page, maxBytes: number): Page {
  let bytes = 0;
  for (const [index, record] of page.records.entries()) {
    bytes += Buffer.byteLength(record.stix ?? '') + 1;
    if (bytes > maxBytes && index > 0) return { records: page.records.slice(0, index), more: true };
  }
  return page;
}

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
  // Identifiers are stored and found in canonical form (issue 10.2); the error still quotes the id as asked.
  const id = objectId === undefined ? undefined : canonicalId(objectId);
  const scope = `${collection.id}/${listing}/${id ?? ''}`;
  const cursor = query.next ? decodeCursor(query.next, scope) : undefined;
  let filter: ObjectFilter = resolveFilter(query.stated, cursor?.filter);
  if (id !== undefined) filter = { ...filter, ids: [id] };
  // §5.8: the versions endpoint lists every version; only spec_version narrows it.
  if (listing === 'versions') filter = { ...filter, versions: ALL_VERSIONS };
  const limit = clampLimit(query.limit, context.pageSizes);
  const withContent = listing === 'objects' || listing === 'object';
  const stored = await context.objects.page({ collectionId: collection.id, filter, after: cursor?.after, limit, withContent });
  // Only pages with content can be large; manifests and version lists are cut by count alone.
  const page = withContent ? withinBudget(stored, (context.limits ?? DEFAULT_SIZE_LIMITS).maxPageBytes) : stored;
  if (id !== undefined && page.records.length === 0 && !cursor && !(await context.objects.holdsObject(collection.id, id))) {
    throw new ObjectNotFound(objectId ?? id);
  }
  const last = page.records[page.records.length - 1];
  const next =
    page.more && last
      ? encodeCursor({ scope, after: { dateAdded: last.dateAdded, id: last.id, versionKey: last.versionKey }, filter })
      : undefined;
  // Who pulled which intelligence, per request (issue 5): the owner can ask afterwards.
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
