import type { ObjectId } from 'mongodb';
import { instantKey } from '../../taxii/timestamps';
import type { NewVersion, StoredVersion } from '../repository';

/** The stored shape of one object version. Field names are the storage's own; nothing outside this folder sees them. */
export interface ObjectVersionDocument {
  _id?: ObjectId;
  collection_id: string;
  object_id: string;
  type: string;
  spec_version: string;
  version: string;
  /** Identity of the version: unique per object; '' for an unversioned object (an SCO), which has one. */
  version_key: string;
  /** The version's instant, for match[version]=<timestamp>: for an SCO, that of the date_added standing in. */
  version_instant: string;
  date_added_us: number;
  /** Flags kept in step on every write so "latest version" queries are a plain index scan. */
  is_first: boolean;
  is_latest: boolean;
  published_by_org: string;
  published_by_user: string;
  /** The STIX object's JSON text as accepted: returned byte for byte, never re-serialised. */
  stix: string;
}

export const METADATA_PROJECTION = {
  _id: 0,
  collection_id: 1,
  object_id: 1,
  type: 1,
  spec_version: 1,
  version: 1,
  version_key: 1,
  date_added_us: 1,
  published_by_org: 1,
  published_by_user: 1,
} as const;

export const CONTENT_PROJECTION = { ...METADATA_PROJECTION, stix: 1 } as const;

export function toDocument(version: NewVersion, flags: { isFirst: boolean; isLatest: boolean }): ObjectVersionDocument {
  return {
    collection_id: version.collectionId,
    object_id: version.id,
    type: version.type,
    spec_version: version.specVersion,
    version: version.version,
    version_key: version.versionKey,
    version_instant: instantKey(version.version) ?? version.versionKey,
    date_added_us: version.dateAdded,
    is_first: flags.isFirst,
    is_latest: flags.isLatest,
    published_by_org: version.publishedBy.organisation,
    published_by_user: version.publishedBy.username,
    stix: version.stix,
  };
}

export function fromDocument(document: Omit<ObjectVersionDocument, 'is_first' | 'is_latest' | 'version_instant'>): StoredVersion {
  const record: StoredVersion = {
    collectionId: document.collection_id,
    id: document.object_id,
    type: document.type,
    specVersion: document.spec_version,
    version: document.version,
    versionKey: document.version_key,
    dateAdded: document.date_added_us,
    publishedBy: { organisation: document.published_by_org, username: document.published_by_user },
  };
  if (document.stix !== undefined) record.stix = document.stix;
  return record;
}
