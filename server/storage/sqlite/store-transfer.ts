import type { Statement } from 'better-sqlite3';
import type { Role } from '../../auth/principal';
import type { AllianceConfig } from '../../config/types';
import { instantKey } from '../../taxii/timestamps';
import type { AuditAction, AuditRecord } from '../audit-log';
import type { TokenRecord } from '../credential-repository';
import type { QueuedEnvelope } from '../ingest-queue';
import type { StatusDetail, StatusValue } from '../repository';
import { TRANSFER_KINDS, type StoreTransfer, type TransferCounts, type TransferKind, type TransferRecord } from '../store-transfer';
import type { SqliteDatabase } from './connection';

interface ObjectRow {
  collection_id: string;
  object_id: string;
  type: string;
  spec_version: string;
  version: string;
  version_key: string;
  date_added_us: number;
  is_first: number;
  is_latest: number;
  published_by_org: string;
  published_by_user: string;
  stix: string;
}

interface StatusRow {
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

interface AuditRow {
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

interface UserRow {
  username: string;
  organisation: string;
  role: string;
  password_hash: string;
  disabled: number;
  created_at_ms: number;
}

interface TokenRow {
  token_id: string;
  username: string;
  secret_hash: string;
  created_at_ms: number;
  expires_at_ms: number | null;
  revoked_at_ms: number | null;
  label: string | null;
}

interface EnvelopeRow {
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

interface ConfigRow {
  revision: number;
  config: string;
  applied_at_ms: number;
  applied_by: string;
}

const TABLES: Record<TransferKind, string> = {
  config: 'alliance_config',
  user: 'users',
  token: 'api_tokens',
  status: 'statuses',
  object: 'object_versions',
  'ingest-batch': 'ingest_batches',
  'ingest-envelope': 'ingest_envelopes',
  audit: 'audit_log',
};

const OBJECT_COLUMNS = 'collection_id, object_id, type, spec_version, version, version_key, date_added_us, is_first, is_latest, published_by_org, published_by_user, stix';
const STATUS_COLUMNS = 'id, api_root, collection_id, organisation, status, request_timestamp, total_count, successes, failures, pendings, pending_count, expires_at_ms';
const AUDIT_COLUMNS = 'at_ms, action, username, organisation, api_root, collection_id, object_ids, request_id, details';
const USER_COLUMNS = 'username, organisation, role, password_hash, disabled, created_at_ms';
const TOKEN_COLUMNS = 'token_id, username, secret_hash, created_at_ms, expires_at_ms, revoked_at_ms, label';
// Not claimed_by / claim_expires_at_ms: a claim belongs to a process of the old store.
const ENVELOPE_COLUMNS = 'id, api_root, collection_id, organisation, username, request_id, received_at_ms, object_count, batch_count';

/** Rebuilt with a fixed key order, so both engines export byte-identical detail lists. */
function details(json: string): StatusDetail[] {
  return (JSON.parse(json) as StatusDetail[]).map((detail) => ({ id: detail.id, version: detail.version, ...(detail.message !== undefined && { message: detail.message }) }));
}

function objectRecord(row: ObjectRow): TransferRecord {
  return {
    kind: 'object',
    record: {
      collectionId: row.collection_id,
      id: row.object_id,
      type: row.type,
      specVersion: row.spec_version,
      version: row.version,
      versionKey: row.version_key,
      dateAdded: row.date_added_us,
      publishedBy: { organisation: row.published_by_org, username: row.published_by_user },
      stix: row.stix,
      isFirst: row.is_first !== 0,
      isLatest: row.is_latest !== 0,
    },
  };
}

function auditRecord(row: AuditRow): TransferRecord {
  // Only the audit log writes this column, always from an AuditAction.
  const record: AuditRecord = { at: new Date(row.at_ms), action: row.action as AuditAction };
  if (row.username !== null) record.username = row.username;
  if (row.organisation !== null) record.organisation = row.organisation;
  if (row.api_root !== null) record.apiRoot = row.api_root;
  if (row.collection_id !== null) record.collectionId = row.collection_id;
  if (row.object_ids !== null) record.objectIds = JSON.parse(row.object_ids) as string[];
  if (row.request_id !== null) record.requestId = row.request_id;
  if (row.details !== null) record.details = JSON.parse(row.details) as Record<string, unknown>;
  return { kind: 'audit', record };
}

function envelopeRecord(row: EnvelopeRow): TransferRecord {
  // Keys in QueuedEnvelope's order, requestId only when set: the line is then the one MongoDB exports.
  const record: QueuedEnvelope = {
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
  return { kind: 'ingest-envelope', record };
}

function tokenRecord(row: TokenRow): TransferRecord {
  const record: TokenRecord = { tokenId: row.token_id, username: row.username, secretHash: row.secret_hash, createdAt: new Date(row.created_at_ms) };
  if (row.expires_at_ms !== null) record.expiresAt = new Date(row.expires_at_ms);
  if (row.revoked_at_ms !== null) record.revokedAt = new Date(row.revoked_at_ms);
  if (row.label !== null) record.label = row.label;
  return { kind: 'token', record };
}

/**
 * Export and import straight on the tables: the repositories' own writes cannot keep a revision
 * number, carry first/latest flags or write a batch of mixed records in one transaction. The row
 * mappings mirror the repositories' (a column added there must be added here; the round-trip test
 * in test/storage/transfer.test.ts compares whole records, so a missed one fails it).
 */
export class SqliteStoreTransfer implements StoreTransfer {
  private readonly insertObject: Statement;
  private readonly insertStatus: Statement;
  private readonly insertAudit: Statement;
  private readonly insertUser: Statement;
  private readonly insertToken: Statement;
  private readonly upsertConfig: Statement;
  private readonly insertEnvelope: Statement;
  private readonly insertBatch: Statement;

  constructor(private readonly db: SqliteDatabase) {
    // Plain INSERTs, no ON CONFLICT: a record already held is an error of the import, never silently kept or replaced.
    this.insertObject = db.prepare(`INSERT INTO object_versions (${OBJECT_COLUMNS}, version_instant) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.insertStatus = db.prepare(`INSERT INTO statuses (${STATUS_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    // seq is left to SQLite: rows numbered in the order written keep the trail's order (ties of at_ms included).
    this.insertAudit = db.prepare(`INSERT INTO audit_log (${AUDIT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.insertUser = db.prepare(`INSERT INTO users (${USER_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)`);
    this.insertToken = db.prepare(`INSERT INTO api_tokens (${TOKEN_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)`);
    // Unclaimed, so the new store's ingest worker takes the envelope up at its first start.
    this.insertEnvelope = db.prepare(`INSERT INTO ingest_envelopes (${ENVELOPE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.insertBatch = db.prepare('INSERT INTO ingest_batches (envelope_id, batch_index, objects) VALUES (?, ?, ?)');
    // The embedded engine keeps only the current configuration; a MongoDB export carries its whole
    // history of revisions, oldest first, and the highest one is what stays.
    this.upsertConfig = db.prepare(`
      INSERT INTO alliance_config (id, revision, config, applied_at_ms, applied_by) VALUES ('current', ?, ?, ?, ?)
      ON CONFLICT (id) DO UPDATE SET revision = excluded.revision, config = excluded.config,
        applied_at_ms = excluded.applied_at_ms, applied_by = excluded.applied_by
      WHERE excluded.revision > alliance_config.revision`);
  }

  private countAll(): TransferCounts {
    const counts = {} as TransferCounts;
    for (const kind of TRANSFER_KINDS) {
      counts[kind] = this.db.prepare<[], { held: number }>(`SELECT COUNT(*) AS held FROM ${TABLES[kind]}`).get()?.held ?? 0;
    }
    return counts;
  }

  async counts(): Promise<TransferCounts> {
    return this.countAll();
  }

  async isEmpty(): Promise<boolean> {
    return TRANSFER_KINDS.every((kind) => this.db.prepare(`SELECT 1 FROM ${TABLES[kind]} LIMIT 1`).get() === undefined);
  }

  /**
   * One read transaction around the whole export: in WAL mode it is a snapshot, so the export is
   * consistent across tables even while a server keeps writing beside it. Each statement steps
   * row by row (`iterate`), so a million objects never sit in memory together.
   */
  async *exportRecords(): AsyncGenerator<TransferRecord> {
    this.db.exec('BEGIN');
    try {
      const config = this.db.prepare<[], ConfigRow>("SELECT revision, config, applied_at_ms, applied_by FROM alliance_config WHERE id = 'current'").get();
      if (config) {
        yield {
          kind: 'config',
          record: { revision: config.revision, config: JSON.parse(config.config) as AllianceConfig, appliedAt: new Date(config.applied_at_ms), appliedBy: config.applied_by },
        };
      }
      for (const row of this.db.prepare<[], UserRow>(`SELECT ${USER_COLUMNS} FROM users ORDER BY username`).iterate()) {
        yield {
          kind: 'user',
          record: {
            username: row.username,
            organisation: row.organisation,
            // Only addUser writes this column, always from a Role.
            role: row.role as Role,
            passwordHash: row.password_hash,
            disabled: row.disabled !== 0,
            createdAt: new Date(row.created_at_ms),
          },
        };
      }
      for (const row of this.db.prepare<[], TokenRow>(`SELECT ${TOKEN_COLUMNS} FROM api_tokens ORDER BY token_id`).iterate()) yield tokenRecord(row);
      for (const row of this.db.prepare<[], StatusRow>(`SELECT ${STATUS_COLUMNS} FROM statuses ORDER BY id`).iterate()) {
        yield {
          kind: 'status',
          record: {
            id: row.id,
            apiRoot: row.api_root,
            collectionId: row.collection_id,
            organisation: row.organisation,
            status: row.status as StatusValue,
            requestTimestamp: row.request_timestamp,
            totalCount: row.total_count,
            successes: details(row.successes),
            failures: details(row.failures),
            pendings: details(row.pendings),
            pendingCount: row.pending_count,
            expiresAt: new Date(row.expires_at_ms),
          },
        };
      }
      // The unique all_by_date_added index (collection_id, date_added_us) gives this order with no sort step.
      for (const row of this.db.prepare<[], ObjectRow>(`SELECT ${OBJECT_COLUMNS} FROM object_versions ORDER BY collection_id, date_added_us`).iterate()) {
        yield objectRecord(row);
      }
      // Few envelopes wait at any time; their metadata is read whole so each one's batches can be
      // read while it is at hand (one statement iterates at a time on a connection).
      const envelopes = this.db.prepare<[], EnvelopeRow>(`SELECT ${ENVELOPE_COLUMNS} FROM ingest_envelopes ORDER BY id`).all();
      const batches = this.db.prepare<[string], { batch_index: number; objects: string }>(
        'SELECT batch_index, objects FROM ingest_batches WHERE envelope_id = ? ORDER BY batch_index',
      );
      for (const envelope of envelopes) {
        for (const batch of batches.iterate(envelope.id)) {
          yield { kind: 'ingest-batch', record: { envelopeId: envelope.id, index: batch.batch_index, objects: batch.objects } };
        }
        yield envelopeRecord(envelope);
      }
      // seq is the order the records were written in.
      for (const row of this.db.prepare<[], AuditRow>(`SELECT ${AUDIT_COLUMNS} FROM audit_log ORDER BY seq`).iterate()) yield auditRecord(row);
    } finally {
      // Also when the consumer stops early: the iterators above are closed by then, so the snapshot can end.
      this.db.exec('COMMIT');
    }
  }

  async importRecords(batch: TransferRecord[]): Promise<void> {
    if (batch.length === 0) return;
    // IMMEDIATE takes the write lock up front, so the batch cannot fail half-way on a busy lock.
    this.db.transaction(() => {
      for (const entry of batch) this.write(entry);
    }).immediate();
  }

  private write(entry: TransferRecord): void {
    switch (entry.kind) {
      case 'config': {
        const { revision, config, appliedAt, appliedBy } = entry.record;
        this.upsertConfig.run(revision, JSON.stringify(config), appliedAt.getTime(), appliedBy);
        return;
      }
      case 'user': {
        const user = entry.record;
        this.insertUser.run(user.username, user.organisation, user.role, user.passwordHash, user.disabled ? 1 : 0, user.createdAt.getTime());
        return;
      }
      case 'token': {
        const token = entry.record;
        this.insertToken.run(
          token.tokenId, token.username, token.secretHash, token.createdAt.getTime(),
          token.expiresAt?.getTime() ?? null, token.revokedAt?.getTime() ?? null, token.label ?? null,
        );
        return;
      }
      case 'status': {
        const status = entry.record;
        this.insertStatus.run(
          status.id, status.apiRoot, status.collectionId, status.organisation, status.status, status.requestTimestamp, status.totalCount,
          JSON.stringify(status.successes), JSON.stringify(status.failures), JSON.stringify(status.pendings), status.pendingCount, status.expiresAt.getTime(),
        );
        return;
      }
      case 'object': {
        const version = entry.record;
        this.insertObject.run(
          version.collectionId, version.id, version.type, version.specVersion, version.version, version.versionKey, version.dateAdded,
          version.isFirst ? 1 : 0, version.isLatest ? 1 : 0, version.publishedBy.organisation, version.publishedBy.username, version.stix,
          // Derived as the object repository derives it, so match[version]=<timestamp> finds imported versions too.
          instantKey(version.version) ?? version.versionKey,
        );
        return;
      }
      case 'ingest-batch': {
        const batch = entry.record;
        this.insertBatch.run(batch.envelopeId, batch.index, batch.objects);
        return;
      }
      case 'ingest-envelope': {
        const envelope = entry.record;
        this.insertEnvelope.run(
          envelope.id, envelope.apiRoot, envelope.collectionId, envelope.organisation, envelope.username, envelope.requestId ?? null,
          envelope.receivedAt.getTime(), envelope.objectCount, envelope.batchCount,
        );
        return;
      }
      case 'audit': {
        const audit = entry.record;
        this.insertAudit.run(
          audit.at.getTime(), audit.action, audit.username ?? null, audit.organisation ?? null, audit.apiRoot ?? null, audit.collectionId ?? null,
          audit.objectIds === undefined ? null : JSON.stringify(audit.objectIds), audit.requestId ?? null,
          audit.details === undefined ? null : JSON.stringify(audit.details),
        );
        return;
      }
    }
  }
}
