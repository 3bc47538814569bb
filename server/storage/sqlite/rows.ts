import type { Role } from '../../auth/principal';
import type { AuditAction, AuditRecord } from '../audit-log';
import type { CertificateMatch, ClientCertificateRecord, TokenRecord, UserRecord } from '../credential-repository';
import type { QueuedEnvelope } from '../ingest-queue';
import type { StatusDetail, StatusRecord, StatusValue, StoredVersion } from '../repository';

/*
 * The rows of the SQLite tables and their conversion to records, in one place: the repositories
 * and the store transfer read the same tables, and a column added to one reader but not the other
 * would make an export lose it without any error.
 */

/** A row of object_versions as the object repository reads it; stix only when the page asked for content. */
export interface VersionRow {
  collection_id: string;
  object_id: string;
  type: string;
  spec_version: string;
  version: string;
  version_key: string;
  date_added_us: number;
  published_by_org: string;
  published_by_user: string;
  stix?: string;
}

/** A whole row of object_versions, as the store transfer reads it: content and the first/latest flags too. */
export interface ObjectRow extends VersionRow {
  is_first: number;
  is_latest: number;
  stix: string;
}

export interface StatusRow {
  id: string;
  api_root: string;
  collection_id: string;
  organisation: string;
  status: string;
  request_timestamp: string;
  total_count: number;
  successes: string;
  failures: string;
  pendings: string;
  pending_count: number;
  expires_at_ms: number;
}

export interface AuditRow {
  at_ms: number;
  action: string;
  username: string | null;
  organisation: string | null;
  api_root: string | null;
  collection_id: string | null;
  object_ids: string | null;
  request_id: string | null;
  details: string | null;
}

export interface UserRow {
  username: string;
  organisation: string;
  role: string;
  password_hash: string;
  disabled: number;
  created_at_ms: number;
}

export interface TokenRow {
  token_id: string;
  username: string;
  secret_hash: string;
  created_at_ms: number;
  expires_at_ms: number | null;
  revoked_at_ms: number | null;
  label: string | null;
}

export interface EnvelopeRow {
  id: string;
  api_root: string;
  collection_id: string;
  organisation: string;
  username: string;
  request_id: string | null;
  received_at_ms: number;
  object_count: number;
  batch_count: number;
}

/*
 * Column lists in the order the INSERT statements bind their values, so they must not be reordered.
 * OBJECT_COLUMNS has the flags in the middle (the transfer's insert binds them there) while
 * VERSION_METADATA_COLUMNS leaves them out: pages never need them.
 */
export const VERSION_METADATA_COLUMNS = 'collection_id, object_id, type, spec_version, version, version_key, date_added_us, published_by_org, published_by_user';
export const OBJECT_COLUMNS = 'collection_id, object_id, type, spec_version, version, version_key, date_added_us, is_first, is_latest, published_by_org, published_by_user, stix';
export const STATUS_COLUMNS = 'id, api_root, collection_id, organisation, status, request_timestamp, total_count, successes, failures, pendings, pending_count, expires_at_ms';
export const AUDIT_COLUMNS = 'at_ms, action, username, organisation, api_root, collection_id, object_ids, request_id, details';
export const USER_COLUMNS = 'username, organisation, role, password_hash, disabled, created_at_ms';
export const CERTIFICATE_COLUMNS = 'match, value, username, created_at_ms';
export const TOKEN_COLUMNS = 'token_id, username, secret_hash, created_at_ms, expires_at_ms, revoked_at_ms, label';
// Not claimed_by / claim_expires_at_ms: a claim belongs to the process holding it, not to the envelope's record.
export const ENVELOPE_COLUMNS = 'id, api_root, collection_id, organisation, username, request_id, received_at_ms, object_count, batch_count';

export function versionFromRow(row: VersionRow): StoredVersion {
  const record: StoredVersion = {
    collectionId: row.collection_id,
    id: row.object_id,
    type: row.type,
    specVersion: row.spec_version,
    version: row.version,
    versionKey: row.version_key,
    dateAdded: row.date_added_us,
    publishedBy: { organisation: row.published_by_org, username: row.published_by_user },
  };
  if (row.stix !== undefined) record.stix = row.stix;
  return record;
}

