import { MongoBulkWriteError, type AnyBulkWriteOperation, type Collection, type Db } from 'mongodb';
import type { InsertOutcome, NewVersion, ObjectRepository, Page, PageRequest } from '../repository';
import type { ObjectFilter } from '../../taxii/query';
import { DURABLE_WRITE } from './connect';
import { CONTENT_PROJECTION, METADATA_PROJECTION, fromDocument, toDocument, type ObjectVersionDocument } from './object-documents';
import { PAGE_ORDER, toDriverFilter } from './query-translation';

export const OBJECTS_COLLECTION = 'objects';
const DUPLICATE_KEY = 11000;

interface VersionSpan {
  min: string;
  max: string;
}

function keyOf(collectionId: string, id: string): string {
  return `${collectionId}\u0000${id}`;
}

export class MongoObjectRepository implements ObjectRepository {
  private readonly objects: Collection<ObjectVersionDocument>;

  constructor(db: Db) {
    this.objects = db.collection<ObjectVersionDocument>(OBJECTS_COLLECTION);
  }

  /** Smallest and largest version held for each object touched by a write. */
  private async spans(collectionId: string, ids: string[]): Promise<Map<string, VersionSpan>> {
    const spans = new Map<string, VersionSpan>();
    if (ids.length === 0) return spans;
    const cursor = this.objects.find(
      { collection_id: collectionId, object_id: { $in: ids } },
      { projection: { _id: 0, object_id: 1, version_key: 1 } },
    );
    for await (const document of cursor) {
      const span = spans.get(document.object_id);
      if (!span) spans.set(document.object_id, { min: document.version_key, max: document.version_key });
      else {
        if (document.version_key < span.min) span.min = document.version_key;
        if (document.version_key > span.max) span.max = document.version_key;
      }
    }
    return spans;
  }

  async insertVersions(versions: NewVersion[]): Promise<InsertOutcome[]> {
    if (versions.length === 0) return [];
    const byCollection = new Map<string, string[]>();
    for (const version of versions) {
      const ids = byCollection.get(version.collectionId) ?? [];
      ids.push(version.id);
      byCollection.set(version.collectionId, ids);
    }
    // Spans after this write: what is held, widened by the batch itself.
    const spans = new Map<string, VersionSpan>();
    for (const [collectionId, ids] of byCollection) {
      for (const [id, span] of await this.spans(collectionId, [...new Set(ids)])) spans.set(keyOf(collectionId, id), span);
    }
    const heldBefore = new Map([...spans].map(([key, span]) => [key, { ...span }]));
    for (const version of versions) {
      const key = keyOf(version.collectionId, version.id);
      const span = spans.get(key);
      if (!span) spans.set(key, { min: version.versionKey, max: version.versionKey });
      else {
        if (version.versionKey < span.min) span.min = version.versionKey;
        if (version.versionKey > span.max) span.max = version.versionKey;
      }
    }
    const documents = versions.map((version) => {
      const span = spans.get(keyOf(version.collectionId, version.id));
      return toDocument(version, { isFirst: span?.min === version.versionKey, isLatest: span?.max === version.versionKey });
    });

    const duplicates = await this.insertAllowingDuplicates(documents);
    await this.retireSupersededFlags(versions, spans, heldBefore);
    return this.outcomes(versions, duplicates);
  }

  /** Unordered insert: a duplicate key on one version must not stop the others (TAXII 2.1 §5.5). */
  private async insertAllowingDuplicates(documents: ObjectVersionDocument[]): Promise<Set<number>> {
    const duplicates = new Set<number>();
    try {
      await this.objects.insertMany(documents, { ordered: false, writeConcern: DURABLE_WRITE });
    } catch (error) {
      if (!(error instanceof MongoBulkWriteError)) throw error;
      const writeErrors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
      for (const writeError of writeErrors) {
        if (writeError.code !== DUPLICATE_KEY) throw error;
        duplicates.add(writeError.index);
      }
    }
    return duplicates;
  }

