import type { Collection, Db, Filter } from 'mongodb';
import type { AuditLog, AuditQuery, AuditRecord } from '../audit-log';
import { DURABLE_WRITE } from './connect';

export const AUDIT_COLLECTION = 'audit_log';
const READ_RECORD_WRITE = { w: 1 } as const;

/** Insert-only: nothing in the server updates or deletes an audit record. */
export class MongoAuditLog implements AuditLog {
  private readonly records: Collection<AuditRecord>;

  constructor(db: Db) {
    this.records = db.collection<AuditRecord>(AUDIT_COLLECTION);
  }

  async record(entry: AuditRecord): Promise<void> {
    // Read records come with every page a poller fetches; waiting for a journalled majority there
    // would put a disk flush on every read, so they are acknowledged by the primary only.
    const writeConcern = entry.action === 'objects.read' ? READ_RECORD_WRITE : DURABLE_WRITE;
    // A copy: insertOne adds _id to the object it is given.
    await this.records.insertOne({ ...entry }, { writeConcern });
  }

  async recordBatch(entries: AuditRecord[]): Promise<void> {
    if (entries.length === 0) return;
    const durable = entries.some((entry) => entry.action !== 'objects.read');
    // Copies: insertMany adds _id to the objects it is given. Ordered, so the trail keeps its order.
    await this.records.insertMany(entries.map((entry) => ({ ...entry })), { ordered: true, writeConcern: durable ? DURABLE_WRITE : READ_RECORD_WRITE });
  }

  async query(query: AuditQuery): Promise<AuditRecord[]> {
    const clauses: Filter<AuditRecord>[] = [];
    const scope: Filter<AuditRecord>[] = [];
    if (query.organisation !== undefined) scope.push({ organisation: query.organisation });
    if (query.collectionIds && query.collectionIds.length > 0) scope.push({ collectionId: { $in: query.collectionIds } });
    if (scope.length > 0) clauses.push({ $or: scope });
    if (query.actions && query.actions.length > 0) clauses.push({ action: { $in: query.actions } });
    if (query.since) clauses.push({ at: { $gte: query.since } });
    if (query.until) clauses.push({ at: { $lte: query.until } });
    const filter: Filter<AuditRecord> = clauses.length > 0 ? { $and: clauses } : {};
    return this.records.find(filter, { projection: { _id: 0 } }).sort({ at: -1, _id: -1 }).limit(query.limit).toArray();
  }
}
