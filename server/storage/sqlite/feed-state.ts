import type { Statement } from 'better-sqlite3';
import type { FeedState, FeedStateRepository } from '../feed-state';
import type { SqliteDatabase } from './connection';

interface FeedStateRow {
  feed_id: string;
  collection_id: string;
  cursor: string | null;
  last_poll_at_ms: number | null;
  last_success_at_ms: number | null;
  last_error_at_ms: number | null;
  last_error: string | null;
  consecutive_failures: number;
  objects_mirrored: number;
  objects_duplicate: number;
  objects_rejected: number;
}

const COLUMNS = `feed_id, collection_id, cursor, last_poll_at_ms, last_success_at_ms, last_error_at_ms, last_error,
  consecutive_failures, objects_mirrored, objects_duplicate, objects_rejected`;

const at = (ms: number | null): Date | undefined => (ms === null ? undefined : new Date(ms));

function fromRow(row: FeedStateRow): FeedState {
  const lastPollAt = at(row.last_poll_at_ms);
  const lastSuccessAt = at(row.last_success_at_ms);
  return {
    feedId: row.feed_id,
    collectionId: row.collection_id,
    ...(row.cursor !== null && { cursor: row.cursor }),
    ...(lastPollAt && { lastPollAt }),
    ...(lastSuccessAt && { lastSuccessAt }),
    ...(row.last_error !== null && row.last_error_at_ms !== null && { lastError: { at: new Date(row.last_error_at_ms), message: row.last_error } }),
    consecutiveFailures: row.consecutive_failures,
    objectsMirrored: row.objects_mirrored,
    objectsDuplicate: row.objects_duplicate,
    objectsRejected: row.objects_rejected,
  };
}

/**
 * The embedded engine serves one server process per data directory (server-lock.ts), so the lease
 * only ever has one contender; it is kept in the table anyway, so both engines answer alike.
 */
export class SqliteFeedStateRepository implements FeedStateRepository {
  private readonly findOne: Statement<[string], FeedStateRow>;
  private readonly findAll: Statement<[], FeedStateRow>;
  private readonly upsert: Statement<unknown[]>;
  private readonly take: Statement<[string, string, number, number, string]>;
  private readonly extend: Statement<[number, string, string]>;
  private readonly free: Statement<[string, string]>;

  constructor(db: SqliteDatabase) {
    this.findOne = db.prepare(`SELECT ${COLUMNS} FROM feed_state WHERE feed_id = ?`);
    this.findAll = db.prepare(`SELECT ${COLUMNS} FROM feed_state ORDER BY feed_id`);
    this.upsert = db.prepare(`INSERT INTO feed_state (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (feed_id) DO UPDATE SET collection_id = excluded.collection_id, cursor = excluded.cursor,
      last_poll_at_ms = excluded.last_poll_at_ms, last_success_at_ms = excluded.last_success_at_ms,
      last_error_at_ms = excluded.last_error_at_ms, last_error = excluded.last_error,
      consecutive_failures = excluded.consecutive_failures, objects_mirrored = excluded.objects_mirrored,
      objects_duplicate = excluded.objects_duplicate, objects_rejected = excluded.objects_rejected`);
    // One statement: reading the holder and taking the lease cannot be split by another writer.
    this.take = db.prepare(`INSERT INTO feed_leases (feed_id, holder, expires_at_ms) VALUES (?, ?, ?)
      ON CONFLICT (feed_id) DO UPDATE SET holder = excluded.holder, expires_at_ms = excluded.expires_at_ms
      WHERE feed_leases.expires_at_ms < ? OR feed_leases.holder = ?`);
    this.extend = db.prepare('UPDATE feed_leases SET expires_at_ms = ? WHERE feed_id = ? AND holder = ?');
    this.free = db.prepare('DELETE FROM feed_leases WHERE feed_id = ? AND holder = ?');
  }

  async find(feedId: string): Promise<FeedState | undefined> {
    const row = this.findOne.get(feedId);
    return row ? fromRow(row) : undefined;
  }

  async list(): Promise<FeedState[]> {
    return this.findAll.all().map(fromRow);
  }

  async save(state: FeedState): Promise<void> {
    this.upsert.run(
      state.feedId, state.collectionId, state.cursor ?? null, state.lastPollAt?.getTime() ?? null, state.lastSuccessAt?.getTime() ?? null,
      state.lastError?.at.getTime() ?? null, state.lastError?.message ?? null, state.consecutiveFailures,
      state.objectsMirrored, state.objectsDuplicate, state.objectsRejected,
    );
  }

  async claim(feedId: string, holder: string, leaseMs: number): Promise<boolean> {
    const now = Date.now();
    return this.take.run(feedId, holder, now + leaseMs, now, holder).changes === 1;
  }

  async renew(feedId: string, holder: string, leaseMs: number): Promise<boolean> {
    return this.extend.run(Date.now() + leaseMs, feedId, holder).changes === 1;
  }

  async release(feedId: string, holder: string): Promise<void> {
    this.free.run(feedId, holder);
  }
}
