import type { ObjectFilter } from '../taxii/query';
import type { PagePosition } from '../taxii/pagination';

/** Who published a stored version: server metadata kept beside the STIX object, never inside it. */
export interface Provenance {
  organisation: string;
  username: string;
}

/** One stored version of one STIX object in one collection. */
export interface StoredVersion {
  collectionId: string;
  id: string;
  type: string;
  specVersion: string;
  /** The version as TAXII reports it: `modified`, else `created`, else the first copy's `date_added`. */
  version: string;
  /** Sortable instant key of the version; '' for an unversioned object (an SCO), which has one version only. */
  versionKey: string;
  /** Microseconds since the epoch; strictly increasing per collection. */
  dateAdded: number;
  publishedBy: Provenance;
  /** The object's JSON text exactly as accepted; absent when the caller asked for metadata only. */
  stix?: string;
}

export type NewVersion = Required<StoredVersion>;

/** What ownership decisions need of an object held in a collection (STIX 2.1 §3.6). */
export interface HeldObject {
  /** The organisation that published the version added first. */
  firstPublisher: string;
  versionKeys: Set<string>;
}

export type InsertOutcome = { inserted: true } | { inserted: false; existingVersion: string; existingStix: string };

export interface PageRequest {
  collectionId: string;
  filter: ObjectFilter;
  after?: PagePosition;
  limit: number;
  withContent: boolean;
}

export interface Page {
  records: StoredVersion[];
  more: boolean;
}

export interface ObjectRepository {
  /**
   * Stores new versions; a version already held (same collection, id and version) is not
   * overwritten and comes back as `inserted: false` with the copy that was kept.
   */
  insertVersions(versions: NewVersion[]): Promise<InsertOutcome[]>;
  /** Records in (date_added, id, version) order after `after`, at most `limit` of them. */
  page(request: PageRequest): Promise<Page>;
  /** For each of these objects held in the collection: who published its first-added version, and the versions held. */
  ownership(collectionId: string, ids: string[]): Promise<Map<string, HeldObject>>;
  /** Whether the collection holds any version of the object at all. */
  holdsObject(collectionId: string, id: string): Promise<boolean>;
  /** The largest date_added held in these collections, 0 when they are empty. */
  latestDateAdded(collectionIds: string[]): Promise<number>;
  /** Removes the versions of one object that match the filter; returns how many were removed. */
  deleteVersions(collectionId: string, id: string, filter: ObjectFilter): Promise<number>;
}

export type StatusValue = 'complete' | 'pending';

export interface StatusDetail {
  id: string;
  version: string;
  message?: string;
}

export interface StatusRecord {
  id: string;
  apiRoot: string;
  collectionId: string;
  /** Only this organisation may read the status (checklist S-03). */
  organisation: string;
  status: StatusValue;
  requestTimestamp: string;
  totalCount: number;
  successes: StatusDetail[];
  failures: StatusDetail[];
  /** Objects not yet processed; `pendings` lists the first of them (taxii/status-details.ts bounds the lists). */
  pendingCount: number;
  pendings: StatusDetail[];
  /** Kept at least until then (TAXII 2.1 §4.3: at least 24 hours). */
  expiresAt: Date;
}

export interface StatusRepository {
  save(status: StatusRecord): Promise<void>;
  find(apiRoot: string, id: string): Promise<StatusRecord | undefined>;
  pruneExpired(now?: Date): Promise<number>;
}