/** The detail lists as stored: the repositories' own JSON, so a round trip keeps absent messages absent. */
export function parseDetails(json: string): StatusDetail[] {
  return JSON.parse(json) as StatusDetail[];
}

/**
 * The detail lists rebuilt with a fixed key order (id, version, message), so both engines export
 * byte-identical lines whatever order a writer once stored the keys in.
 */
export function canonicalDetails(json: string): StatusDetail[] {
  return parseDetails(json).map((detail) => ({ id: detail.id, version: detail.version, ...(detail.message !== undefined && { message: detail.message }) }));
}

/** readDetails chooses between the stored lists (the repository) and canonicalDetails (the transfer's export). */
export function statusFromRow(row: StatusRow, readDetails: (json: string) => StatusDetail[] = parseDetails): StatusRecord {
  return {
    id: row.id,
    apiRoot: row.api_root,
    collectionId: row.collection_id,
    organisation: row.organisation,
    // Only the status repository's save() and the transfer's import write this column, always from a StatusValue.
    status: row.status as StatusValue,
    requestTimestamp: row.request_timestamp,
    totalCount: row.total_count,
    successes: readDetails(row.successes),
    failures: readDetails(row.failures),
    pendings: readDetails(row.pendings),
    pendingCount: row.pending_count,
    expiresAt: new Date(row.expires_at_ms),
  };
}

export function auditFromRow(row: AuditRow): AuditRecord {
  // Only the action's own type is ever written to this column.
  const record: AuditRecord = { at: new Date(row.at_ms), action: row.action as AuditAction };
  // NULL stands for "not set": the field is left out, so a record read equals the record written.
  if (row.username !== null) record.username = row.username;
  if (row.organisation !== null) record.organisation = row.organisation;
  if (row.api_root !== null) record.apiRoot = row.api_root;
  if (row.collection_id !== null) record.collectionId = row.collection_id;
  if (row.object_ids !== null) record.objectIds = JSON.parse(row.object_ids) as string[];
  if (row.request_id !== null) record.requestId = row.request_id;
  if (row.details !== null) record.details = JSON.parse(row.details) as Record<string, unknown>;
  return record;
}

export function userFromRow(row: UserRow): UserRecord {
  return {
    username: row.username,
    organisation: row.organisation,
    // Only addUser and the transfer's import write this column, always from a Role.
    role: row.role as Role,
    passwordHash: row.password_hash,
    disabled: row.disabled !== 0,
    createdAt: new Date(row.created_at_ms),
  };
}

export function tokenFromRow(row: TokenRow): TokenRecord {
  const token: TokenRecord = { tokenId: row.token_id, username: row.username, secretHash: row.secret_hash, createdAt: new Date(row.created_at_ms) };
  // Optional fields come back only when present, so a record read equals the record written.
  if (row.expires_at_ms !== null) token.expiresAt = new Date(row.expires_at_ms);
  if (row.revoked_at_ms !== null) token.revokedAt = new Date(row.revoked_at_ms);
  if (row.label !== null) token.label = row.label;
  return token;
}

export interface CertificateRow {
  match: string;
  value: string;
  username: string;
  created_at_ms: number;
}

export function certificateFromRow(row: CertificateRow): ClientCertificateRecord {
  // Only addClientCertificate and the transfer's import write this column, always from a CertificateMatch.
  return { match: row.match as CertificateMatch, value: row.value, username: row.username, createdAt: new Date(row.created_at_ms) };
}

export function envelopeFromRow(row: EnvelopeRow): QueuedEnvelope {
  // Keys in QueuedEnvelope's order, requestId only when set: an exported line is then the one MongoDB exports.
  return {
    id: row.id,
    apiRoot: row.api_root,
    collectionId: row.collection_id,
    organisation: row.organisation,
    username: row.username,
    ...(row.request_id !== null && { requestId: row.request_id }),
    receivedAt: new Date(row.received_at_ms),
    objectCount: row.object_count,
    batchCount: row.batch_count,
  };
}
