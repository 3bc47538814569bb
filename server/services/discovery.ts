import type { Principal } from '../auth/principal';
import type { AllianceConfig, ApiRootConfig } from '../config/types';
import { ApiRootNotFound } from '../errors';
import { visibleApiRoots } from '../policy/visibility';
import { TAXII_MEDIA_TYPE } from '../taxii/media-types';

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
  if (!root) throw new ApiRootNotFound();
  return root;
}

export function describeApiRoot(root: ApiRootConfig): Record<string, unknown> {
  const resource: Record<string, unknown> = { title: root.title };
  if (root.description) resource.description = root.description;
  resource.versions = [TAXII_MEDIA_TYPE];
  resource.max_content_length = root.maxContentLength;
  return resource;
}
