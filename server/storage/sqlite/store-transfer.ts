import type { Statement } from 'better-sqlite3';
import type { AllianceConfig } from '../../config/types';
import { instantKey } from '../../taxii/timestamps';
import { TRANSFER_KINDS, type StoreTransfer, type TransferCounts, type TransferKind, type TransferRecord, type TransferredVersion } from '../store-transfer';
import type { SqliteDatabase } from './connection';
import {
  AUDIT_COLUMNS,
  CERTIFICATE_COLUMNS,
  ENVELOPE_COLUMNS,
  OBJECT_COLUMNS,
  STATUS_COLUMNS,
  TOKEN_COLUMNS,
  USER_COLUMNS,
  auditFromRow,
  certificateFromRow,
  canonicalDetails,
  envelopeFromRow,
  statusFromRow,
  tokenFromRow,
  userFromRow,
  versionFromRow,
  type AuditRow,
  type CertificateRow,
  type EnvelopeRow,
  type ObjectRow,
  type StatusRow,
  type TokenRow,
  type UserRow,
} from './rows';

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
  certificate: 'client_certificates',
  status: 'statuses',
  object: 'object_versions',
  'ingest-batch': 'ingest_batches',
  'ingest-envelope': 'ingest_envelopes',
  audit: 'audit_log',
};

/**
 * The repository's mapping plus what only the transfer carries: the first/latest flags, and stix
 * given again because the row always holds it (the spread already placed it, so key order stays).
 */
function transferredVersionFromRow(row: ObjectRow): TransferredVersion {
  return { ...versionFromRow(row), stix: row.stix, isFirst: row.is_first !== 0, isLatest: row.is_latest !== 0 };
}

/**
 * Export and import straight on the tables: the repositories' own writes cannot keep a revision
 * number, carry first/latest flags or write a batch of mixed records in one transaction. The rows
 * are read with the repositories' own mappings (rows.ts); the round-trip test in
 * test/storage/transfer.test.ts compares whole records, so a column the inserts here miss fails it.
 */
export class SqliteStoreTransfer implements StoreTransfer {
  private readonly insertObject: Statement;
  private readonly insertStatus: Statement;
  private readonly insertAudit: Statement;
  private readonly insertUser: Statement;
  private readonly insertToken: Statement;
  private readonly insertCertificate: Statement;
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
    this.insertCertificate = db.prepare(`INSERT INTO client_certificates (${CERTIFICATE_COLUMNS}) VALUES (?, ?, ?, ?)`);
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
      for (const row of this.db.prepare<[], UserRow>(`SELECT ${USER_COLUMNS} FROM users ORDER BY username`).iterate()) yield { kind: 'user', record: userFromRow(row) };
      for (const row of this.db.prepare<[], TokenRow>(`SELECT ${TOKEN_COLUMNS} FROM api_tokens ORDER BY token_id`).iterate()) yield { kind: 'token', record: tokenFromRow(row) };
      for (const row of this.db.prepare<[], CertificateRow>(`SELECT ${CERTIFICATE_COLUMNS} FROM client_certificates ORDER BY match, value`).iterate()) {
        yield { kind: 'certificate', record: certificateFromRow(row) };
      }
      // Detail lists with a fixed key order, so both engines export byte-identical lines.
      for (const row of this.db.prepare<[], StatusRow>(`SELECT ${STATUS_COLUMNS} FROM statuses ORDER BY id`).iterate()) {
        yield { kind: 'status', record: statusFromRow(row, canonicalDetails) };
      }
      // The unique all_by_date_added index (collection_id, date_added_us) gives this order with no sort step.
      for (const row of this.db.prepare<[], ObjectRow>(`SELECT ${OBJECT_COLUMNS} FROM object_versions ORDER BY collection_id, date_added_us`).iterate()) {
        yield { kind: 'object', record: transferredVersionFromRow(row) };
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
        yield { kind: 'ingest-envelope', record: envelopeFromRow(envelope) };
      }
      // seq is the order the records were written in.
      for (const row of this.db.prepare<[], AuditRow>(`SELECT ${AUDIT_COLUMNS} FROM audit_log ORDER BY seq`).iterate()) yield { kind: 'audit', record: auditFromRow(row) };
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
      case 'certificate': {
        const certificate = entry.record;
        this.insertCertificate.run(certificate.match, certificate.value, certificate.username, certificate.createdAt.getTime());
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
