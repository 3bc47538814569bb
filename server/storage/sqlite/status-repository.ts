import type { Statement } from 'better-sqlite3';
import type { StatusRecord, StatusRepository } from '../repository';
import type { SqliteDatabase } from './connection';
import { statusFromRow, type StatusRow } from './rows';

type StatusValues = [string, string, string, string, string, string, number, string, string, string, number, number];

/** Status resources of TAXII 2.1 §4.3, one row each; a save replaces the whole row, as the Mongo replaceOne does. */
export class SqliteStatusRepository implements StatusRepository {
  private readonly upsert: Statement<StatusValues>;
  private readonly byId: Statement<[string, string, number], StatusRow>;
  private readonly deleteExpired: Statement<[number]>;

  constructor(private readonly db: SqliteDatabase) {
    this.upsert = db.prepare(`
      INSERT INTO statuses (id, api_root, collection_id, organisation, status, request_timestamp, total_count,
        successes, failures, pendings, pending_count, expires_at_ms)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (id) DO UPDATE SET
        api_root = excluded.api_root, collection_id = excluded.collection_id, organisation = excluded.organisation,
        status = excluded.status, request_timestamp = excluded.request_timestamp, total_count = excluded.total_count,
        successes = excluded.successes, failures = excluded.failures, pendings = excluded.pendings, pending_count = excluded.pending_count,
        expires_at_ms = excluded.expires_at_ms`);
    // An expired status stays hidden even before the periodic prune removes it (same rule as the Mongo find).
    this.byId = db.prepare('SELECT * FROM statuses WHERE id = ? AND api_root = ? AND expires_at_ms >= ?');
    this.deleteExpired = db.prepare('DELETE FROM statuses WHERE expires_at_ms < ?');
  }

  async save(status: StatusRecord): Promise<void> {
    this.upsert.run(
      status.id, status.apiRoot, status.collectionId, status.organisation, status.status, status.requestTimestamp, status.totalCount,
      JSON.stringify(status.successes), JSON.stringify(status.failures), JSON.stringify(status.pendings), status.pendingCount, status.expiresAt.getTime(),
    );
  }

  async find(apiRoot: string, id: string): Promise<StatusRecord | undefined> {
    const row = this.byId.get(id, apiRoot, Date.now());
    return row && statusFromRow(row);
  }

  /** Removes statuses past their retention; run at start-up and periodically. */
  async pruneExpired(now: Date = new Date()): Promise<number> {
    return this.deleteExpired.run(now.getTime()).changes;
  }
}
