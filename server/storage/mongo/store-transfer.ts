import { ObjectId, type Collection, type Db, type Document } from 'mongodb';
import type { Role } from '../../auth/principal';
import type { AllianceConfig } from '../../config/types';
import type { AuditAction, AuditRecord } from '../audit-log';
import type { ClientCertificateRecord, TokenRecord, UserRecord } from '../credential-repository';
import type { QueuedEnvelope } from '../ingest-queue';
import type { StatusDetail, StatusRecord, StatusValue } from '../repository';
import { TRANSFER_KINDS, type StoreTransfer, type TransferCounts, type TransferKind, type TransferRecord } from '../store-transfer';
import { ALLIANCE_CONFIG_COLLECTION } from './alliance-config-store';
import { AUDIT_COLLECTION } from './audit-log';
import { fromDocument } from './object-documents';
import { DURABLE_WRITE } from './connect';
import { CERTIFICATES_COLLECTION, TOKENS_COLLECTION, USERS_COLLECTION } from './credential-repository';
import { toDocument, type ObjectVersionDocument } from './object-documents';
import { OBJECTS_COLLECTION } from './object-repository';
import { STATUS_COLLECTION } from './status-repository';

const COLLECTIONS: Record<TransferKind, string> = {
  config: ALLIANCE_CONFIG_COLLECTION,
  user: USERS_COLLECTION,
  token: TOKENS_COLLECTION,
  certificate: CERTIFICATES_COLLECTION,
  status: STATUS_COLLECTION,
  object: OBJECTS_COLLECTION,
  // The names MongoIngestQueue uses; its claims (ingest_claims) belong to processes of the old store and stay behind.
  'ingest-batch': 'ingest_batches',
  'ingest-envelope': 'ingest_envelopes',
  audit: AUDIT_COLLECTION,
};

/** Documents fetched per round trip: bounds memory (objects are about 1 KB) while keeping round trips few. */
const CURSOR_BATCH = 1_000;

interface ConfigDocument {
  _id: number;
  config: AllianceConfig;
  appliedAt: Date;
  appliedBy: string;
}

type StatusDocument = Omit<StatusRecord, 'id'> & { _id: string };
type EnvelopeDocument = Omit<QueuedEnvelope, 'id'> & { _id: string };
/** _id is `<envelope id>:<index>`, as MongoIngestQueue writes it. */
interface BatchDocument {
  _id: string;
  envelopeId: string;
  index: number;
  objects: string;
}
type AuditDocument = AuditRecord & { _id: ObjectId };

/** Rebuilt with a fixed key order, so both engines export byte-identical detail lists. */
function details(list: StatusDetail[]): StatusDetail[] {
  return list.map((detail) => ({ id: detail.id, version: detail.version, ...(detail.message !== undefined && { message: detail.message }) }));
}

/** Optional fields stored only when present, as the repositories store them (and `ignoreUndefined` would anyway). */
function present<T extends object>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as T;
}

/**
 * _ids for imported audit records that sort in the order the records arrive. The audit trail is
 * exported in _id order; driver-made ObjectIds only increase within one second until their 3-byte
 * counter wraps, which a million-record import would hit now and then. These are 4 bytes of the
 * import's start time and an 8-byte sequence, so they keep arrival order exactly, and records a
 * server writes after the import (later seconds) sort after them.
 */
class SequentialIds {
  private readonly prefix = Math.floor(Date.now() / 1000);
  private next = 0n;

  take(): ObjectId {
    const bytes = Buffer.alloc(12);
    bytes.writeUInt32BE(this.prefix, 0);
    bytes.writeBigUInt64BE(this.next, 4);
    this.next += 1n;
    return new ObjectId(bytes);
  }
}

/**
 * Export and import straight on the collections: the repositories' own writes cannot keep a
 * revision number or carry first/latest flags, and go one record at a time where an import wants
 * one bulk insert per kind and batch. Object documents go through object-documents.ts, the shape
 * the object repository itself writes.
 */
export class MongoStoreTransfer implements StoreTransfer {
  private readonly ids = new SequentialIds();

