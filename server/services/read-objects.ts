import { ObjectNotFound } from '../errors';
import { canonicalId } from '../stix/identifiers';
import type { Page } from '../storage/repository';
import { buildEnvelope, buildManifest, buildVersions, type ResourceResponse } from '../taxii/envelope';
import { clampLimit, decodeCursor, encodeCursor } from '../taxii/pagination';
import { parseObjectQuery, resolveFilter, type ObjectFilter } from '../taxii/query';
import { ALL_VERSIONS, pickAmongMatching, selectsAmongMatching } from '../taxii/versions';
import type { PageRequest } from '../storage/repository';
import type { PagePosition } from '../taxii/pagination';
import { collectionActionRecord } from './audit-records';
import { DEFAULT_SIZE_LIMITS, type CollectionRequest, type TaxiiContext } from './context';

export type Listing = 'objects' | 'manifest' | 'object' | 'versions';

const BUILDERS = { objects: buildEnvelope, object: buildEnvelope, manifest: buildManifest, versions: buildVersions } as const;

/**
 * Cuts a page of stored objects at the byte budget (docs/security.md §3): TAXII 2.1 §3.4 lets a server return
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
  // Identifiers are stored and found in canonical form (docs/security.md); the error still quotes the id as asked.
  const id = objectId === undefined ? undefined : canonicalId(objectId);
  const scope = `${collection.id}/${listing}/${id ?? ''}`;
  const cursor = query.next ? decodeCursor(query.next, scope, context.cursorKeys) : undefined;
  let filter: ObjectFilter = resolveFilter(query.stated, cursor?.filter);
  if (id !== undefined) filter = { ...filter, ids: [id] };
  // §5.8: the versions endpoint lists every version; only spec_version narrows it.
  if (listing === 'versions') filter = { ...filter, versions: ALL_VERSIONS };
  const limit = clampLimit(query.limit, context.pageSizes);
  const withContent = listing === 'objects' || listing === 'object';
  const read = await readPage(context, { collectionId: collection.id, filter, after: cursor?.after, limit, withContent });
  // Only pages with content can be large; manifests and version lists are cut by count alone.
  const page = withContent ? withinBudget(read.page, (context.limits ?? DEFAULT_SIZE_LIMITS).maxPageBytes) : read.page;
  const cut = page.records.length < read.page.records.length ? page.records.at(-1) : undefined;
  const last = cut ? { dateAdded: cut.dateAdded, id: cut.id, versionKey: cut.versionKey } : read.last;
  if (id !== undefined && page.records.length === 0 && !cursor && !(await context.objects.holdsObject(collection.id, id))) {
    throw new ObjectNotFound(objectId ?? id);
  }
  const next =
    page.more && last
      ? encodeCursor({ scope, after: last, filter }, context.cursorKeys)
      : undefined;
  // Who pulled which intelligence, per request: the owner can ask afterwards (docs/access-model.md, Roles).
  await context.audit.record(collectionActionRecord(request, 'objects.read', {
    details: { endpoint: listing, objectId, query: rawQuery, returned: page.records.length },
  }));
  return BUILDERS[listing]({ records: page.records, more: page.more, next });
}

/** How many candidate pages one request may scan for a page of `first`/`last` among matching versions. */
const MAX_CANDIDATE_PAGES = 8;
/** Versions of one page's objects read to judge first/last among them. */
const MAX_MATCHING_VERSIONS = 50_000;

/**
 * One page of the listing and the position the next page starts after. Usually one storage page;
 * when `first`/`last` are judged among the versions matching the other filters (taxii/versions.ts),
 * candidates are all matching versions, each page's objects are checked against their other
 * matching versions, and the cursor advances past every candidate looked at, kept or not, so
 * `next` stays exact. A page may then hold fewer than `limit` objects, which TAXII allows.
 */
async function readPage(context: TaxiiContext, request: PageRequest): Promise<{ page: Page; last?: PagePosition }> {
  const { filter } = request;
  if (!selectsAmongMatching(filter.versions, filter)) {
    const page = await context.objects.page(request);
    const lastRecord = page.records.at(-1);
    return { page, last: lastRecord && { dateAdded: lastRecord.dateAdded, id: lastRecord.id, versionKey: lastRecord.versionKey } };
  }
  const kept: Page['records'] = [];
  let after = request.after;
  for (let scanned = 0; scanned < MAX_CANDIDATE_PAGES; scanned += 1) {
    const candidates = await context.objects.page({ ...request, after, limit: request.limit - kept.length, filter: { ...filter, versions: ALL_VERSIONS } });
    const ids = [...new Set(candidates.records.map((record) => record.id))];
    const matching = ids.length === 0 ? [] : (await context.objects.page({
      collectionId: request.collectionId,
      filter: { ...filter, ids, versions: ALL_VERSIONS },
      limit: MAX_MATCHING_VERSIONS,
      withContent: false,
    })).records;
    kept.push(...pickAmongMatching(candidates.records, matching, filter.versions));
    const lastRecord = candidates.records.at(-1);
    if (lastRecord) after = { dateAdded: lastRecord.dateAdded, id: lastRecord.id, versionKey: lastRecord.versionKey };
    if (!candidates.more || kept.length >= request.limit) return { page: { records: kept, more: candidates.more }, last: after };
  }
  return { page: { records: kept, more: true }, last: after };
}
