import type { Principal } from '../auth/principal';
import type { AllianceConfig, ApiRootConfig, CollectionConfig } from '../config/types';
import { ApiRootNotFound, CollectionNotFound, StatusNotFound } from '../errors';
import { rightsOn } from '../policy/access-policy';
import { visibleApiRoots, visibleCollections } from '../policy/visibility';
import { buildStatus, type StatusResource } from '../taxii/envelope';
import { TAXII_MEDIA_TYPE } from '../taxii/media-types';
import type { TaxiiContext } from './context';

export interface DiscoveryResource {
  title: string;
  description?: string;
  contact?: string;
  default?: string;
  api_roots?: string[];
}

/** §4.1. API roots are relative URLs (`/alliance/`), which D-02 allows and clients resolve against discovery. */
export function discover(config: AllianceConfig, principal: Principal): DiscoveryResource {
  const roots = visibleApiRoots(principal, config).map((root) => `/${root.path}/`);
  const resource: DiscoveryResource = { title: config.server.title };
  if (config.server.description) resource.description = config.server.description;
  if (config.server.contact) resource.contact = config.server.contact;
  const preferred = config.server.defaultApiRoot ? `/${config.server.defaultApiRoot}/` : undefined;
  if (preferred && roots.includes(preferred)) resource.default = preferred;
  if (roots.length > 0) resource.api_roots = roots;
  return resource;
}

/** The API root, if this principal may see it; otherwise it does not exist for them. */
export function apiRootFor(config: AllianceConfig, principal: Principal, path: string): ApiRootConfig {
  const root = visibleApiRoots(principal, config).find((candidate) => candidate.path === path);
  if (!root) throw new ApiRootNotFound(path);
  return root;
}

export function describeApiRoot(root: ApiRootConfig): Record<string, unknown> {
  const resource: Record<string, unknown> = { title: root.title };
  if (root.description) resource.description = root.description;
  resource.versions = [TAXII_MEDIA_TYPE];
  resource.max_content_length = root.maxContentLength;
  return resource;
}

/** A collection by id or alias (§5.2 allows aliases), only if the principal may see it. */
export function collectionFor(config: AllianceConfig, principal: Principal, root: ApiRootConfig, idOrAlias: string): CollectionConfig {
  const found = visibleCollections(principal, config, root.path).find(
    (collection) => collection.id === idOrAlias || collection.alias === idOrAlias,
  );
  if (!found) throw new CollectionNotFound(idOrAlias);
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

/** Only the publishing organisation reads a status (checklist S-03); to anyone else it does not exist. */
export async function statusFor(context: TaxiiContext, principal: Principal, root: ApiRootConfig, id: string): Promise<StatusResource> {
  const status = await context.statuses.find(root.path, id);
  if (!status || status.organisation !== principal.organisation) throw new StatusNotFound(id);
  return buildStatus(status);
}
