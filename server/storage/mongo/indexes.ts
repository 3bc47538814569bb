import type { Collection, Db, Document, IndexDescription } from 'mongodb';
import { OBJECTS_COLLECTION } from './object-repository';
import { STATUS_COLLECTION } from './status-repository';

/**
 * Indexes are designed for real MongoDB; FerretDB accepts them (the unique one is enforced) but
 * plans most filters as scans. createIndexes is idempotent, so this runs at every start.
 */
const OBJECT_INDEXES: IndexDescription[] = [
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
];

// Not a TTL index: FerretDB does not implement them, so expired statuses are pruned by the server (status-repository.ts).
const STATUS_INDEXES: IndexDescription[] = [{ key: { expiresAt: 1 }, name: 'status_expiry' }];

/**
 * One index per command: FerretDB 1.24 panics and drops the connection when a single
 * createIndexes names several indexes that all exist already, which is every restart.
 */
export async function createIndexesOneByOne<T extends Document>(collection: Collection<T>, indexes: IndexDescription[]): Promise<void> {
  for (const index of indexes) await collection.createIndexes([index]);
}

/** Indexes an earlier release created and this one replaced. */
const RETIRED_OBJECT_INDEXES = ['type_latest_by_date_added'];

export async function ensureIndexes(db: Db): Promise<void> {
  const objects = db.collection(OBJECTS_COLLECTION);
  const existing = new Set((await objects.indexes().catch(() => [])).map((index) => index.name));
  for (const name of RETIRED_OBJECT_INDEXES) if (existing.has(name)) await objects.dropIndex(name);
  await createIndexesOneByOne(objects, OBJECT_INDEXES);
  await createIndexesOneByOne(db.collection(STATUS_COLLECTION), STATUS_INDEXES);
}
