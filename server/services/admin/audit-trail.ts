import { CollectionNotFound, InvalidParameter } from '../../errors';
import { canSee, rightsOn } from '../../policy/access-policy';
import type { AuditAction, AuditQuery, AuditRecord } from '../../storage/audit-log';
import { authorize, type AdminRequest, type AdminServices } from './admin-services';

export interface AuditTrailQuery {
  organisation?: string;
  collectionId?: string;
  actions?: AuditAction[];
  since?: Date;
  until?: Date;
  limit: number;
}

function ownedCollectionIds(services: AdminServices, organisation: string): string[] {
  return services.live.config.collections.filter((collection) => collection.owner === organisation).map((collection) => collection.id);
}

/**
 * The trail of an organisation is what its members did plus anything done to the collections it
 * owns, so a partner can see who pulled its intelligence. `organisation` and `collectionId`
 * together would mean an intersection the audit log cannot answer in one bounded query, so
 * one of them is asked for at a time.
 */
export async function queryAuditTrail(services: AdminServices, request: AdminRequest, query: AuditTrailQuery): Promise<AuditRecord[]> {
  if (query.organisation !== undefined && query.collectionId !== undefined) {
    throw new InvalidParameter('give org or collection, not both (filter a collection\'s trail by organisation on your side)');
  }
  const bounds: Omit<AuditQuery, 'organisation' | 'collectionIds'> = {
    ...(query.actions && { actions: query.actions }),
    ...(query.since && { since: query.since }),
    ...(query.until && { until: query.until }),
    limit: query.limit,
  };
  const { actor } = request;
  if (query.collectionId !== undefined) {
    const collection = services.live.config.collections.find((candidate) => candidate.id === query.collectionId);
    if (collection) authorize(actor, 'audit.read', { kind: 'collection', owner: collection.owner });
    // A removed collection's trail stays readable by the alliance's operators only.
    else authorize(actor, 'audit.read', { kind: 'alliance' });
    if (collection && actor.role === 'org-admin' && !canSee(rightsOn({ ...actor, authenticatedBy: { method: 'password' } }, collection))) {
      throw new CollectionNotFound(collection.id);
    }
    return services.audit.query({ ...bounds, collectionIds: [query.collectionId] });
  }
  const organisation = query.organisation ?? (actor.role === 'alliance-admin' ? undefined : actor.organisation);
  if (organisation === undefined) {
    authorize(actor, 'audit.read', { kind: 'alliance' });
    return services.audit.query(bounds);
  }
  authorize(actor, 'audit.read', { kind: 'organisation', organisation });
  return services.audit.query({ ...bounds, organisation, collectionIds: ownedCollectionIds(services, organisation) });
}
