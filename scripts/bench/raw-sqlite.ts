import { performance } from 'node:perf_hooks';
import type { Statement } from 'better-sqlite3';
import { openSqliteFile, type SqliteDatabase } from '../../server/storage/sqlite/connection';
import { OBJECT_SQL, pageSql } from '../../server/storage/sqlite/object-repository';
import { toSqlWhere } from '../../server/storage/sqlite/query-translation';
import { migrateSchema } from '../../server/storage/sqlite/schema';
import type { PagePosition } from '../../server/taxii/pagination';
import type { ObjectFilter } from '../../server/taxii/query';
import { instantKey, microsToTimestamp } from '../../server/taxii/timestamps';
import { versionOf } from '../../server/taxii/versions';
import type { BenchObject } from './generate';
import type { IngestFigures } from './taxii-workload';

/**
 * "The limit of this design" on the embedded engine: better-sqlite3 on its own, on the same schema
 * (migrateSchema), the same pragmas (openSqliteFile) and the same row shape as the server stores,
 * flags already final, written in transactions of one envelope, and read with the server's own
 * WHERE clause (toSqlWhere) and SELECT. No HTTP, no validation, no JSON parse of a request, no
 * flag maintenance, no status or audit record: what is left is the engine's own cost.
 */

export interface RawEngine {
  readonly description: string;
  /** Rows are built before the clock starts: the time is the inserts and commits alone. */
  ingest(batches: Iterable<BenchObject[]>): Promise<IngestFigures>;
  /** New versions of held objects, one group per object, oldest first; the held latest loses its flag. */
  addVersions(groups: BenchObject[][]): Promise<void>;
  /** One page of the server's query, in page order; `ms` is the query and the fetch of every row. */
  page(filter: ObjectFilter, limit: number, after?: PagePosition): Promise<{ ms: number; count: number; last?: PagePosition; more: boolean }>;
  /** A date_added above everything inserted so far: the `added_after` of the next batch. */
  nowMicros(): number;
  close(): Promise<void>;
}

const BENCH_ORG = 'bench-org';
const BENCH_USER = 'publisher@bench-org';

/** The row the server would store for a version (object-repository.ts), its first/latest flags given. */
export interface RawRow {
  collectionId: string;
  objectId: string;
  type: string;
  specVersion: string;
  version: string;
  versionKey: string;
  versionInstant: string;
  dateAdded: number;
  isFirst: boolean;
  isLatest: boolean;
  stix: string;
}

/** What add-objects.ts derives from a STIX object, with the flags the stream knows in advance. */
export function rowOf(collectionId: string, object: BenchObject, dateAdded: number, isFirst: boolean): RawRow {
  const stix = object.stix;
  const version = versionOf(stix);
  const stored = version ?? microsToTimestamp(dateAdded);
  const versionKey = version ? (instantKey(version) ?? version) : '';
  return {
    collectionId,
    objectId: String(stix.id),
    type: String(stix.type),
    specVersion: typeof stix.spec_version === 'string' ? stix.spec_version : '2.1',
    version: stored,
    versionKey,
    versionInstant: instantKey(stored) ?? versionKey,
    dateAdded,
    isFirst,
    isLatest: !object.superseded,
    stix: JSON.stringify(stix),
  };
}

/** The stream's own new versions are indicators whose description starts with 'Revised' (generate.ts). */
export function isStreamRevision(object: BenchObject): boolean {
  return object.stix.type === 'indicator' && typeof object.stix.description === 'string' && object.stix.description.startsWith('Revised');
}

interface PageRow {
  object_id: string;
  version_key: string;
  date_added_us: number;
  stix: string;
}

export class RawSqliteEngine implements RawEngine {
  readonly description = 'better-sqlite3 alone: same schema, pragmas, rows and SELECTs, transactions of one envelope';
  private readonly db: SqliteDatabase;
  private readonly insert: Statement;
  private readonly retireLatest: Statement<[string, string]>;
  private readonly statements = new Map<string, Statement<(string | number)[], PageRow>>();
  private lastMicros = 0;

  constructor(
    file: string,
    private readonly collectionId: string,
  ) {
    this.db = openSqliteFile(file);
    migrateSchema(this.db);
    this.insert = this.db.prepare(OBJECT_SQL.insert);
    this.retireLatest = this.db.prepare('UPDATE object_versions SET is_latest = 0 WHERE collection_id = ? AND object_id = ? AND is_latest = 1');
  }

  private nextMicros(): number {
    this.lastMicros = Math.max(Date.now() * 1000, this.lastMicros + 1);
    return this.lastMicros;
  }

  nowMicros(): number {
    return Math.max(Date.now() * 1000, this.lastMicros + 1);
  }

  private write(rows: RawRow[]): void {
    for (const row of rows) {
      this.insert.run(
        row.collectionId, row.objectId, row.type, row.specVersion, row.version, row.versionKey, row.versionInstant,
        row.dateAdded, row.isFirst ? 1 : 0, row.isLatest ? 1 : 0, BENCH_ORG, BENCH_USER, row.stix,
      );
    }
  }

  async ingest(batches: Iterable<BenchObject[]>): Promise<IngestFigures> {
    let objects = 0;
    let requests = 0;
    let elapsed = 0;
    const commit = this.db.transaction((rows: RawRow[]) => this.write(rows));
    for (const batch of batches) {
      const rows = batch.map((object) => rowOf(this.collectionId, object, this.nextMicros(), !isStreamRevision(object)));
      const started = performance.now();
      commit.immediate(rows);
      elapsed += performance.now() - started;
      objects += rows.length;
      requests += 1;
    }
    const seconds = elapsed / 1000;
    return { objects, accepted: objects, failed: 0, requests, seconds, objectsPerSecond: objects / seconds };
  }

  async addVersions(groups: BenchObject[][]): Promise<void> {
    this.db
      .transaction(() => {
        for (const group of groups) {
          const first = group[0];
          if (!first) continue;
          this.retireLatest.run(this.collectionId, String(first.stix.id));
          this.write(group.map((object) => rowOf(this.collectionId, object, this.nextMicros(), false)));
        }
      })
      .immediate();
  }

  async page(filter: ObjectFilter, limit: number, after?: PagePosition): Promise<{ ms: number; count: number; last?: PagePosition; more: boolean }> {
    const started = performance.now();
    const where = toSqlWhere(this.collectionId, filter, after);
    const sql = pageSql(where, true);
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare<(string | number)[], PageRow>(sql);
      this.statements.set(sql, statement);
    }
    const rows = statement.all(...where.params, limit + 1);
    const ms = performance.now() - started;
    const more = rows.length > limit;
    if (more) rows.pop();
    const last = rows[rows.length - 1];
    return { ms, count: rows.length, more, ...(last ? { last: { dateAdded: last.date_added_us, id: last.object_id, versionKey: last.version_key } } : {}) };
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
