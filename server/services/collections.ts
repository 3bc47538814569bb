import type { Principal } from '../auth/principal';
import type { AllianceConfig, ApiRootConfig, CollectionConfig } from '../config/types';
import { resolveCollection } from '../config/resolve-collection';
import { CollectionNotFound } from '../errors';
import { canSee, rightsOn } from '../policy/access-policy';
import { visibleCollections } from '../policy/visibility';

/**
 * A collection of this API root by id or alias (§5.2 allows aliases), only if the principal may see
 * it: one it may not see is "not found", as TAXII 2.1 §5.2 words it, so its existence is not revealed.
 */
export function collectionFor(config: AllianceConfig, principal: Principal, root: ApiRootConfig, idOrAlias: string): CollectionConfig {
  const found = resolveCollection(config, idOrAlias, root.path);
  if (!found || !canSee(rightsOn(principal, found))) throw new CollectionNotFound(idOrAlias);
  return found;
}

export function describeCollection(principal: Principal, collection: CollectionConfig): Record<string, unknown> {
  const rights = rightsOn(principal, collection);
  const resource: Record<string, unknown> = { id: collection.id, title: collection.title };
  if (collection.description) resource.description = collection.description;
  if (collection.alias) resource.alias = collection.alias;
  resource.can_read = rights.canRead;
  resource.can_write = rights.canWrite;
  resource.media_types = collection.mediaTypes;
  return resource;
}

export function listCollections(config: AllianceConfig, principal: Principal, root: ApiRootConfig): Record<string, unknown> {
  const collections = visibleCollections(principal, config, root.path).map((collection) => describeCollection(principal, collection));
  return collections.length > 0 ? { collections } : {};
}
