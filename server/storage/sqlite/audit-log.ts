import type { Statement } from 'better-sqlite3';
import type { AuditLog, AuditQuery, AuditRecord } from '../audit-log';
import type { SqliteDatabase } from './connection';
import { AUDIT_COLUMNS, auditFromRow, type AuditRow } from './rows';

type AuditValues = [number, string, string | null, string | null, string | null, string | null, string | null, string | null, string | null];

/** Which filters a query uses; each combination has its own prepared statement. */
interface QueryShape {
  organisation: boolean;
  collections: boolean;
  actions: boolean;
  since: boolean;
  until: boolean;
}

/**
 * The statement for one shape. Lists are bound as one JSON array and unpacked by json_each, so
 * the SQL text depends only on which filters are present, never on a value or a list's length.
 */
function querySql(shape: QueryShape): string {
  const clauses: string[] = [];
  const scope: string[] = [];
  if (shape.organisation) scope.push('organisation = ?');
  if (shape.collections) scope.push('collection_id IN (SELECT value FROM json_each(?))');
  if (scope.length > 0) clauses.push(`(${scope.join(' OR ')})`);
  if (shape.actions) clauses.push('action IN (SELECT value FROM json_each(?))');
  if (shape.since) clauses.push('at_ms >= ?');
  if (shape.until) clauses.push('at_ms <= ?');
  const where = clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '';
  // seq breaks ties between records of the same millisecond: the later insert counts as newer.
  return `SELECT ${AUDIT_COLUMNS} FROM audit_log ${where} ORDER BY at_ms DESC, seq DESC LIMIT ?`;
}

/** Insert-only: nothing in the server updates or deletes an audit record. */
export class SqliteAuditLog implements AuditLog {
  private readonly insert: Statement<AuditValues>;
  /** Up to 32 shapes, each prepared on first use and kept. */
  private readonly queries = new Map<string, Statement<(string | number)[], AuditRow>>();

  constructor(private readonly db: SqliteDatabase) {
    this.insert = db.prepare(`INSERT INTO audit_log (${AUDIT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  }

  async record(entry: AuditRecord): Promise<void> {
    this.insertOne(entry);
  }

  /** One transaction, so a batch costs one commit (one sync to disk) however many records it holds. */
  async recordBatch(entries: AuditRecord[]): Promise<void> {
    if (entries.length === 0) return;
    this.db.transaction(() => {
      for (const entry of entries) this.insertOne(entry);
    }).immediate();
  }

  private insertOne(entry: AuditRecord): void {
    this.insert.run(
      entry.at.getTime(),
      entry.action,
      entry.username ?? null,
      entry.organisation ?? null,
      entry.apiRoot ?? null,
      entry.collectionId ?? null,
      entry.objectIds === undefined ? null : JSON.stringify(entry.objectIds),
      entry.requestId ?? null,
      entry.details === undefined ? null : JSON.stringify(entry.details),
    );
  }

  async query(query: AuditQuery): Promise<AuditRecord[]> {
    // Empty lists filter nothing, as in the Mongo implementation.
    const shape: QueryShape = {
      organisation: query.organisation !== undefined,
      collections: query.collectionIds !== undefined && query.collectionIds.length > 0,
      actions: query.actions !== undefined && query.actions.length > 0,
      since: query.since !== undefined,
      until: query.until !== undefined,
    };
    // Values in the order querySql places their placeholders.
    const values: (string | number)[] = [];
    if (query.organisation !== undefined) values.push(query.organisation);
    if (shape.collections) values.push(JSON.stringify(query.collectionIds));
    if (shape.actions) values.push(JSON.stringify(query.actions));
    if (query.since) values.push(query.since.getTime());
    if (query.until) values.push(query.until.getTime());
    values.push(query.limit);
    return this.statementFor(shape).all(...values).map(auditFromRow);
  }

  private statementFor(shape: QueryShape): Statement<(string | number)[], AuditRow> {
    const key = JSON.stringify(shape);
    let statement = this.queries.get(key);
    if (!statement) {
      statement = this.db.prepare<(string | number)[], AuditRow>(querySql(shape));
      this.queries.set(key, statement);
    }
    return statement;
  }
}
