import { MongoBulkWriteError, type AnyBulkWriteOperation, type Collection, type Db, type ObjectId } from 'mongodb';
import type { HeldObject as HeldOwnership, InsertOutcome, NewVersion, ObjectRepository, Page, PageRequest } from '../repository';
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

/** What is held of one object before a write: its version span, its version keys and which documents carry the flags. */
interface HeldObject extends VersionSpan {
  versionKeys: Set<string>;
  latestIds: ObjectId[];
  firstIds: ObjectId[];
}

function keyOf(collectionId: string, id: string): string {
  return `${collectionId}\u0000${id}`;
}

function widen(span: VersionSpan | undefined, versionKey: string): VersionSpan {
  if (!span) return { min: versionKey, max: versionKey };
  return { min: versionKey < span.min ? versionKey : span.min, max: versionKey > span.max ? versionKey : span.max };
}

export class MongoObjectRepository implements ObjectRepository {
  private readonly objects: Collection<ObjectVersionDocument>;

  constructor(db: Db) {
    this.objects = db.collection<ObjectVersionDocument>(OBJECTS_COLLECTION);
  }

  /** One query per collection for every object a write touches: spans, and the documents holding the flags. */
  private async heldObjects(collectionId: string, ids: string[]): Promise<Map<string, HeldObject>> {
    const held = new Map<string, HeldObject>();
    if (ids.length === 0) return held;
    const cursor = this.objects.find(
      { collection_id: collectionId, object_id: { $in: ids } },
      { projection: { _id: 1, object_id: 1, version_key: 1, is_first: 1, is_latest: 1 } },
    );
    for await (const document of cursor) {
      const previous = held.get(document.object_id);
      const entry: HeldObject = {
        ...widen(previous, document.version_key),
        versionKeys: (previous?.versionKeys ?? new Set()).add(document.version_key),
        latestIds: previous?.latestIds ?? [],
        firstIds: previous?.firstIds ?? [],
      };
      if (document._id && document.is_latest) entry.latestIds.push(document._id);
      if (document._id && document.is_first) entry.firstIds.push(document._id);
      held.set(document.object_id, entry);
    }
    return held;
  }

  async insertVersions(versions: NewVersion[]): Promise<InsertOutcome[]> {
    if (versions.length === 0) return [];
    const idsByCollection = new Map<string, Set<string>>();
    for (const version of versions) {
      idsByCollection.set(version.collectionId, (idsByCollection.get(version.collectionId) ?? new Set()).add(version.id));
    }
    const heldBefore = new Map<string, HeldObject>();
    for (const [collectionId, ids] of idsByCollection) {
      for (const [id, entry] of await this.heldObjects(collectionId, [...ids])) heldBefore.set(keyOf(collectionId, id), entry);
    }
    // Spans after this write: what is held, widened by the batch itself.
    const spans = new Map<string, VersionSpan>();
    for (const version of versions) {
      const key = keyOf(version.collectionId, version.id);
      spans.set(key, widen(spans.get(key) ?? heldBefore.get(key), version.versionKey));
    }
    // Versions already held, or repeated in this batch, are not inserted: they are duplicates.
    const duplicates = new Set<number>();
    const batchKeys = new Set<string>();
    versions.forEach((version, index) => {
      const key = `${keyOf(version.collectionId, version.id)}\u0000${version.versionKey}`;
      if (batchKeys.has(key) || heldBefore.get(keyOf(version.collectionId, version.id))?.versionKeys.has(version.versionKey)) duplicates.add(index);
      batchKeys.add(key);
    });
    const documents = versions.flatMap((version, index) => {
      if (duplicates.has(index)) return [];
      const span = spans.get(keyOf(version.collectionId, version.id));
      return [{ index, document: toDocument(version, { isFirst: span?.min === version.versionKey, isLatest: span?.max === version.versionKey }) }];
    });

    for (const index of await this.insertInOrder(documents)) duplicates.add(index);
    await this.retireSupersededFlags(spans, heldBefore);
    return this.outcomes(versions, duplicates);
  }

