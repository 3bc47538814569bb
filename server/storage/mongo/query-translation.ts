import type { Filter } from 'mongodb';
import type { ObjectFilter } from '../../taxii/query';
import type { PagePosition } from '../../taxii/pagination';
import type { ObjectVersionDocument } from './object-documents';

/**
 * ObjectFilter -> driver filter. Every value from a request is placed as a value (`$in` of
 * strings, `$gt` of a number), never spread into the filter, so no request can inject operators.
 */
export function toDriverFilter(collectionId: string, filter: ObjectFilter, after?: PagePosition): Filter<ObjectVersionDocument> {
  const clauses: Filter<ObjectVersionDocument>[] = [{ collection_id: collectionId }];
  if (filter.ids) clauses.push({ object_id: { $in: filter.ids } });
  if (filter.types) clauses.push({ type: { $in: filter.types } });
  if (filter.specVersions) clauses.push({ spec_version: { $in: filter.specVersions } });
  if (filter.addedAfter !== undefined) clauses.push({ date_added_us: { $gt: filter.addedAfter } });
  const versions = filter.versions;
  if (!versions.all) {
    const alternatives: Filter<ObjectVersionDocument>[] = [];
    if (versions.last) alternatives.push({ is_latest: true });
    if (versions.first) alternatives.push({ is_first: true });
    if (versions.instants.length > 0) alternatives.push({ version_instant: { $in: versions.instants } });
    const [only] = alternatives;
    if (alternatives.length === 1 && only) clauses.push(only);
    else clauses.push({ $or: alternatives });
  }
  if (after) {
    // Redundant with the $or below, but it gives MongoDB's planner a lower bound on the index scan,
    // so a page after the cursor starts there instead of at the collection's first key.
    clauses.push({ date_added_us: { $gte: after.dateAdded } });
    clauses.push({
      $or: [
        { date_added_us: { $gt: after.dateAdded } },
        { date_added_us: after.dateAdded, object_id: { $gt: after.id } },
        { date_added_us: after.dateAdded, object_id: after.id, version_key: { $gt: after.versionKey } },
      ],
    });
  }
  return { $and: clauses };
}

export const PAGE_ORDER = { date_added_us: 1, object_id: 1, version_key: 1 } as const;