  constructor(private readonly db: Db) {}

  private collection<T extends Document>(kind: TransferKind): Collection<T> {
    return this.db.collection<T>(COLLECTIONS[kind]);
  }

  /** From collection metadata on MongoDB, not a scan: the header's counts are for the progress bar, the end line's are exact. */
  async counts(): Promise<TransferCounts> {
    const counts = {} as TransferCounts;
    for (const kind of TRANSFER_KINDS) counts[kind] = await this.collection(kind).estimatedDocumentCount();
    return counts;
  }

  async isEmpty(): Promise<boolean> {
    for (const kind of TRANSFER_KINDS) {
      if ((await this.collection(kind).findOne({}, { projection: { _id: 1 } })) !== null) return false;
    }
    return true;
  }

  /**
   * Cursors fetch CURSOR_BATCH documents at a time, so memory stays flat. Every sort is an index's
   * own order on MongoDB (_id, the unique username and token id, all_by_date_added), so none needs
   * an in-memory sort. There is no snapshot across collections: stop the servers for an export
   * that must be consistent.
   */
  async *exportRecords(): AsyncGenerator<TransferRecord> {
    // Every revision, oldest first: the history travels to another MongoDB; SQLite keeps the newest.
    for await (const document of this.collection<ConfigDocument>('config').find({}, { sort: { _id: 1 }, batchSize: CURSOR_BATCH })) {
      yield { kind: 'config', record: { revision: document._id, config: document.config, appliedAt: document.appliedAt, appliedBy: document.appliedBy } };
    }
    for await (const user of this.collection<UserRecord>('user').find({}, { sort: { username: 1 }, batchSize: CURSOR_BATCH })) {
      yield {
        kind: 'user',
        record: {
          username: user.username,
          organisation: user.organisation,
          role: user.role satisfies Role,
          passwordHash: user.passwordHash,
          disabled: user.disabled,
          createdAt: user.createdAt,
        },
      };
    }
    for await (const token of this.collection<TokenRecord>('token').find({}, { sort: { tokenId: 1 }, batchSize: CURSOR_BATCH })) {
      yield {
        kind: 'token',
        record: present({
          tokenId: token.tokenId,
          username: token.username,
          secretHash: token.secretHash,
          createdAt: token.createdAt,
          expiresAt: token.expiresAt ?? undefined,
          revokedAt: token.revokedAt ?? undefined,
          label: token.label ?? undefined,
        }),
      };
    }
    // The unique match_value index gives this order.
    for await (const certificate of this.collection<ClientCertificateRecord>('certificate').find({}, { sort: { match: 1, value: 1 }, batchSize: CURSOR_BATCH })) {
      yield { kind: 'certificate', record: { match: certificate.match, value: certificate.value, username: certificate.username, createdAt: certificate.createdAt } };
    }
    for await (const status of this.collection<StatusDocument>('status').find({}, { sort: { _id: 1 }, batchSize: CURSOR_BATCH })) {
      yield {
        kind: 'status',
        record: {
          id: status._id,
          apiRoot: status.apiRoot,
          collectionId: status.collectionId,
          organisation: status.organisation,
          status: status.status satisfies StatusValue,
          requestTimestamp: status.requestTimestamp,
          totalCount: status.totalCount,
          successes: details(status.successes),
          failures: details(status.failures),
          pendings: details(status.pendings),
          pendingCount: status.pendingCount ?? status.pendings.length,
          expiresAt: status.expiresAt,
        },
      };
    }
    const objects = this.collection<ObjectVersionDocument>('object').find(
      {},
      // all_by_date_added's key, in full: the same order as the SQLite export, from the index.
      { sort: { collection_id: 1, date_added_us: 1, object_id: 1, version_key: 1 }, projection: { _id: 0, version_instant: 0 }, batchSize: CURSOR_BATCH },
    );
    for await (const document of objects) {
      yield {
        kind: 'object',
        // The repository's own mapping, plus the flags; key order matches the SQLite export's.
        record: { ...fromDocument(document), stix: document.stix, isFirst: document.is_first, isLatest: document.is_latest },
      };
    }
    // Each envelope after its batches, fetched by _id one at a time: index order without a sort of
    // large documents, and batches left by an enqueue that never wrote its envelope stay behind.
    const batches = this.collection<BatchDocument>('ingest-batch');
    for await (const envelope of this.collection<EnvelopeDocument>('ingest-envelope').find({}, { sort: { _id: 1 }, batchSize: CURSOR_BATCH })) {
      for (let index = 0; index < envelope.batchCount; index += 1) {
        const batch = await batches.findOne({ _id: `${envelope._id}:${index}` });
        if (!batch) throw new Error(`queued envelope ${envelope._id} lacks its batch ${index} of ${envelope.batchCount}`);
        yield { kind: 'ingest-batch', record: { envelopeId: envelope._id, index, objects: batch.objects } };
      }
      yield {
        kind: 'ingest-envelope',
        record: present({
          id: envelope._id,
          apiRoot: envelope.apiRoot,
          collectionId: envelope.collectionId,
          organisation: envelope.organisation,
          username: envelope.username,
          requestId: envelope.requestId ?? undefined,
          receivedAt: envelope.receivedAt,
          objectCount: envelope.objectCount,
          batchCount: envelope.batchCount,
        }),
      };
    }
    // _id order is write order for records from one process (the audit buffer writes them in
    // order, ordered inserts keep it); records of several servers interleave by the second.
    for await (const audit of this.collection<AuditDocument>('audit').find({}, { sort: { _id: 1 }, batchSize: CURSOR_BATCH })) {
      yield {
        kind: 'audit',
        record: present({
          at: audit.at,
          action: audit.action satisfies AuditAction,
          username: audit.username ?? undefined,
          organisation: audit.organisation ?? undefined,
          apiRoot: audit.apiRoot ?? undefined,
          collectionId: audit.collectionId ?? undefined,
          objectIds: audit.objectIds ?? undefined,
          requestId: audit.requestId ?? undefined,
          details: audit.details ?? undefined,
        }),
      };
    }
  }

