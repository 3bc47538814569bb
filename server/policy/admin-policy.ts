import type { Principal } from '../auth/principal';

/**
 * Who may administer what (docs/access-model.md, Roles). Pure: every admin endpoint and CLI command asks
 * `decideAdmin` before it reads or changes anything, so the rules live in this one table.
 */
export type AdminAction =
  | 'user.list'
  | 'user.add'
  | 'user.disable'
  | 'user.enable'
  | 'user.password'
  | 'token.list'
  | 'token.create'
  | 'token.revoke'
  | 'audit.read'
  | 'provenance.read'
  | 'publications.read'
  | 'collections.list'
  | 'grant.change'
  | 'config.apply'
  | 'feeds.read';

/**
 * What an action is about. `user` carries the role the account has (or would get), so an
 * org-admin cannot create, take over or lock out an alliance-admin of its own organisation.
 */
export type AdminTarget =
  | { kind: 'organisation'; organisation: string }
  | { kind: 'user'; organisation: string; role: Principal['role'] }
  | { kind: 'collection'; owner: string }
  | { kind: 'alliance' };

export type AdminDecision = { allow: true } | { allow: false; reason: string };

/** The CLI and the server's own start-up act without a login; they need only these fields. */
export type AdminActor = Pick<Principal, 'username' | 'organisation' | 'role'>;

/** Organisation id of actors that are the operators of the server itself; reserved, so no partner can have it. */
export const OPERATOR_ORGANISATION = 'alliance';

/** Which targets make sense for each action; anything else is a programming error and is denied. */
const TARGETS: Record<AdminAction, readonly AdminTarget['kind'][]> = {
  'user.list': ['organisation', 'alliance'],
  'user.add': ['user'],
  'user.disable': ['user'],
  'user.enable': ['user'],
  'user.password': ['user'],
  'token.list': ['organisation', 'user', 'alliance'],
  'token.create': ['user'],
  'token.revoke': ['user'],
  'audit.read': ['organisation', 'collection', 'alliance'],
  'provenance.read': ['collection'],
  'publications.read': ['organisation', 'alliance'],
  'collections.list': ['organisation', 'alliance'],
  'grant.change': ['collection'],
  'config.apply': ['alliance'],
  'feeds.read': ['organisation', 'alliance'],
};

const ALLOW: AdminDecision = { allow: true };

function deny(reason: string): AdminDecision {
  return { allow: false, reason };
}

/** The org-admin rule: its own organisation's people, tokens, trail and collections, nothing alliance-wide. */
function decideForOrgAdmin(actor: AdminActor, action: AdminAction, target: AdminTarget): AdminDecision {
  const own = actor.organisation;
  switch (target.kind) {
    case 'alliance':
      return deny(`${action} across the whole alliance needs the alliance-admin role`);
    case 'organisation':
      return target.organisation === own ? ALLOW : deny(`an org-admin of ${own} may not ${action} for organisation ${target.organisation}`);
    case 'user':
      if (target.organisation !== own) return deny(`an org-admin of ${own} may not ${action} for a user of organisation ${target.organisation}`);
      // Otherwise an org-admin could mint itself a superior account or lock out the alliance's operators.
      if (target.role === 'alliance-admin') return deny(`an org-admin may not ${action} for an alliance-admin account`);
      return ALLOW;
    case 'collection':
      return target.owner === own ? ALLOW : deny(`an org-admin of ${own} may not ${action} on a collection owned by ${target.owner}`);
  }
}

export function decideAdmin(actor: AdminActor, action: AdminAction, target: AdminTarget): AdminDecision {
  if (!TARGETS[action].includes(target.kind)) return deny(`${action} does not apply to a ${target.kind}`);
  switch (actor.role) {
    case 'alliance-admin':
      return ALLOW;
    case 'org-admin':
      return decideForOrgAdmin(actor, action, target);
    case 'member':
      return deny('the member role has no administration rights');
  }
}

/** Actions that have an organisation scope default to the caller's own organisation unless it may see the whole alliance. */
export function defaultScope(actor: AdminActor): AdminTarget {
  return actor.role === 'alliance-admin' ? { kind: 'alliance' } : { kind: 'organisation', organisation: actor.organisation };
}

/**
 * The organisation a username names by its `@<organisation>` suffix (`analyst@de-bka`), if that is a
 * declared organisation. Usernames are one namespace across the alliance; this suffix splits it so
 * that each organisation's part holds only its own users (docs/security.md §5).
 */
export function organisationNamedBy(username: string, organisations: readonly string[]): string | undefined {
  const at = username.lastIndexOf('@');
  if (at < 0) return undefined;
  const suffix = username.slice(at + 1).toLowerCase();
  return organisations.find((organisation) => organisation === suffix);
}

/**
 * Whether an org-admin may give a new user this name: only `<name>@<its own organisation>`. Decided
 * from the name alone, never from whether it is taken, so the answer cannot tell an org-admin which
 * names other organisations hold (docs/security.md §5). Alliance-admins name users freely.
 */
export function decideUsername(actor: AdminActor, username: string): AdminDecision {
  if (actor.role !== 'org-admin') return ALLOW;
  return username.endsWith(`@${actor.organisation}`) && username.length > actor.organisation.length + 1
    ? ALLOW
    : deny(usernameUnavailable(actor, username));
}

/** The one refusal an org-admin gets for a name outside its namespace and for one held elsewhere. */
export function usernameUnavailable(actor: AdminActor, username: string): string {
  return `the username '${username}' is not available to an org-admin of ${actor.organisation}; org-admins add usernames of the form <name>@${actor.organisation}`;
}
