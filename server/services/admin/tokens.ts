import { issueToken } from '../../auth/credentials';
import { Conflict, InvalidBody, NotFound } from '../../errors';
import { defaultScope } from '../../policy/admin-policy';
import type { TokenRecord } from '../../storage/credential-repository';
import { authorize, authorizeOrHide, recordAdminAction, type AdminRequest, type AdminDependencies } from './admin-dependencies';

/** A token as administration shows it: never its secret or the secret's hash. */
export type TokenSummary = Omit<TokenRecord, 'secretHash'>;

export interface IssuedToken {
  /** The full `tas_...` token: returned once, stored nowhere. */
  token: string;
  summary: TokenSummary;
}

function summary(token: TokenRecord): TokenSummary {
  return {
    tokenId: token.tokenId,
    username: token.username,
    createdAt: token.createdAt,
    ...(token.expiresAt && { expiresAt: token.expiresAt }),
    ...(token.revokedAt && { revokedAt: token.revokedAt }),
    ...(token.label !== undefined && { label: token.label }),
  };
}

function unknownToken(tokenId: string): NotFound {
  return new NotFound(`No token '${tokenId}' is available to you.`);
}

function unknownUser(username: string): NotFound {
  return new NotFound(`No user '${username}' is available to you.`);
}

export async function listTokens(deps: AdminDependencies, request: AdminRequest, filter: { username?: string; organisation?: string }): Promise<TokenSummary[]> {
  if (filter.username !== undefined) {
    const user = await deps.credentials.findUser(filter.username);
    if (!user) throw unknownUser(filter.username);
    authorizeOrHide(request.actor, 'token.list', { kind: 'user', organisation: user.organisation, role: user.role }, unknownUser(filter.username));
    return (await deps.credentials.listTokens(filter.username)).map(summary);
  }
  const target = filter.organisation === undefined ? defaultScope(request.actor) : { kind: 'organisation' as const, organisation: filter.organisation };
  authorize(request.actor, 'token.list', target);
  const tokens = await deps.credentials.listTokens();
  if (target.kind !== 'organisation') return tokens.map(summary);
  // Users number in the hundreds: one list of names is cheaper than a query per user.
  const members = new Set((await deps.credentials.listUsers(target.organisation)).map((user) => user.username));
  return tokens.filter((token) => members.has(token.username)).map(summary);
}

export interface NewToken {
  username: string;
  expiresAt?: Date | undefined;
  label?: string | undefined;
}

/** `now` is when the token is made; an expiry must lie after it, whether the API or the CLI named it. */
export async function createToken(deps: AdminDependencies, request: AdminRequest, input: NewToken, now: Date = new Date()): Promise<IssuedToken> {
  const { username, expiresAt, label } = input;
  const user = await deps.credentials.findUser(username);
  if (!user) throw unknownUser(username);
  authorizeOrHide(request.actor, 'token.create', { kind: 'user', organisation: user.organisation, role: user.role }, unknownUser(username));
  if (user.disabled) throw new Conflict(`user '${username}' is disabled: enable it before giving it a token`);
  if (expiresAt && expiresAt.getTime() <= now.getTime()) throw new InvalidBody(`expires_at must lie in the future, got ${expiresAt.toISOString()}`);
  const issued = issueToken();
  const record: TokenRecord = {
    tokenId: issued.tokenId,
    username,
    secretHash: issued.secretHash,
    createdAt: now,
    ...(expiresAt && { expiresAt }),
    ...(label !== undefined && { label }),
  };
  await deps.credentials.addToken(record);
  await recordAdminAction(deps, request, 'token.create', {
    tokenId: issued.tokenId,
    user: username,
    userOrganisation: user.organisation,
    ...(expiresAt && { expiresAt: expiresAt.toISOString() }),
    ...(label !== undefined && { label }),
  });
  return { token: issued.token, summary: summary(record) };
}

/** Revoking a revoked token changes nothing and records nothing; the answer says so. */
export async function revokeToken(deps: AdminDependencies, request: AdminRequest, tokenId: string): Promise<{ token: TokenSummary; alreadyRevoked: boolean }> {
  const token = await deps.credentials.findToken(tokenId);
  if (!token) throw unknownToken(tokenId);
  const owner = await deps.credentials.findUser(token.username);
  // A token whose owner is gone can only be cleaned up by the alliance's operators.
  const target = { kind: 'user' as const, organisation: owner?.organisation ?? '', role: owner?.role ?? 'alliance-admin' };
  authorizeOrHide(request.actor, 'token.revoke', target, unknownToken(tokenId));
  if (token.revokedAt) return { token: summary(token), alreadyRevoked: true };
  const at = new Date();
  await deps.credentials.revokeToken(tokenId, at);
  await recordAdminAction(deps, request, 'token.revoke', { tokenId, user: token.username, userOrganisation: target.organisation });
  return { token: summary({ ...token, revokedAt: at }), alreadyRevoked: false };
}
