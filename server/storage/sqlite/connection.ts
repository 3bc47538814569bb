import Database from 'better-sqlite3';

export type SqliteDatabase = Database.Database;

/** How long a statement waits for another connection's write lock (the admin CLI beside a server) before failing. */
const BUSY_TIMEOUT_MS = 10_000;

/**
 * Opens (creating if needed) one SQLite file. WAL lets readers proceed while the one writer
 * commits; `synchronous = FULL` makes a commit durable across power loss, not only across a
 * crash of this process, which is the promise behind acknowledging an object to a publisher.
 */
export function openSqliteFile(path: string): SqliteDatabase {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  // Page reads of a large collection stay in memory between polls: 64 MiB of page cache.
  db.pragma('cache_size = -65536');
  return db;
}
