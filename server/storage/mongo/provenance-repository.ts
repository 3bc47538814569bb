import type { Collection, Db, Filter } from 'mongodb';
import type { BoundedList, ProvenanceRepository, PublicationsQuery, PublishedVersion } from '../provenance-repository';
import type { ObjectVersionDocument } from './object-documents';
import { OBJECTS_COLLECTION } from './object-repository';

type MetadataDocument = Omit<ObjectVersionDocument, 'stix'>;

// Metadata only: the `stix` field is never read, so a provenance answer cannot leak content.
const PROVENANCE_PROJECTION = {
  _id: 0, collection_id: 1, object_id: 1, type: 1, version: 1, date_added_us: 1, published_by_org: 1, published_by_user: 1,
} as const;

function toPublishedVersion(document: MetadataDocument): PublishedVersion {
  return {
    collectionId: document.collection_id,
    objectId: document.object_id,
    type: document.type,
    version: document.version,
    dateAdded: document.date_added_us,
    publishedBy: { organisation: document.published_by_org, username: document.published_by_user },
  };
}

export class MongoProvenanceRepository implements ProvenanceRepository {
  private readonly objects: Collection<MetadataDocument>;

  constructor(db: Db) {
    this.objects = db.collection<MetadataDocument>(OBJECTS_COLLECTION);
  }

  /** Reads one more than the limit to know whether there is more, and never more than that. */
  private async bounded(filter: Filter<MetadataDocument>, limit: number): Promise<BoundedList<PublishedVersion>> {
    const cursor = this.objects
      .find(filter, { projection: PROVENANCE_PROJECTION })
      .sort({ date_added_us: 1, collection_id: 1, object_id: 1 })
      .limit(limit + 1);
    const records: PublishedVersion[] = [];
    for await (const document of cursor) records.push(toPublishedVersion(document));
    const more = records.length > limit;
    if (more) records.pop();
    return { records, more };
  }

  versionsOf(collectionId: string, objectId: string, options: { versionKey?: string; limit: number }): Promise<BoundedList<PublishedVersion>> {
    const filter: Filter<MetadataDocument> = { collection_id: { $eq: collectionId }, object_id: { $eq: objectId } };
    if (options.versionKey !== undefined) filter.version_key = { $eq: options.versionKey };
    return this.bounded(filter, options.limit);
  }

  publishedBy(query: PublicationsQuery): Promise<BoundedList<PublishedVersion>> {
    const filter: Filter<MetadataDocument> = { published_by_org: { $eq: query.organisation } };
    const range: { $gte?: number; $lte?: number } = {};
    if (query.sinceMicros !== undefined) range.$gte = query.sinceMicros;
    if (query.untilMicros !== undefined) range.$lte = query.untilMicros;
    if (Object.keys(range).length > 0) filter.date_added_us = range;
    return this.bounded(filter, query.limit);
  }
}
