import type { AuditAction, AuditRecord } from '../storage/audit-log';
import type { Principal } from '../auth/principal';
import type { CollectionRequest } from './context';

/**
 * Every audit record the server writes is built here, so who acted, where and with which request id
 * is filled in the same way for a TAXII request, an admin action and a failed authentication
 * (docs/access-model.md says who may read them).
 */

/** An action of a TAXII request on one collection: reads, writes and deletes of objects. */
export function collectionActionRecord(
  request: CollectionRequest,
  action: AuditAction,
  facts: { objectIds?: string[]; details: Record<string, unknown> },
  at: Date = new Date(),
): AuditRecord {
  const credential = credentialOf(request.principal);
  return {
    at,
    action,
    username: request.principal.username,
    organisation: request.principal.organisation,
    apiRoot: request.root.path,
    collectionId: request.collection.id,
    ...(facts.objectIds !== undefined && { objectIds: facts.objectIds }),
    requestId: request.requestId,
    details: { ...facts.details, ...(credential !== undefined && { credential }) },
  };
}

/** Who performed an admin action, and through which door: the HTTP API, the CLI or the server itself. */
export interface AdminActionSource {
  actor: { username: string; organisation: string };
  via: string;
  requestId?: string;
}

/** A change made through the admin use cases; `details` never carry a password or a token secret. */
export function adminActionRecord(source: AdminActionSource, action: AuditAction, details: Record<string, unknown>, at: Date = new Date()): AuditRecord {
  return {
    at,
    action,
    username: source.actor.username,
    organisation: source.actor.organisation,
    ...(source.requestId !== undefined && { requestId: source.requestId }),
    details: { via: source.via, ...details },
  };
}

/** What is known of a refused request: `username` is absent when none was given, `certificate` names a client certificate by fingerprint. */
export interface AuthenticationFailureFacts {
  username?: string;
  reason: string;
  ip?: string;
  certificate?: string;
}

/** A request whose credentials did not hold. */
export function authenticationFailureRecord(failure: AuthenticationFailureFacts, at: Date = new Date()): AuditRecord {
  const { username, reason, ip, certificate } = failure;
  return { at, action: 'auth.failure', username, details: { reason, ...(ip !== undefined && { ip }), ...(certificate !== undefined && { certificate }) } };
}

/**
 * The credential a request used when it is not a password, for the audit trail: an API token by
 * id, a client certificate by SHA-256 fingerprint; never a secret.
 */
export function credentialOf(principal: Principal): Record<string, string> | undefined {
  const by = principal.authenticatedBy;
  if (by.method === 'token') return { token: by.tokenId };
  if (by.method === 'certificate') return { certificate: by.fingerprint };
  return undefined;
}

/** The lock's key is in `details`, not `username`: a locked username need not exist, and an address lock has none. */
export function lockoutRecord(lockout: { kind: string; key: string; until: Date; failures: number }, at: Date = new Date()): AuditRecord {
  return { at, action: 'auth.lockout', details: { kind: lockout.kind, key: lockout.key, until: lockout.until.toISOString(), failures: lockout.failures } };
}
