import { performance } from 'node:perf_hooks';
import type { Collection, Db } from 'mongodb';
import { DURABLE_WRITE } from '../../server/storage/mongo/connect';
import { ensureIndexes } from '../../server/storage/mongo/indexes';
import { CONTENT_PROJECTION, type ObjectVersionDocument } from '../../server/storage/mongo/object-documents';
import { OBJECTS_COLLECTION } from '../../server/storage/mongo/object-repository';
import { PAGE_ORDER, toDriverFilter } from '../../server/storage/mongo/query-translation';
import type { PagePosition } from '../../server/taxii/pagination';
import type { ObjectFilter } from '../../server/taxii/query';
import type { BenchObject } from './generate';
import { isStreamRevision, rowOf, type RawEngine, type RawRow } from './raw-sqlite';
import type { IngestFigures } from './taxii-workload';

/**
 * The raw engine when the benchmark runs against a MongoDB (`--mongodb-uri`): the same documents
 * the server stores (one per version, the STIX JSON as a string, flags set), written with
 * insertMany and read with the server's own filter and sort, through the driver alone, in a
 * database of its own with the same indexes.
 */

function documentOf(row: RawRow): ObjectVersionDocument {
  return {
    collection_id: row.collectionId,
    object_id: row.objectId,
    type: row.type,
    spec_version: row.specVersion,
    version: row.version,
    version_key: row.versionKey,
    version_instant: row.versionInstant,
    date_added_us: row.dateAdded,
    is_first: row.isFirst,
    is_latest: row.isLatest,
    published_by_org: 'bench-org',
    published_by_user: 'publisher@bench-org',
    stix: row.stix,
  };
}

export class RawDriverEngine implements RawEngine {
  readonly description = 'MongoDB driver alone: same documents, indexes, filter and sort; insertMany per envelope';
  private readonly objects: Collection<ObjectVersionDocument>;
  private lastMicros = 0;

  private constructor(
    private readonly db: Db,
    private readonly collectionId: string,
  ) {
    this.objects = db.collection<ObjectVersionDocument>(OBJECTS_COLLECTION);
  }

  static async open(db: Db, collectionId: string): Promise<RawDriverEngine> {
    await ensureIndexes(db);
    return new RawDriverEngine(db, collectionId);
  }

  private nextMicros(): number {
    this.lastMicros = Math.max(Date.now() * 1000, this.lastMicros + 1);
    return this.lastMicros;
  }

  nowMicros(): number {
    return Math.max(Date.now() * 1000, this.lastMicros + 1);
  }

  async ingest(batches: Iterable<BenchObject[]>): Promise<IngestFigures> {
    let objects = 0;
    let requests = 0;
    let elapsed = 0;
    for (const batch of batches) {
      const documents = batch.map((object) => documentOf(rowOf(this.collectionId, object, this.nextMicros(), !isStreamRevision(object))));
      const started = performance.now();
      await this.objects.insertMany(documents, { ordered: true, writeConcern: DURABLE_WRITE });
      elapsed += performance.now() - started;
      objects += documents.length;
      requests += 1;
    }
    const seconds = elapsed / 1000;
    return { objects, accepted: objects, failed: 0, requests, seconds, objectsPerSecond: objects / seconds };
  }

  async addVersions(groups: BenchObject[][]): Promise<void> {
    for (const group of groups) {
      const first = group[0];
      if (!first) continue;
      await this.objects.updateMany({ collection_id: this.collectionId, object_id: String(first.stix.id), is_latest: true }, { $set: { is_latest: false } });
      await this.objects.insertMany(group.map((object) => documentOf(rowOf(this.collectionId, object, this.nextMicros(), false))), { writeConcern: DURABLE_WRITE });
    }
  }

  async page(filter: ObjectFilter, limit: number, after?: PagePosition): Promise<{ ms: number; count: number; last?: PagePosition; more: boolean }> {
    const started = performance.now();
    const documents = await this.objects
      .find(toDriverFilter(this.collectionId, filter, after), { projection: CONTENT_PROJECTION })
      .sort(PAGE_ORDER)
      .limit(limit + 1)
      .toArray(); // bounded by limit + 1
    const ms = performance.now() - started;
    const more = documents.length > limit;
    if (more) documents.pop();
    const last = documents[documents.length - 1];
    return { ms, count: documents.length, more, ...(last ? { last: { dateAdded: last.date_added_us, id: last.object_id, versionKey: last.version_key } } : {}) };
  }

  async close(): Promise<void> {
    await this.db.dropDatabase().catch(() => undefined);
  }
}
