import type { Statement } from 'better-sqlite3';
import type { BoundedList, ProvenanceRepository, PublicationsQuery, PublishedVersion } from '../provenance-repository';
import type { SqliteDatabase } from './connection';

interface MetadataRow {
  collection_id: string;
  object_id: string;
  type: string;
  version: string;
  date_added_us: number;
  published_by_org: string;
  published_by_user: string;
}

// Metadata only: the `stix` column is never selected, so a provenance answer cannot leak content.
const METADATA_COLUMNS = 'collection_id, object_id, type, version, date_added_us, published_by_org, published_by_user';
// collection_id and object_id break date_added ties across collections, as in the Mongo sort.
const ORDER = 'ORDER BY date_added_us, collection_id, object_id';

function toPublishedVersion(row: MetadataRow): PublishedVersion {
  return {
    collectionId: row.collection_id,
    objectId: row.object_id,
    type: row.type,
    version: row.version,
    dateAdded: row.date_added_us,
    publishedBy: { organisation: row.published_by_org, username: row.published_by_user },
  };
}

/** Reads one more than the limit to know whether there is more, and never more than that. */
function bounded(rows: MetadataRow[], limit: number): BoundedList<PublishedVersion> {
  const more = rows.length > limit;
  const records = (more ? rows.slice(0, limit) : rows).map(toPublishedVersion);
  return { records, more };
}

export class SqliteProvenanceRepository implements ProvenanceRepository {
  private readonly versions: Statement<[string, string, number], MetadataRow>;
  private readonly oneVersion: Statement<[string, string, string, number], MetadataRow>;
  private readonly byOrganisation: Statement<[string, number, number, number], MetadataRow>;

  constructor(private readonly db: SqliteDatabase) {
    // Both read the version_identity index (collection_id, object_id, version_key).
    this.versions = db.prepare(`SELECT ${METADATA_COLUMNS} FROM object_versions WHERE collection_id = ? AND object_id = ? ${ORDER} LIMIT ?`);
    this.oneVersion = db.prepare(
      `SELECT ${METADATA_COLUMNS} FROM object_versions WHERE collection_id = ? AND object_id = ? AND version_key = ? ${ORDER} LIMIT ?`,
    );
    // An absent bound is bound as the widest one, so one statement serves every query and still
    // reads a single range of the published_by_org (published_by_org, date_added_us) index.
    this.byOrganisation = db.prepare(
      `SELECT ${METADATA_COLUMNS} FROM object_versions WHERE published_by_org = ? AND date_added_us >= ? AND date_added_us <= ? ${ORDER} LIMIT ?`,
    );
  }

  async versionsOf(collectionId: string, objectId: string, options: { versionKey?: string; limit: number }): Promise<BoundedList<PublishedVersion>> {
    const rows = options.versionKey === undefined
      ? this.versions.all(collectionId, objectId, options.limit + 1)
      : this.oneVersion.all(collectionId, objectId, options.versionKey, options.limit + 1);
    return bounded(rows, options.limit);
  }

  async publishedBy(query: PublicationsQuery): Promise<BoundedList<PublishedVersion>> {
    const rows = this.byOrganisation.all(
      query.organisation,
      query.sinceMicros ?? Number.MIN_SAFE_INTEGER,
      query.untilMicros ?? Number.MAX_SAFE_INTEGER,
      query.limit + 1,
    );
    return bounded(rows, query.limit);
  }
}