  /**
   * Ordered inserts, so versions become visible in date_added order: with an unordered insert
   * MongoDB may apply a later document first, and a poller that read it would move its cursor past
   * an earlier one still to come. A duplicate found here (a version stored by a writer outside the
   * write turns, such as an import) stops an ordered insert, which then resumes after it.
   */
  private async insertInOrder(documents: { index: number; document: ObjectVersionDocument }[]): Promise<number[]> {
    const duplicates: number[] = [];
    let remaining = documents;
    while (remaining.length > 0) {
      try {
        await this.objects.insertMany(remaining.map((entry) => entry.document), { ordered: true, writeConcern: DURABLE_WRITE });
        break;
      } catch (error) {
        if (!(error instanceof MongoBulkWriteError)) throw error;
        const writeErrors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
        const [first] = writeErrors;
        const failed = first ? remaining[first.index] : undefined;
        if (!first || first.code !== DUPLICATE_KEY || !failed) throw error;
        duplicates.push(failed.index);
        remaining = remaining.slice(first.index + 1);
      }
    }
    return duplicates;
  }

  /**
   * A new first or latest version takes the flag from the documents that held it: at most two
   * updates per batch, by _id, however many objects gained a version.
   */
  private async retireSupersededFlags(spans: Map<string, VersionSpan>, heldBefore: Map<string, HeldObject>): Promise<void> {
    const loseLatest: ObjectId[] = [];
    const loseFirst: ObjectId[] = [];
    for (const [key, before] of heldBefore) {
      const after = spans.get(key);
      if (!after) continue;
      if (after.max > before.max) loseLatest.push(...before.latestIds);
      if (after.min < before.min) loseFirst.push(...before.firstIds);
    }
    const operations: AnyBulkWriteOperation<ObjectVersionDocument>[] = [];
    if (loseLatest.length > 0) operations.push({ updateMany: { filter: { _id: { $in: loseLatest } }, update: { $set: { is_latest: false } } } });
    if (loseFirst.length > 0) operations.push({ updateMany: { filter: { _id: { $in: loseFirst } }, update: { $set: { is_first: false } } } });
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

  async ownership(collectionId: string, ids: string[]): Promise<Map<string, HeldOwnership>> {
    const held = new Map<string, HeldOwnership & { firstAt: number }>();
    if (ids.length === 0) return held;
    const cursor = this.objects.find(
      { collection_id: collectionId, object_id: { $in: [...new Set(ids)] } },
      { projection: { _id: 0, object_id: 1, version_key: 1, date_added_us: 1, published_by_org: 1 } },
    );
    for await (const document of cursor) {
      const known = held.get(document.object_id) ?? { firstPublisher: document.published_by_org, firstAt: document.date_added_us, versionKeys: new Set<string>() };
      known.versionKeys.add(document.version_key);
      if (document.date_added_us < known.firstAt) Object.assign(known, { firstPublisher: document.published_by_org, firstAt: document.date_added_us });
      held.set(document.object_id, known);
    }
    return new Map([...held].map(([id, { firstPublisher, versionKeys }]) => [id, { firstPublisher, versionKeys }]));
  }

  async holdsObject(collectionId: string, id: string): Promise<boolean> {
    const found = await this.objects.findOne({ collection_id: collectionId, object_id: id }, { projection: { _id: 1 } });
    return found !== null;
  }

  async latestDateAdded(collectionIds: string[]): Promise<number> {
    let latest = 0;
    // One query per collection, each a backwards walk of all_by_date_added on MongoDB.
    for (const collectionId of collectionIds) {
      const newest = await this.objects.findOne(
        { collection_id: collectionId },
        { sort: { date_added_us: -1 }, projection: { _id: 0, date_added_us: 1 } },
      );
      if (newest && newest.date_added_us > latest) latest = newest.date_added_us;
    }
    return latest;
  }

  async deleteVersions(collectionId: string, id: string, filter: ObjectFilter): Promise<number> {
    const result = await this.objects.deleteMany(toDriverFilter(collectionId, { ...filter, ids: [id] }), { writeConcern: DURABLE_WRITE });
    if (result.deletedCount > 0) await this.reflag(collectionId, id);
    return result.deletedCount;
  }

  /** After a delete, the remaining smallest and largest versions carry the flags. */
  private async reflag(collectionId: string, id: string): Promise<void> {
    const span = (await this.heldObjects(collectionId, [id])).get(id);
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
