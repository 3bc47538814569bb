import type { Statement } from 'better-sqlite3';
import type { ObjectFilter } from '../../taxii/query';
import { instantKey } from '../../taxii/timestamps';
import type { HeldObject, InsertOutcome, NewVersion, ObjectRepository, Page, PageRequest } from '../repository';
import type { SqliteDatabase } from './connection';
import { toSqlWhere, type SqlCondition } from './query-translation';
import { VERSION_METADATA_COLUMNS, versionFromRow, type VersionRow } from './rows';

interface VersionSpan {
  min: string;
  max: string;
}

/** The SELECT of one page: shared with the benchmark's raw engine and explain.ts, so they measure and explain this very text. */
export function pageSql(where: SqlCondition, withContent: boolean): string {
  const columns = withContent ? `${VERSION_METADATA_COLUMNS}, stix` : VERSION_METADATA_COLUMNS;
  return `SELECT ${columns} FROM ${where.table} WHERE ${where.sql} ORDER BY date_added_us LIMIT ?`;
}

/** The fixed statements of the write path and of the small look-ups (exported for scripts/bench/explain.ts). */
export const OBJECT_SQL = {
  insert: `INSERT INTO object_versions (collection_id, object_id, type, spec_version, version, version_key, version_instant,
        date_added_us, is_first, is_latest, published_by_org, published_by_user, stix)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (collection_id, object_id, version_key) DO NOTHING`,
  // Both ends in one statement: one step per object of an envelope instead of two (most objects are new, so it finds nothing).
  heldSpan: 'SELECT MIN(version_key) AS min, MAX(version_key) AS max FROM object_versions WHERE collection_id = ? AND object_id = ?',
  keptCopy: 'SELECT version, stix FROM object_versions WHERE collection_id = ? AND object_id = ? AND version_key = ?',
  setLatest: 'UPDATE object_versions SET is_latest = ? WHERE collection_id = ? AND object_id = ? AND version_key = ?',
  setFirst: 'UPDATE object_versions SET is_first = ? WHERE collection_id = ? AND object_id = ? AND version_key = ?',
  anyVersion: 'SELECT 1 AS found FROM object_versions WHERE collection_id = ? AND object_id = ? LIMIT 1',
  newest: 'SELECT MAX(date_added_us) AS newest FROM object_versions WHERE collection_id = ?',
} as const;

/**
 * Prepared statements by SQL text. Preparing costs about as much as running a small page, and a
 * listing's text only varies with its filter's shape (how many ids, types, ...), so a poller
 * walking pages reuses one statement. Bounded: the least recently added text goes first.
 */
const STATEMENT_CACHE_SIZE = 256;

function widen(span: VersionSpan | undefined, versionKey: string): VersionSpan {
  if (!span) return { min: versionKey, max: versionKey };
  return { min: versionKey < span.min ? versionKey : span.min, max: versionKey > span.max ? versionKey : span.max };
}

function keyOf(collectionId: string, id: string): string {
  return `${collectionId}\u0000${id}`;
}

/**
 * Object versions in one SQLite table. Each write is one transaction: an envelope's versions, and
 * the first/latest flags they move, commit together or not at all.
 */
export class SqliteObjectRepository implements ObjectRepository {
  private readonly insert: Statement;
  private readonly span: Statement<[string, string], { min: string | null; max: string | null }>;
  private readonly keptCopy: Statement<[string, string, string], { version: string; stix: string }>;
  private readonly setLatest: Statement<[number, string, string, string]>;
  private readonly setFirst: Statement<[number, string, string, string]>;
  private readonly anyVersion: Statement<[string, string], { found: number }>;
  private readonly versionsHeld: Statement<[string, string], { version_key: string; published_by_org: string }>;
  private readonly newest: Statement<[string], { newest: number | null }>;
  private readonly pages = new Map<string, Statement<(string | number)[], VersionRow>>();

  constructor(private readonly db: SqliteDatabase) {
    this.insert = db.prepare(OBJECT_SQL.insert);
    this.span = db.prepare(OBJECT_SQL.heldSpan);
    this.keptCopy = db.prepare(OBJECT_SQL.keptCopy);
    this.setLatest = db.prepare(OBJECT_SQL.setLatest);
    this.setFirst = db.prepare(OBJECT_SQL.setFirst);
    // The versions of one object are few: read through version_identity, the first by date_added.
    this.versionsHeld = db.prepare('SELECT version_key, published_by_org FROM object_versions INDEXED BY version_identity WHERE collection_id = ? AND object_id = ? ORDER BY date_added_us');
    this.anyVersion = db.prepare(OBJECT_SQL.anyVersion);
    this.newest = db.prepare(OBJECT_SQL.newest);
  }

