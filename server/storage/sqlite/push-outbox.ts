import type { Statement } from 'better-sqlite3';
import type { PushOutbox, PushProgress, PushRefusal, PushState, PushTargetKey } from '../push-outbox';
import type { SqliteDatabase } from './connection';

/** The push cursors and refusals (storage/push-outbox.ts); a migration of schema.ts. */
export const PUSH_OUTBOX_SCHEMA = `
CREATE TABLE IF NOT EXISTS push_state (
  collection_id      TEXT    NOT NULL,
  remote_url         TEXT    NOT NULL,
  cursor_us          INTEGER NOT NULL,
  sent_count         INTEGER NOT NULL,
  refused_count      INTEGER NOT NULL,
  last_success_at_ms INTEGER,
  last_error_at_ms   INTEGER,
  last_error         TEXT,
  consecutive_errors INTEGER NOT NULL,
  PRIMARY KEY (collection_id, remote_url)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS push_refusals (
  collection_id TEXT    NOT NULL,
  remote_url    TEXT    NOT NULL,
  object_id     TEXT    NOT NULL,
  version       TEXT    NOT NULL,
  date_added_us INTEGER NOT NULL,
  reason        TEXT    NOT NULL,
  at_ms         INTEGER NOT NULL,
  PRIMARY KEY (collection_id, remote_url, object_id, version)
) WITHOUT ROWID;
`;

interface StateRow {
  collection_id: string;
  remote_url: string;
  cursor_us: number;
  sent_count: number;
  refused_count: number;
  last_success_at_ms: number | null;
  last_error_at_ms: number | null;
  last_error: string | null;
  consecutive_errors: number;
}

interface RefusalRow {
  object_id: string;
  version: string;
  date_added_us: number;
  reason: string;
  at_ms: number;
}

function stateFromRow(row: StateRow): PushState {
  return {
    collectionId: row.collection_id,
    remoteUrl: row.remote_url,
    cursor: row.cursor_us,
    sentCount: row.sent_count,
    refusedCount: row.refused_count,
    ...(row.last_success_at_ms !== null && { lastSuccessAt: new Date(row.last_success_at_ms) }),
    ...(row.last_error_at_ms !== null && { lastErrorAt: new Date(row.last_error_at_ms) }),
    ...(row.last_error !== null && { lastError: row.last_error }),
    consecutiveErrors: row.consecutive_errors,
  };
}

const ENSURE = 'INSERT INTO push_state (collection_id, remote_url, cursor_us, sent_count, refused_count, consecutive_errors) VALUES (?, ?, 0, 0, 0, 0) ON CONFLICT DO NOTHING';

/**
 * One server owns a SQLite data directory (server-lock.ts), so it is the only pusher there is:
 * `claim` always succeeds. An advance is one transaction: cursor, counters and refusals together.
 */
export class SqlitePushOutbox implements PushOutbox {
  private readonly ensure: Statement<[string, string]>;
  private readonly byKey: Statement<[string, string], StateRow>;
  private readonly all: Statement<[], StateRow>;
  private readonly move: Statement<[number, number, number, number, string, string]>;
  private readonly fail: Statement<[number, string, string, string]>;
  private readonly refuse: Statement<[string, string, string, string, number, string, number]>;
  private readonly refusalsOf: Statement<[string, string, number], RefusalRow>;

  constructor(private readonly db: SqliteDatabase) {
    this.ensure = db.prepare(ENSURE);
    this.byKey = db.prepare('SELECT * FROM push_state WHERE collection_id = ? AND remote_url = ?');
    this.all = db.prepare('SELECT * FROM push_state ORDER BY collection_id, remote_url');
    this.move = db.prepare(`UPDATE push_state SET cursor_us = MAX(cursor_us, ?), sent_count = sent_count + ?, refused_count = refused_count + ?,
      last_success_at_ms = ?, consecutive_errors = 0 WHERE collection_id = ? AND remote_url = ?`);
    this.fail = db.prepare(`UPDATE push_state SET last_error_at_ms = ?, last_error = ?, consecutive_errors = consecutive_errors + 1
      WHERE collection_id = ? AND remote_url = ?`);
    // A refusal recorded before a crash and found again on the re-send is counted once.
    this.refuse = db.prepare(`INSERT INTO push_refusals (collection_id, remote_url, object_id, version, date_added_us, reason, at_ms)
      VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`);
    this.refusalsOf = db.prepare('SELECT * FROM push_refusals WHERE collection_id = ? AND remote_url = ? ORDER BY date_added_us DESC, object_id LIMIT ?');
  }

  async state(key: PushTargetKey): Promise<PushState | undefined> {
    const row = this.byKey.get(key.collectionId, key.remoteUrl);
    return row ? stateFromRow(row) : undefined;
  }

  async list(): Promise<PushState[]> {
    return this.all.all().map(stateFromRow);
  }

  async advance(key: PushTargetKey, progress: PushProgress): Promise<void> {
    this.db.transaction(() => {
      this.ensure.run(key.collectionId, key.remoteUrl);
      let refused = 0;
      for (const refusal of progress.refusals) {
        refused += this.refuse.run(key.collectionId, key.remoteUrl, refusal.id, refusal.version, refusal.dateAdded, refusal.reason, refusal.at.getTime()).changes;
      }
      this.move.run(progress.cursor, progress.sent, refused, progress.at.getTime(), key.collectionId, key.remoteUrl);
    }).immediate();
  }

  async recordError(key: PushTargetKey, message: string, at: Date): Promise<void> {
    this.db.transaction(() => {
      this.ensure.run(key.collectionId, key.remoteUrl);
      this.fail.run(at.getTime(), message, key.collectionId, key.remoteUrl);
    }).immediate();
  }

  async refusals(key: PushTargetKey, limit: number): Promise<PushRefusal[]> {
    return this.refusalsOf.all(key.collectionId, key.remoteUrl, limit).map((row) => ({
      id: row.object_id,
      version: row.version,
      dateAdded: row.date_added_us,
      reason: row.reason,
      at: new Date(row.at_ms),
    }));
  }

  async claim(): Promise<boolean> {
    return true;
  }

  async release(): Promise<void> {
    // Nothing held: see claim.
  }
}
