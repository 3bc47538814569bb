import type { AuditAction, AuditRecord } from '../storage/audit-log';
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
  return {
    at,
    action,
    username: request.principal.username,
    organisation: request.principal.organisation,
    apiRoot: request.root.path,
    collectionId: request.collection.id,
    ...(facts.objectIds !== undefined && { objectIds: facts.objectIds }),
    requestId: request.requestId,
    details: facts.details,
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

/** A request whose credentials did not hold; `username` is absent when none was given. */
export function authenticationFailureRecord(username: string | undefined, reason: string, ip?: string, at: Date = new Date()): AuditRecord {
  return { at, action: 'auth.failure', username, details: { reason, ...(ip !== undefined && { ip }) } };
}

/** The lock's key is in `details`, not `username`: a locked username need not exist, and an address lock has none. */
export function lockoutRecord(lockout: { kind: string; key: string; until: Date; failures: number }, at: Date = new Date()): AuditRecord {
  return { at, action: 'auth.lockout', details: { kind: lockout.kind, key: lockout.key, until: lockout.until.toISOString(), failures: lockout.failures } };
}