  /** A new first or latest version takes the flag from the version that held it. */
  private async retireSupersededFlags(
    versions: NewVersion[],
    spans: Map<string, VersionSpan>,
    heldBefore: Map<string, VersionSpan>,
  ): Promise<void> {
    const operations: AnyBulkWriteOperation<ObjectVersionDocument>[] = [];
    const done = new Set<string>();
    for (const version of versions) {
      const key = keyOf(version.collectionId, version.id);
      const before = heldBefore.get(key);
      const after = spans.get(key);
      if (!before || !after || done.has(key)) continue;
      done.add(key);
      const object = { collection_id: version.collectionId, object_id: version.id };
      if (after.max > before.max) {
        operations.push({ updateMany: { filter: { ...object, is_latest: true, version_key: { $lt: after.max } }, update: { $set: { is_latest: false } } } });
      }
      if (after.min < before.min) {
        operations.push({ updateMany: { filter: { ...object, is_first: true, version_key: { $gt: after.min } }, update: { $set: { is_first: false } } } });
      }
    }
    if (operations.length > 0) await this.objects.bulkWrite(operations, { ordered: false, writeConcern: DURABLE_WRITE });
  }

  private async outcomes(versions: NewVersion[], duplicates: Set<number>): Promise<InsertOutcome[]> {
    const kept = new Map<string, { version: string; stix: string }>();
    if (duplicates.size > 0) {
      const wanted = [...duplicates].map((index) => versions[index]).filter((version) => version !== undefined);
      const cursor = this.objects.find(
        { $or: wanted.map((version) => ({ collection_id: version.collectionId, object_id: version.id, version_key: version.versionKey })) },
        { projection: { _id: 0, collection_id: 1, object_id: 1, version_key: 1, version: 1, stix: 1 } },
      );
      for await (const document of cursor) {
        kept.set(`${keyOf(document.collection_id, document.object_id)}\u0000${document.version_key}`, { version: document.version, stix: document.stix });
      }
    }
    return versions.map((version, index): InsertOutcome => {
      if (!duplicates.has(index)) return { inserted: true };
      const existing = kept.get(`${keyOf(version.collectionId, version.id)}\u0000${version.versionKey}`);
      return { inserted: false, existingVersion: existing?.version ?? version.version, existingStix: existing?.stix ?? version.stix };
    });
  }

  async page(request: PageRequest): Promise<Page> {
    const cursor = this.objects
      .find(toDriverFilter(request.collectionId, request.filter, request.after), {
        projection: request.withContent ? CONTENT_PROJECTION : METADATA_PROJECTION,
      })
      .sort(PAGE_ORDER)
      .limit(request.limit + 1);
    const records = [];
    for await (const document of cursor) records.push(fromDocument(document));
    const more = records.length > request.limit;
    if (more) records.pop();
    return { records, more };
  }

  async holdsObject(collectionId: string, id: string): Promise<boolean> {
    const found = await this.objects.findOne({ collection_id: collectionId, object_id: id }, { projection: { _id: 1 } });
    return found !== null;
  }

  async deleteVersions(collectionId: string, id: string, filter: ObjectFilter): Promise<number> {
    const result = await this.objects.deleteMany(toDriverFilter(collectionId, { ...filter, ids: [id] }), { writeConcern: DURABLE_WRITE });
    if (result.deletedCount > 0) await this.reflag(collectionId, id);
    return result.deletedCount;
  }

  /** After a delete, the remaining smallest and largest versions carry the flags. */
  private async reflag(collectionId: string, id: string): Promise<void> {
    const span = (await this.spans(collectionId, [id])).get(id);
    if (!span) return;
    const object = { collection_id: collectionId, object_id: id };
    await this.objects.bulkWrite(
      [
        { updateMany: { filter: object, update: { $set: { is_latest: false, is_first: false } } } },
        { updateMany: { filter: { ...object, version_key: span.max }, update: { $set: { is_latest: true } } } },
        { updateMany: { filter: { ...object, version_key: span.min }, update: { $set: { is_first: true } } } },
      ],
      { ordered: true, writeConcern: DURABLE_WRITE },
    );
  }
}
