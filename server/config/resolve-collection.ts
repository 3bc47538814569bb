import { InvalidParameter } from '../errors';
import type { AllianceConfig, CollectionConfig } from './types';

/**
 * The one place a collection is found from what a person or a URL names it by: its id or its alias
 * (TAXII 2.1 §5.2 lets a collection carry an alias; this server accepts it wherever an id goes).
 * The TAXII routes, provenance, grants, the audit trail and the admin CLI all call this, so an alias
 * that works in one place works in all of them.
 *
 * Ids are unique across the alliance and aliases only within one API root (config/cross-check.ts),
 * so an id wins over an alias, and without `apiRoot` an alias used in two roots names no single
 * collection: that is the caller's request to fix, not a guess to make. Pure: no access decision
 * here; callers hide what the principal may not see.
 */
export function resolveCollection(config: Pick<AllianceConfig, 'collections'>, idOrAlias: string, apiRoot?: string): CollectionConfig | undefined {
  const candidates = apiRoot === undefined ? config.collections : config.collections.filter((collection) => collection.apiRoot === apiRoot);
  const byId = candidates.find((collection) => collection.id === idOrAlias);
  if (byId) return byId;
  const byAlias = candidates.filter((collection) => collection.alias === idOrAlias);
  if (byAlias.length > 1) {
    throw new InvalidParameter(`the alias '${idOrAlias}' names a collection in several API roots (${byAlias.map((c) => c.apiRoot).join(', ')}): give the collection id`);
  }
  return byAlias[0];
}
