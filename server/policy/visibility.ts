import type { Principal } from '../auth/principal';
import type { AllianceConfig, ApiRootConfig, CollectionConfig } from '../config/types';
import { canSee, rightsOn } from './access-policy';

/** Collections of one API root the principal may see, in the stable order TAXII asks for (ascending id). */
export function visibleCollections(principal: Principal, config: AllianceConfig, apiRoot: string): CollectionConfig[] {
  return config.collections
    .filter((collection) => collection.apiRoot === apiRoot && canSee(rightsOn(principal, collection)))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * An API root exists for a principal when it holds a collection the principal may see, so a
 * partner's internal root stays invisible to everyone else (TAXII 2.1 §4.1 lets discovery differ per client).
 */
export function visibleApiRoots(principal: Principal, config: AllianceConfig): ApiRootConfig[] {
  return config.apiRoots.filter((root) => visibleCollections(principal, config, root.path).length > 0);
}