  /** One ordered insertMany per kind present in the batch, in TRANSFER_KINDS order; a duplicate key stops it with an error. */
  async importRecords(batch: TransferRecord[]): Promise<void> {
    const byKind = new Map<TransferKind, Document[]>();
    for (const entry of batch) {
      const documents = byKind.get(entry.kind) ?? [];
      documents.push(this.toDocument(entry));
      byKind.set(entry.kind, documents);
    }
    for (const kind of TRANSFER_KINDS) {
      const documents = byKind.get(kind);
      if (documents) await this.collection(kind).insertMany(documents, { ordered: true, writeConcern: DURABLE_WRITE });
    }
  }

  private toDocument(entry: TransferRecord): Document {
    switch (entry.kind) {
      case 'config': {
        const { revision, config, appliedAt, appliedBy } = entry.record;
        // _id is the revision, as MongoAllianceConfigStore.replace writes it.
        return { _id: revision, config, appliedAt, appliedBy } satisfies ConfigDocument;
      }
      case 'user':
        return { ...entry.record };
      case 'token':
        return present({ ...entry.record });
      case 'certificate':
        return { ...entry.record };
      case 'status': {
        const { id, ...rest } = entry.record;
        return { _id: id, ...rest } satisfies StatusDocument;
      }
      case 'object': {
        const { isFirst, isLatest, ...version } = entry.record;
        return toDocument(version, { isFirst, isLatest });
      }
      case 'ingest-batch': {
        const { envelopeId, index, objects } = entry.record;
        return { _id: `${envelopeId}:${index}`, envelopeId, index, objects } satisfies BatchDocument;
      }
      case 'ingest-envelope': {
        const { id, ...rest } = entry.record;
        return { _id: id, ...present(rest) } satisfies EnvelopeDocument;
      }
      case 'audit':
        return { _id: this.ids.take(), ...present(entry.record) } satisfies AuditDocument;
    }
  }
}
