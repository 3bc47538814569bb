import { resolveCollection } from '../../config/resolve-collection';
import { CollectionNotFound, InvalidParameter } from '../../errors';
import { canSee, rightsOn } from '../../policy/access-policy';
import type { AuditAction, AuditQuery, AuditRecord } from '../../storage/audit-log';
import { authorize, type AdminRequest, type AdminDependencies } from './admin-dependencies';

export interface AuditTrailQuery {
  organisation?: string;
  /** The collection's id or alias, as everywhere else (config/resolve-collection.ts). */
  collection?: string;
  actions?: AuditAction[];
  since?: Date;
  until?: Date;
  limit: number;
}

function ownedCollectionIds(deps: AdminDependencies, organisation: string): string[] {
  return deps.live.config.collections.filter((collection) => collection.owner === organisation).map((collection) => collection.id);
}

/**
 * The trail of an organisation is what its members did plus anything done to the collections it
 * owns, so a partner can see who pulled its intelligence. `organisation` and `collectionId`
 * together would mean an intersection the audit log cannot answer in one bounded query, so
 * one of them is asked for at a time.
 */
export async function queryAuditTrail(deps: AdminDependencies, request: AdminRequest, query: AuditTrailQuery): Promise<AuditRecord[]> {
  if (query.organisation !== undefined && query.collection !== undefined) {
    throw new InvalidParameter('give org or collection, not both (filter a collection\'s trail by organisation on your side)');
  }
  const bounds: Omit<AuditQuery, 'organisation' | 'collectionIds'> = {
    ...(query.actions && { actions: query.actions }),
    ...(query.since && { since: query.since }),
    ...(query.until && { until: query.until }),
    limit: query.limit,
  };
  const { actor } = request;
  if (query.collection !== undefined) {
    const collection = resolveCollection(deps.live.config, query.collection);
    if (collection) authorize(actor, 'audit.read', { kind: 'collection', owner: collection.owner });
    // A removed collection's trail stays readable by the alliance's operators only, by its id:
    // records name collections by id, and a removed collection's alias resolves to nothing.
    else authorize(actor, 'audit.read', { kind: 'alliance' });
    if (collection && actor.role === 'org-admin' && !canSee(rightsOn({ ...actor, authenticatedBy: { method: 'password' } }, collection))) {
      throw new CollectionNotFound(query.collection);
    }
    return deps.audit.query({ ...bounds, collectionIds: [collection?.id ?? query.collection] });
  }
  const organisation = query.organisation ?? (actor.role === 'alliance-admin' ? undefined : actor.organisation);
  if (organisation === undefined) {
    authorize(actor, 'audit.read', { kind: 'alliance' });
    return deps.audit.query(bounds);
  }
  authorize(actor, 'audit.read', { kind: 'organisation', organisation });
  return deps.audit.query({ ...bounds, organisation, collectionIds: ownedCollectionIds(deps, organisation) });
}
