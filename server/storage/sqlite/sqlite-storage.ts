import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { KeyedLock } from '../../services/keyed-lock';
import { DateAddedClock } from '../../taxii/timestamps';
import { BufferedAuditLog } from '../audit-buffer';
import type { CollectionWriteTurns, DateAddedSource, Storage } from '../storage';
import { SqliteAllianceConfigStore } from './alliance-config-store';
import { SqliteAuditLog } from './audit-log';
import { openSqliteFile, type SqliteDatabase } from './connection';
import { SqliteCredentialRepository } from './credential-repository';
import { SqliteFeedStateRepository } from './feed-state';
import { SqliteIngestQueue } from './ingest-queue';
import { SqliteObjectRepository } from './object-repository';
import { SqliteProvenanceRepository } from './provenance-repository';
import { SqlitePushOutbox } from './push-outbox';
import { migrateSchema } from './schema';
import { claimDataDirectory } from './server-lock';
import { SqliteStatusRepository } from './status-repository';
import { SqliteStoreTransfer } from './store-transfer';

export const DATABASE_FILE = 'taxii.sqlite';

/**
 * One process writes objects (server-lock.ts), so a per-collection in-process lock and one clock
 * started past the newest stored date_added make commit order equal date_added order.
 */
class InProcessWriteTurns implements CollectionWriteTurns {
  private readonly lock = new KeyedLock();

  constructor(private readonly clock: DateAddedClock) {}

  run<T>(collectionId: string, task: (dateAdded: DateAddedSource) => Promise<T>): Promise<T> {
    return this.lock.run(collectionId, () => task(this.clock));
  }
}

export interface SqliteStorageOptions {
  /** The folder holding the database file, or a file path ending in `.sqlite`. */
  path: string;
  /**
   * `server`: this process serves TAXII and writes objects, so it claims the data directory and a
   * second server is refused. `tool`: the admin CLI beside a running server, which writes only
   * users, tokens, configuration and audit records (SQLite's own locking keeps those safe).
   */
  role: 'server' | 'tool';
}

export function openSqliteStorage(options: SqliteStorageOptions): Storage {
  const isFile = options.path.endsWith('.sqlite');
  const dataDir = isFile ? join(options.path, '..') : options.path;
  mkdirSync(dataDir, { recursive: true });
  const release = options.role === 'server' ? claimDataDirectory(dataDir) : () => undefined;
  let db: SqliteDatabase;
  try {
    db = openSqliteFile(isFile ? options.path : join(dataDir, DATABASE_FILE));
    migrateSchema(db);
    // Having claimed the data directory, this is the only server: a claim on a queued envelope
    // can only be left by one that died, so its envelopes are resumed now rather than after the lease.
    if (options.role === 'server') {
      db.prepare('UPDATE ingest_envelopes SET claimed_by = NULL, claim_expires_at_ms = NULL').run();
      db.prepare('DELETE FROM feed_leases').run();
    }
  } catch (error) {
    release();
    throw error;
  }
  const objects = new SqliteObjectRepository(db);
  const clock = new DateAddedClock();
  const audit = new BufferedAuditLog(new SqliteAuditLog(db));
  return {
    engine: 'sqlite',
    objects,
    statuses: new SqliteStatusRepository(db),
    audit,
    credentials: new SqliteCredentialRepository(db),
    provenance: new SqliteProvenanceRepository(db),
    configStore: new SqliteAllianceConfigStore(db),
    writeTurns: new InProcessWriteTurns(clock),
    transfer: new SqliteStoreTransfer(db),
    ingestQueue: new SqliteIngestQueue(db),
    feedStates: new SqliteFeedStateRepository(db),
    pushOutbox: new SqlitePushOutbox(db),
    async prepare() {
      migrateSchema(db);
      // A clock set back (or a restart on another host) must not hand out a date_added below one
      // already stored: pollers holding an added_after or a cursor past it would never see it.
      clock.advancePast(db.prepare<[], { newest: number | null }>('SELECT MAX(date_added_us) AS newest FROM object_versions').get()?.newest ?? 0);
    },
    async ping() {
      db.prepare('SELECT 1').get();
    },
    async close() {
      try {
        if (db.open) await audit.flush();
        if (db.open) db.close();
      } finally {
        release();
      }
    },
  };
}
