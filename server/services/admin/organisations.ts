import type { Organisation } from '../../config/types';
import { defaultScope } from '../../policy/admin-policy';
import { authorize, type AdminDependencies, type AdminRequest } from './admin-dependencies';

/**
 * The organisations declared in the alliance configuration: the partners a collection's grants may
 * name. Every admin sees all of them, as an org-admin must be able to pick a partner it has not
 * granted anything yet; it is part of managing its collections, so it is the `collections.list`
 * action (docs/access-model.md, Roles). A member is refused.
 */
export function listOrganisations(deps: AdminDependencies, request: AdminRequest): Organisation[] {
  authorize(request.actor, 'collections.list', defaultScope(request.actor));
  return deps.live.config.organisations;
}
