/** The append-only audit trail (issue 5): every write, delete, read, push to a remote, credential and configuration change, and authentication failure. */
export type AuditAction =
  | 'objects.add'
  | 'objects.read'
  | 'object.delete'
  | 'auth.failure'
  | 'user.add'
  | 'user.disable'
  | 'user.enable'
  | 'user.password'
  | 'token.create'
  | 'token.revoke'
  | 'config.apply'
  /** Versions forwarded to a remote collection by the downstream push (docs/federation.md). */
  | 'objects.push';

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
