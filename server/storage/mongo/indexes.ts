import type { Db, IndexDescription } from 'mongodb';
import { AUDIT_COLLECTION } from './audit-log';
import { TOKENS_COLLECTION, USERS_COLLECTION } from './credential-repository';
import { OBJECTS_COLLECTION } from './object-repository';
import { PUSH_REFUSALS_COLLECTION } from './push-outbox';
import { STATUS_COLLECTION } from './status-repository';

/**
 * Every index of the MongoDB engine, one list per collection, all created by `ensureIndexes` (the
 * SQLite engine's counterpart is the DDL in sqlite/schema.ts). Indexes are designed for real
 * MongoDB; FerretDB accepts them (the unique ones are enforced) but plans most filters as scans.
 * createIndexes is idempotent, so this runs at every start.
 */
const INDEXES_BY_COLLECTION: Readonly<Record<string, readonly IndexDescription[]>> = {
  [OBJECTS_COLLECTION]: [
    // One copy per version: the duplicate rule of TAXII 2.1 §5.5 rests on this.
    { key: { collection_id: 1, object_id: 1, version_key: 1 }, name: 'version_identity', unique: true },
    // The default listing: latest versions in date_added order (keyset pagination).
    { key: { collection_id: 1, is_latest: 1, date_added_us: 1, object_id: 1, version_key: 1 }, name: 'latest_by_date_added' },
    // match[version]=all, versions endpoint and added_after polls.
    { key: { collection_id: 1, date_added_us: 1, object_id: 1, version_key: 1 }, name: 'all_by_date_added' },
    // match[type] polls, the most common filter of SOC tools.
    { key: { collection_id: 1, type: 1, is_latest: 1, date_added_us: 1, object_id: 1, version_key: 1 }, name: 'type_latest_by_date_added_v2' },
    // Provenance questions: what did organisation X publish between T1 and T2.
    { key: { published_by_org: 1, date_added_us: 1 }, name: 'published_by_org' },
  ],
  // Not a TTL index: FerretDB does not implement them, so expired statuses are pruned by the server (status-repository.ts).
  [STATUS_COLLECTION]: [{ key: { expiresAt: 1 }, name: 'status_expiry' }],
  [USERS_COLLECTION]: [
    { key: { username: 1 }, name: 'username_unique', unique: true },
    { key: { organisation: 1, username: 1 }, name: 'organisation_username' },
  ],
  [TOKENS_COLLECTION]: [
    { key: { tokenId: 1 }, name: 'token_id_unique', unique: true },
    { key: { username: 1, createdAt: 1 }, name: 'username_created' },
  ],
  [AUDIT_COLLECTION]: [
    { key: { organisation: 1, at: -1 }, name: 'by_organisation' },
    { key: { collectionId: 1, at: -1 }, name: 'by_collection' },
    { key: { at: -1 }, name: 'by_time' },
  ],
  // What remotes refused, newest first per push target (`npm run admin -- push refusals`).
  [PUSH_REFUSALS_COLLECTION]: [{ key: { target: 1, dateAdded: -1 }, name: 'refusals_by_target' }],
};

/** Indexes an earlier release created and this one replaced. */
const RETIRED_INDEXES_BY_COLLECTION: Readonly<Record<string, readonly string[]>> = {
  [OBJECTS_COLLECTION]: ['type_latest_by_date_added'],
};

export async function ensureIndexes(db: Db): Promise<void> {
  for (const [name, retired] of Object.entries(RETIRED_INDEXES_BY_COLLECTION)) {
    const collection = db.collection(name);
    const existing = new Set((await collection.indexes().catch(() => [])).map((index) => index.name));
    for (const index of retired) if (existing.has(index)) await collection.dropIndex(index);
  }
  for (const [name, indexes] of Object.entries(INDEXES_BY_COLLECTION)) {
    // One index per command: FerretDB 1.24 panics and drops the connection when a single
    // createIndexes names several indexes that all exist already, which is every restart.
    for (const index of indexes) await db.collection(name).createIndexes([index]);
  }
}