  private heldSpan(collectionId: string, id: string): VersionSpan | undefined {
    const held = this.span.get(collectionId, id);
    return held?.min != null && held.max != null ? { min: held.min, max: held.max } : undefined;
  }

  async insertVersions(versions: NewVersion[]): Promise<InsertOutcome[]> {
    if (versions.length === 0) return [];
    return this.db.transaction(() => this.insertInTransaction(versions)).immediate();
  }

  private insertInTransaction(versions: NewVersion[]): InsertOutcome[] {
    const heldBefore = new Map<string, VersionSpan | undefined>();
    const spans = new Map<string, VersionSpan>();
    for (const version of versions) {
      const key = keyOf(version.collectionId, version.id);
      if (!heldBefore.has(key)) heldBefore.set(key, this.heldSpan(version.collectionId, version.id));
      spans.set(key, widen(spans.get(key) ?? heldBefore.get(key), version.versionKey));
    }
    const outcomes = versions.map((version): InsertOutcome => {
      const span = spans.get(keyOf(version.collectionId, version.id));
      const result = this.insert.run(
        version.collectionId, version.id, version.type, version.specVersion, version.version, version.versionKey,
        instantKey(version.version) ?? version.versionKey, version.dateAdded,
        span?.min === version.versionKey ? 1 : 0, span?.max === version.versionKey ? 1 : 0,
        version.publishedBy.organisation, version.publishedBy.username, version.stix,
      );
      if (result.changes === 1) return { inserted: true };
      const kept = this.keptCopy.get(version.collectionId, version.id, version.versionKey);
      return { inserted: false, existingVersion: kept?.version ?? version.version, existingStix: kept?.stix ?? version.stix };
    });
    // Only the held extremes carried a flag; a version beyond them takes it over.
    for (const version of versions) {
      const key = keyOf(version.collectionId, version.id);
      const before = heldBefore.get(key);
      const after = spans.get(key);
      if (!before || !after) continue;
      heldBefore.delete(key);
      if (after.max > before.max) this.setLatest.run(0, version.collectionId, version.id, before.max);
      if (after.min < before.min) this.setFirst.run(0, version.collectionId, version.id, before.min);
    }
    return outcomes;
  }

  async page(request: PageRequest): Promise<Page> {
    const where = toSqlWhere(request.collectionId, request.filter, request.after);
    const rows = this.pageStatement(pageSql(where, request.withContent)).all(...where.params, request.limit + 1);
    const more = rows.length > request.limit;
    if (more) rows.pop();
    return { records: rows.map(versionFromRow), more };
  }

  private pageStatement(sql: string): Statement<(string | number)[], VersionRow> {
    let statement = this.pages.get(sql);
    if (!statement) {
      statement = this.db.prepare<(string | number)[], VersionRow>(sql);
      if (this.pages.size >= STATEMENT_CACHE_SIZE) this.pages.delete(this.pages.keys().next().value ?? '');
      this.pages.set(sql, statement);
    }
    return statement;
  }

  async ownership(collectionId: string, ids: string[]): Promise<Map<string, HeldObject>> {
    const held = new Map<string, HeldObject>();
    for (const id of new Set(ids)) {
      const versions = this.versionsHeld.all(collectionId, id);
      const first = versions[0];
      if (first) held.set(id, { firstPublisher: first.published_by_org, versionKeys: new Set(versions.map((version) => version.version_key)) });
    }
    return held;
  }

  async holdsObject(collectionId: string, id: string): Promise<boolean> {
    return this.anyVersion.get(collectionId, id) !== undefined;
  }

  async latestDateAdded(collectionIds: string[]): Promise<number> {
    let latest = 0;
    for (const collectionId of collectionIds) latest = Math.max(latest, this.newest.get(collectionId)?.newest ?? 0);
    return latest;
  }

  async deleteVersions(collectionId: string, id: string, filter: ObjectFilter): Promise<number> {
    const where = toSqlWhere(collectionId, { ...filter, ids: [id] });
    return this.db
      .transaction(() => {
        const removed = this.db.prepare(`DELETE FROM ${where.table} WHERE ${where.sql}`).run(...where.params).changes;
        if (removed > 0) this.reflag(collectionId, id);
        return removed;
      })
      .immediate();
  }

  /** After a delete, the remaining lowest and highest versions carry the flags. */
  private reflag(collectionId: string, id: string): void {
    const span = this.heldSpan(collectionId, id);
    if (!span) return;
    this.setLatest.run(1, collectionId, id, span.max);
    this.setFirst.run(1, collectionId, id, span.min);
  }
}
