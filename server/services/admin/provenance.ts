import { resolveCollection } from '../../config/resolve-collection';
import type { CollectionConfig } from '../../config/types';
import { CollectionNotFound, InvalidParameter } from '../../errors';
import { canSee, rightsOn } from '../../policy/access-policy';
import type { BoundedList, PublishedVersion } from '../../storage/provenance-repository';
import { instantKey } from '../../taxii/timestamps';
import { canonicalId } from '../../stix/identifiers';
import { authorize, type AdminRequest, type AdminDependencies } from './admin-dependencies';

export interface ProvenanceAnswer {
  collection: CollectionConfig;
  objectId: string;
  versions: BoundedList<PublishedVersion>;
}

export interface PublicationsAnswer {
  organisation: string;
  since?: Date;
  until?: Date;
  publications: BoundedList<PublishedVersion>;
}

/** By id or alias; an org-admin gets a 404 for a collection its organisation cannot even see, as TAXII answers. */
export function findCollection(deps: AdminDependencies, request: AdminRequest, idOrAlias: string): CollectionConfig {
  const collection = resolveCollection(deps.live.config, idOrAlias);
  if (!collection) throw new CollectionNotFound(idOrAlias);
  const { actor } = request;
  if (actor.role !== 'alliance-admin' && !canSee(rightsOn({ ...actor, authenticatedBy: { method: 'password' } }, collection))) {
    throw new CollectionNotFound(idOrAlias);
  }
  return collection;
}

/** Who published which version of one object, and when: answered for the collection's owner and the alliance's operators. */
export async function provenanceOf(
  deps: AdminDependencies,
  request: AdminRequest,
  query: { collection: string; objectId: string; version?: string; limit: number },
): Promise<ProvenanceAnswer> {
  const collection = findCollection(deps, request, query.collection);
  authorize(request.actor, 'provenance.read', { kind: 'collection', owner: collection.owner });
  let versionKey: string | undefined;
  if (query.version !== undefined) {
    versionKey = instantKey(query.version);
    if (versionKey === undefined) throw new InvalidParameter(`version must be a STIX timestamp such as 2024-03-01T10:00:00.000Z, got '${query.version}'`);
  }
  // Versions are stored under the canonical id (docs/security.md §2), whatever the spelling asked for.
  const versions = await deps.provenance.versionsOf(collection.id, canonicalId(query.objectId), { ...(versionKey !== undefined && { versionKey }), limit: query.limit });
  return { collection, objectId: query.objectId, versions };
}

/** What one organisation published between two instants (bounds on `date_added`, inclusive). */
export async function publicationsOf(
  deps: AdminDependencies,
  request: AdminRequest,
  query: { organisation: string; since?: Date; until?: Date; limit: number },
): Promise<PublicationsAnswer> {
  authorize(request.actor, 'publications.read', { kind: 'organisation', organisation: query.organisation });
  if (query.since && query.until && query.since.getTime() > query.until.getTime()) throw new InvalidParameter('since must not be after until');
  const publications = await deps.provenance.publishedBy({
    organisation: query.organisation,
    ...(query.since && { sinceMicros: query.since.getTime() * 1000 }),
    // `until` is inclusive to the millisecond a Date can name, so its last microsecond counts too.
    ...(query.until && { untilMicros: query.until.getTime() * 1000 + 999 }),
    limit: query.limit,
  });
  return { organisation: query.organisation, ...(query.since && { since: query.since }), ...(query.until && { until: query.until }), publications };
}
