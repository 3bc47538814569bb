import type { SqliteDatabase } from './connection';
import { PUSH_OUTBOX_SCHEMA } from './push-outbox';

/**
 * The embedded engine's tables and indexes, all in one place. Every object query of TAXII 2.1
 * starts with `collection_id`, so each index leads with it: a partner's poll reads only its own
 * collection's range of the index and never another partner's rows (docs/performance.md shows
 * the plans).
 */
const SCHEMA_V1 = `
CREATE TABLE IF NOT EXISTS object_versions (
  seq               INTEGER PRIMARY KEY,
  collection_id     TEXT    NOT NULL,
  object_id         TEXT    NOT NULL,
  type              TEXT    NOT NULL,
  spec_version      TEXT    NOT NULL,
  version           TEXT    NOT NULL,
  version_key       TEXT    NOT NULL,
  version_instant   TEXT    NOT NULL,
  date_added_us     INTEGER NOT NULL,
  is_first          INTEGER NOT NULL,
  is_latest         INTEGER NOT NULL,
  published_by_org  TEXT    NOT NULL,
  published_by_user TEXT    NOT NULL,
  stix              TEXT    NOT NULL
);
-- One copy per version: the duplicate rule of TAXII 2.1 §5.5 rests on this; also serves match[id] and one object's versions.
CREATE UNIQUE INDEX IF NOT EXISTS version_identity ON object_versions (collection_id, object_id, version_key);
-- match[version]=all, the versions endpoint, added_after polls and the keyset after a cursor.
-- Unique: the write turn hands out each date_added once per collection, so (collection, date_added)
-- alone orders every listing totally and a page needs no sort step; a violation fails loudly.
CREATE UNIQUE INDEX IF NOT EXISTS all_by_date_added ON object_versions (collection_id, date_added_us);
-- The default listing: latest versions only, in date_added order.
CREATE INDEX IF NOT EXISTS latest_by_date_added ON object_versions (collection_id, date_added_us) WHERE is_latest = 1;
-- match[type] polls of the latest versions, the most common filter of SOC tools.
CREATE INDEX IF NOT EXISTS type_latest_by_date_added ON object_versions (collection_id, type, date_added_us) WHERE is_latest = 1;
-- Provenance: what did organisation X publish between T1 and T2.
CREATE INDEX IF NOT EXISTS published_by_org ON object_versions (published_by_org, date_added_us);

CREATE TABLE IF NOT EXISTS statuses (
  id                TEXT    PRIMARY KEY,
  api_root          TEXT    NOT NULL,
  collection_id     TEXT    NOT NULL,
  organisation      TEXT    NOT NULL,
  status            TEXT    NOT NULL,
  request_timestamp TEXT    NOT NULL,
  total_count       INTEGER NOT NULL,
  successes         TEXT    NOT NULL,
  failures          TEXT    NOT NULL,
  pendings          TEXT    NOT NULL,
  expires_at_ms     INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS status_expiry ON statuses (expires_at_ms);

CREATE TABLE IF NOT EXISTS audit_log (
  seq           INTEGER PRIMARY KEY,
  at_ms         INTEGER NOT NULL,
  action        TEXT    NOT NULL,
  username      TEXT,
  organisation  TEXT,
  api_root      TEXT,
  collection_id TEXT,
  object_ids    TEXT,
  request_id    TEXT,
  details       TEXT
);
CREATE INDEX IF NOT EXISTS audit_by_organisation ON audit_log (organisation, at_ms);
CREATE INDEX IF NOT EXISTS audit_by_collection ON audit_log (collection_id, at_ms);
CREATE INDEX IF NOT EXISTS audit_by_time ON audit_log (at_ms);

CREATE TABLE IF NOT EXISTS users (
  username      TEXT    PRIMARY KEY,
  organisation  TEXT    NOT NULL,
  role          TEXT    NOT NULL,
  password_hash TEXT    NOT NULL,
  disabled      INTEGER NOT NULL,
  created_at_ms INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS users_by_organisation ON users (organisation, username);

CREATE TABLE IF NOT EXISTS api_tokens (
  token_id      TEXT    PRIMARY KEY,
  username      TEXT    NOT NULL,
  secret_hash   TEXT    NOT NULL,
  created_at_ms INTEGER NOT NULL,
  expires_at_ms INTEGER,
  revoked_at_ms INTEGER,
  label         TEXT
);
CREATE INDEX IF NOT EXISTS tokens_by_username ON api_tokens (username, created_at_ms);

CREATE TABLE IF NOT EXISTS alliance_config (
  id            TEXT    PRIMARY KEY,
  revision      INTEGER NOT NULL,
  config        TEXT    NOT NULL,
  applied_at_ms INTEGER NOT NULL,
  applied_by    TEXT    NOT NULL
);
`;

