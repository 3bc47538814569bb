import { hashPassword, newUserRecord } from '../../auth/credentials';
import type { Role } from '../../auth/principal';
import { AdminForbidden, Conflict, NotFound, UnprocessableEntity } from '../../errors';
import { decideAdmin, decideUsername, defaultScope, organisationNamedBy, usernameUnavailable, type AdminActor } from '../../policy/admin-policy';
import { DuplicateUser, type UserRecord } from '../../storage/credential-repository';
import { authorize, authorizeOrHide, recordAdminAction, type AdminRequest, type AdminDependencies } from './admin-dependencies';
import type { NewPassword, NewUsername } from './input-fields';

/** A user as administration shows it: everything but the password hash. */
export type UserSummary = Omit<UserRecord, 'passwordHash'>;

/** Name and password carry the brands of their checks (./input-fields.ts): only a parsed input is accepted. */
export interface NewUser {
  username: NewUsername;
  organisation: string;
  role: Role;
  password: NewPassword;
}

function summary(user: UserRecord): UserSummary {
  return { username: user.username, organisation: user.organisation, role: user.role, disabled: user.disabled, createdAt: user.createdAt };
}

function unknownUser(username: string): NotFound {
  return new NotFound(`No user '${username}' is available to you.`);
}

/** The user, if the actor may act on it; an org-admin gets the same 404 for another organisation's user as for none. */
async function targetUser(deps: AdminDependencies, request: AdminRequest, action: 'user.disable' | 'user.enable' | 'user.password', username: string): Promise<UserRecord> {
  const user = await deps.credentials.findUser(username);
  if (!user) throw unknownUser(username);
  authorizeOrHide(request.actor, action, { kind: 'user', organisation: user.organisation, role: user.role }, unknownUser(username));
  return user;
}

export async function listUsers(deps: AdminDependencies, request: AdminRequest, organisation?: string): Promise<UserSummary[]> {
  const target = organisation === undefined ? defaultScope(request.actor) : { kind: 'organisation' as const, organisation };
  authorize(request.actor, 'user.list', target);
  const users = await deps.credentials.listUsers(target.kind === 'organisation' ? target.organisation : undefined);
  return users.map(summary);
}

/**
 * One user, as `listUsers` shows it. A member is refused before the lookup, so the answer never
 * tells it whether the name exists; an org-admin gets the same 404 for another organisation's user
 * as for none. Reading one user is part of listing them, so it is decided as `user.list`.
 */
export async function showUser(deps: AdminDependencies, request: AdminRequest, input: { username: string }): Promise<UserSummary> {
  const { actor } = request;
  authorize(actor, 'user.list', defaultScope(actor));
  const user = await deps.credentials.findUser(input.username);
  if (!user || !decideAdmin(actor, 'user.list', { kind: 'organisation', organisation: user.organisation }).allow) throw unknownUser(input.username);
  return summary(user);
}

/**
 * A name already taken. An alliance-admin sees every user, so it gets a plain 409; so does an
 * org-admin for a user of its own organisation, which it can list anyway. A name held by another
 * organisation (only possible for accounts made before the namespace rule) gets the org-admin the
 * same refusal as a name outside its namespace (docs/security.md §5).
 */
async function duplicateAnswer(deps: AdminDependencies, actor: AdminActor, username: string): Promise<Error> {
  if (actor.role === 'alliance-admin') return new Conflict(`user '${username}' already exists`);
  const holder = await deps.credentials.findUser(username);
  if (holder?.organisation === actor.organisation) return new Conflict(`user '${username}' already exists`);
  return new AdminForbidden(usernameUnavailable(actor, username));
}

export async function addUser(deps: AdminDependencies, request: AdminRequest, user: NewUser): Promise<UserSummary> {
  const { actor } = request;
  authorize(actor, 'user.add', { kind: 'user', organisation: user.organisation, role: user.role });
  const naming = decideUsername(actor, user.username);
  if (!naming.allow) throw new AdminForbidden(naming.reason);
  const organisations = deps.live.config.organisations.map((org) => org.id);
  if (!organisations.includes(user.organisation)) {
    throw new UnprocessableEntity(`organisation '${user.organisation}' is not declared in the alliance configuration`);
  }
  // Keeps each organisation's part of the namespace its own, so an org-admin never meets another's user there.
  const named = organisationNamedBy(user.username, organisations);
  if (named !== undefined && named !== user.organisation) {
    throw new UnprocessableEntity(`the username '${user.username}' names organisation ${named}; a user of ${user.organisation} cannot have it`);
  }
  const record: UserRecord = await newUserRecord(user);
  try {
    await deps.credentials.addUser(record);
  } catch (error) {
    if (error instanceof DuplicateUser) throw await duplicateAnswer(deps, actor, user.username);
    throw error;
  }
  await recordAdminAction(deps, request, 'user.add', { user: user.username, userOrganisation: user.organisation, role: user.role });
  return summary(record);
}

/** Disabling stops the user's password and tokens at once (the authenticator reads the flag on every request). */
export async function setUserDisabled(deps: AdminDependencies, request: AdminRequest, username: string, disabled: boolean): Promise<UserSummary> {
  const action = disabled ? 'user.disable' : 'user.enable';
  const user = await targetUser(deps, request, action, username);
  if (!(await deps.credentials.setDisabled(username, disabled))) throw unknownUser(username);
  await recordAdminAction(deps, request, action, { user: username, userOrganisation: user.organisation });
  return summary({ ...user, disabled });
}

export async function setUserPassword(deps: AdminDependencies, request: AdminRequest, input: { username: string; password: NewPassword }): Promise<void> {
  const { username, password } = input;
  const user = await targetUser(deps, request, 'user.password', username);
  if (!(await deps.credentials.setPassword(username, await hashPassword(password)))) throw unknownUser(username);
  await recordAdminAction(deps, request, 'user.password', { user: username, userOrganisation: user.organisation });
}
