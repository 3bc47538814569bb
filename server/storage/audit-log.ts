/** The append-only audit trail (who may read it: docs/access-model.md, Roles): every write, delete, read, push to a remote, credential and configuration change, and authentication failure. */
export const AUDIT_ACTIONS = [
  // auth.lockout: a username or client address locked after repeated failed logins (docs/security.md §7);
  // auth.unlock: an operator's request to lift a lock, applied by every server process (server/auth/unlock-requests.ts).
  'objects.add', 'objects.read', 'object.delete', 'auth.failure', 'auth.lockout', 'auth.unlock', 'user.add', 'user.disable', 'user.enable',
  'user.password', 'token.create', 'token.revoke', 'config.apply',
  // feed.poll: one page of an upstream feed stored; feed.error: a feed started failing (docs/federation.md).
  'feed.poll', 'feed.error',
  // objects.push: versions forwarded to a remote collection by the downstream push (docs/federation.md).
  'objects.push',
] as const;

/** One list, so the admin API's filter, the CLI's `--action` and the store import's check cannot drift apart. */
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditRecord {
  at: Date;
  action: AuditAction;
  /** Who acted; absent for an authentication failure with no username. */
  username?: string;
  organisation?: string;
  apiRoot?: string;
  collectionId?: string;
  /** For writes and deletes: the STIX ids concerned. */
  objectIds?: string[];
  requestId?: string;
  /** Action-specific facts: filters and count for reads, counts for writes, the diff for a config change. */
  details?: Record<string, unknown>;
}

export interface AuditQuery {
  /** Records of actions by this organisation, or on collections it owns (resolved by the caller into collectionIds). */
  organisation?: string;
  collectionIds?: string[];
  actions?: AuditAction[];
  since?: Date;
  until?: Date;
  limit: number;
}

export interface AuditLog {
  record(entry: AuditRecord): Promise<void>;
  /** Several records in one write, in order. */
  recordBatch(entries: AuditRecord[]): Promise<void>;
  /** Newest first, at most `limit`. */
  query(query: AuditQuery): Promise<AuditRecord[]>;
}
