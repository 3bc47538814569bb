import type { Provenance } from './repository';

/** One stored version as provenance questions see it: where, what, when, by whom. Never the STIX content. */
export interface PublishedVersion {
  collectionId: string;
  objectId: string;
  type: string;
  version: string;
  /** Microseconds since the epoch, as TAXII's `date_added`. */
  dateAdded: number;
  publishedBy: Provenance;
}

/** At most the limit asked for; `more` says whether the limit cut the answer short. */
export interface BoundedList<T> {
  records: T[];
  more: boolean;
}

export interface PublicationsQuery {
  organisation: string;
  /** Inclusive bounds on `date_added`, in microseconds. */
  sinceMicros?: number;
  untilMicros?: number;
  limit: number;
}

/** Answers "who published this" and "what did they publish" from the metadata kept beside each version (docs/access-model.md, Who an object says published it). */
export interface ProvenanceRepository {
  /** Versions of one object in one collection, oldest `date_added` first; `versionKey` (taxii/timestamps instantKey) picks one. */
  versionsOf(collectionId: string, objectId: string, options: { versionKey?: string; limit: number }): Promise<BoundedList<PublishedVersion>>;
  /** What one organisation published, in `date_added` order. */
  publishedBy(query: PublicationsQuery): Promise<BoundedList<PublishedVersion>>;
}
