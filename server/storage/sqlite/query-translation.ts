import type { PagePosition } from '../../taxii/pagination';
import type { ObjectFilter } from '../../taxii/query';

export interface SqlCondition {
  /** What follows FROM: the table, with the index the query must use when the planner would pick a worse one. */
  table: string;
  sql: string;
  params: (string | number)[];
}

const TABLE = 'object_versions';
/**
 * With `ORDER BY date_added_us LIMIT n`, SQLite's planner (no ANALYZE statistics) prefers the
 * date-ordered index that avoids a sort over the index that finds the ids, and then walks the
 * whole collection to find one object: 1M index entries and row reads for match[id] or the
 * versions endpoint. The ids are few, so seeking each one in version_identity and sorting the
 * handful of versions found is the right plan at any size; INDEXED BY makes it the only plan.
 */
const BY_IDS = `${TABLE} INDEXED BY version_identity`;

function placeholders(values: readonly unknown[]): string {
  return values.map(() => '?').join(', ');
}

/**
 * ObjectFilter -> WHERE clause. Request values only ever travel as bound parameters. The
 * `is_latest = 1` term is written literally so that SQLite can use the partial indexes built on
 * exactly that condition (schema.ts); a bound parameter would hide it from the planner.
 */
export function toSqlWhere(collectionId: string, filter: ObjectFilter, after?: PagePosition): SqlCondition {
  const clauses = ['collection_id = ?'];
  const params: (string | number)[] = [collectionId];
  if (filter.ids) {
    clauses.push(filter.ids.length === 1 ? 'object_id = ?' : `object_id IN (${placeholders(filter.ids)})`);
    params.push(...filter.ids);
  }
  if (filter.types) {
    clauses.push(filter.types.length === 1 ? 'type = ?' : `type IN (${placeholders(filter.types)})`);
    params.push(...filter.types);
  }
  if (filter.specVersions) {
    clauses.push(`spec_version IN (${placeholders(filter.specVersions)})`);
    params.push(...filter.specVersions);
  }
  // date_added is unique within a collection (schema.ts), so "after the cursor" is one bound.
  const lowerBound = Math.max(filter.addedAfter ?? -1, after?.dateAdded ?? -1);
  if (lowerBound >= 0) {
    clauses.push('date_added_us > ?');
    params.push(lowerBound);
  }
  const versions = filter.versions;
  if (!versions.all) {
    const alternatives: string[] = [];
    if (versions.last) alternatives.push('is_latest = 1');
    if (versions.first) alternatives.push('is_first = 1');
    if (versions.instants.length > 0) {
      alternatives.push(`version_instant IN (${placeholders(versions.instants)})`);
      params.push(...versions.instants);
    }
    clauses.push(alternatives.length === 1 ? (alternatives[0] ?? '') : `(${alternatives.join(' OR ')})`);
  }
  return { table: filter.ids ? BY_IDS : TABLE, sql: clauses.join(' AND '), params };
}
