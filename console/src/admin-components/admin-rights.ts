import type { SessionInfo } from '../api';
import type { AdminCollection, AdminUser, Role } from './admin-api';

/**
 * What the console offers, mirroring the role rules of server/policy/admin-policy.ts so that it does not
 * show a button the server would refuse. The server still decides every request.
 */
type Actor = Pick<SessionInfo, 'organisation' | 'role'>;

export const isAllianceAdmin = (actor: Actor): boolean => actor.role === 'alliance-admin';

/** An org-admin manages its own organisation's accounts, never an alliance-admin's. */
export function mayManageUser(actor: Actor, user: Pick<AdminUser, 'organisation' | 'role'>): boolean {
  if (isAllianceAdmin(actor)) return true;
  return actor.role === 'org-admin' && user.organisation === actor.organisation && user.role !== 'alliance-admin';
}

/** The roles a new account may get from this actor. */
export function assignableRoles(actor: Actor): Role[] {
  if (isAllianceAdmin(actor)) return ['member', 'org-admin', 'alliance-admin'];
  return actor.role === 'org-admin' ? ['member', 'org-admin'] : [];
}

/** The organisations a new account may belong to; an org-admin adds users to its own only. */
export function organisationsForNewUsers(actor: Actor, declared: readonly string[]): string[] {
  return isAllianceAdmin(actor) ? [...declared] : [actor.organisation];
}

/** An org-admin's usernames are `<name>@<its organisation>` (docs/security.md §5). */
export function usernameHint(actor: Actor): string {
  return isAllianceAdmin(actor) ? 'name@organisation' : `name@${actor.organisation}`;
}

export function mayChangeGrants(actor: Actor, collection: Pick<AdminCollection, 'owner'>): boolean {
  return isAllianceAdmin(actor) || (actor.role === 'org-admin' && collection.owner === actor.organisation);
}

/** Only an alliance-admin may read another organisation's trail. */
export const mayChooseAuditOrganisation = isAllianceAdmin;
