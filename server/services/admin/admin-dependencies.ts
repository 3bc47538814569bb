import type { Principal } from '../../auth/principal';
import type { AllianceConfig } from '../../config/types';
import { AdminForbidden, NotFound } from '../../errors';
import { decideAdmin, type AdminAction, type AdminActor, type AdminTarget } from '../../policy/admin-policy';
import type { AllianceConfigStore } from '../../storage/alliance-config-store';
import type { AuditAction, AuditLog } from '../../storage/audit-log';
import type { CredentialRepository } from '../../storage/credential-repository';
import type { FeedStateRepository } from '../../storage/feed-state';
import type { ProvenanceRepository } from '../../storage/provenance-repository';
import { adminActionRecord } from '../audit-records';
import type { KeyedLock } from '../keyed-lock';

/** What the administration use cases work with (repositories, the live configuration, its directory and lock); built by bootstrap.ts for the server and the CLI alike. */
export interface AdminDependencies {
  /**
   * Holder of the effective configuration. The server passes its TaxiiContext itself, so an
   * apply that reassigns `live.config` is what the very next TAXII request reads.
   */
  live: { config: AllianceConfig };
  audit: AuditLog;
  credentials: CredentialRepository;
  provenance: ProvenanceRepository;
  configStore: AllianceConfigStore;
  /** Upstream feeds' state (docs/federation.md), shown by `feeds`. */
  feedStates: FeedStateRepository;
  /** collections/ (or CONFIG_DIR): grant changes edit these files, so files and database never disagree. */
  configDir: string;
  /** Serialises applies within one process; the store's revision check covers other processes. */
  configLock: KeyedLock;
}

/** Who asks, and how: `api` requests carry the request id the audit record will name. */
export interface AdminRequest {
  actor: AdminActor;
  via: 'api' | 'cli' | 'server';
  requestId?: string;
}

export const DEFAULT_ADMIN_LIMIT = 1000;
export const MAX_ADMIN_LIMIT = 10_000;

/** Throws unless the admin policy allows; the reason goes back to the caller. */
export function authorize(actor: AdminActor, action: AdminAction, target: AdminTarget): void {
  const decision = decideAdmin(actor, action, target);
  if (!decision.allow) throw new AdminForbidden(decision.reason);
}

/**
 * As `authorize`, but an org-admin asking about another organisation's user or token learns
 * nothing, not even that it exists: the answer is the same 404 as for an unknown name.
 */
export function authorizeOrHide(actor: AdminActor, action: AdminAction, target: AdminTarget & { kind: 'user' }, notFound: NotFound): void {
  const decision = decideAdmin(actor, action, target);
  if (decision.allow) return;
  if (actor.role === 'org-admin' && target.organisation !== actor.organisation) throw notFound;
  throw new AdminForbidden(decision.reason);
}

/** Exactly one record per change, naming the actor; details never carry a password or a token secret. */
export async function recordAdminAction(
  deps: Pick<AdminDependencies, 'audit'>,
  request: AdminRequest,
  action: AuditAction,
  details: Record<string, unknown>,
): Promise<void> {
  await deps.audit.record(adminActionRecord(request, action, details));
}

export function actorOf(principal: Principal): AdminActor {
  return { username: principal.username, organisation: principal.organisation, role: principal.role };
}