/** Envelopes accepted and not yet processed (storage/ingest-queue.ts), with their objects in batches. */
const SCHEMA_V2 = `
CREATE TABLE IF NOT EXISTS ingest_envelopes (
  id                  TEXT    PRIMARY KEY,
  api_root            TEXT    NOT NULL,
  collection_id       TEXT    NOT NULL,
  organisation        TEXT    NOT NULL,
  username            TEXT    NOT NULL,
  request_id          TEXT,
  received_at_ms      INTEGER NOT NULL,
  object_count        INTEGER NOT NULL,
  batch_count         INTEGER NOT NULL,
  claimed_by          TEXT,
  claim_expires_at_ms INTEGER
);
CREATE INDEX IF NOT EXISTS ingest_envelopes_by_arrival ON ingest_envelopes (received_at_ms);
CREATE TABLE IF NOT EXISTS ingest_batches (
  envelope_id TEXT    NOT NULL,
  batch_index INTEGER NOT NULL,
  objects     TEXT    NOT NULL,
  PRIMARY KEY (envelope_id, batch_index)
) WITHOUT ROWID;
`;

/** A status counts its pending objects, and lists only the first of them. */
const SCHEMA_V3 = `
ALTER TABLE statuses ADD COLUMN pending_count INTEGER NOT NULL DEFAULT 0;
`;

/** Upstream feeds (docs/federation.md): where each resumes, how it went, and who polls it. */
const SCHEMA_V4 = `
CREATE TABLE IF NOT EXISTS feed_state (
  feed_id              TEXT    PRIMARY KEY,
  collection_id        TEXT    NOT NULL,
  cursor               TEXT,
  last_poll_at_ms      INTEGER,
  last_success_at_ms   INTEGER,
  last_error_at_ms     INTEGER,
  last_error           TEXT,
  consecutive_failures INTEGER NOT NULL,
  objects_mirrored     INTEGER NOT NULL,
  objects_duplicate    INTEGER NOT NULL,
  objects_rejected     INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS feed_leases (
  feed_id       TEXT    PRIMARY KEY,
  holder        TEXT    NOT NULL,
  expires_at_ms INTEGER NOT NULL
);
`;

/**
 * Schema versions in order; `PRAGMA user_version` records how many have been applied. A new
 * migration is appended as the next entry. V5 is the downstream push's tables (push-outbox.ts).
 */
const MIGRATIONS: readonly string[] = [SCHEMA_V1, SCHEMA_V2, SCHEMA_V3, SCHEMA_V4, PUSH_OUTBOX_SCHEMA];

/** Brings the file's schema up to date; idempotent, and a no-op on an up-to-date file. */
export function migrateSchema(db: SqliteDatabase): void {
  const applied = Number(db.pragma('user_version', { simple: true }));
  if (applied > MIGRATIONS.length) {
    throw new Error(`the database file has schema version ${applied}, newer than this server's ${MIGRATIONS.length}; upgrade the server`);
  }
  db.transaction(() => {
    for (const [index, migration] of MIGRATIONS.entries()) {
      if (index < applied) continue;
      db.exec(migration);
    }
    db.pragma(`user_version = ${MIGRATIONS.length}`);
  }).immediate();
}
