import { Command } from 'commander';
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Document, Filter } from 'mongodb';
import { PROJECT_ROOT } from '../../server/config/settings';
import { connectDatabase } from '../../server/storage/mongo/connect';
import { CONTENT_PROJECTION, METADATA_PROJECTION, type ObjectVersionDocument } from '../../server/storage/mongo/object-documents';
import { OBJECTS_COLLECTION } from '../../server/storage/mongo/object-repository';
import { PAGE_ORDER, toDriverFilter } from '../../server/storage/mongo/query-translation';
import { openSqliteFile } from '../../server/storage/sqlite/connection';
import { OBJECT_SQL, pageSql } from '../../server/storage/sqlite/object-repository';
import { toSqlWhere } from '../../server/storage/sqlite/query-translation';
import type { PagePosition } from '../../server/taxii/pagination';
import type { ObjectFilter } from '../../server/taxii/query';
import { ALL_VERSIONS, LATEST_ONLY } from '../../server/taxii/versions';
import { ObjectStream, streamLengthFor, unrevisedIndicatorPositions, type BenchObject } from './generate';
import { BENCH_COLLECTION_ID } from './protocol';
import { RawDriverEngine } from './raw-driver';
import { RawSqliteEngine, type RawEngine } from './raw-sqlite';

/**
 * `npx tsx scripts/bench/explain.ts [--objects 100000] [--mongodb-uri mongodb://127.0.0.1:27017]`:
 * seeds a throw-away store with bench objects (one collection, plus a second collection of the
 * same size so that a plan that strays outside its collection shows) and prints the plan of every
 * hot query of the object repository, built by the server's own code (query-translation.ts and
 * pageSql / OBJECT_SQL of object-repository.ts), so what is explained is what the server runs.
 * SQLite: EXPLAIN QUERY PLAN. MongoDB: the winning plan and executionStats.
 */

const say = (line: string) => process.stdout.write(`${line}\n`);
const OTHER_COLLECTION = '0f0e0d0c-0b0a-4908-8706-050403020100';

interface Options {
  objects: number;
  mongodbUri?: string;
}

interface HotQuery {
  name: string;
  filter: ObjectFilter;
  after?: PagePosition;
  withContent: boolean;
  limit: number;
}

function hotQueries(after: PagePosition, oneId: string, someIds: string[]): HotQuery[] {
  const latest: ObjectFilter = { versions: LATEST_ONLY };
  return [
    { name: 'default listing (latest versions), page 1', filter: latest, withContent: true, limit: 1000 },
    { name: 'default listing, after a next cursor (keyset)', filter: latest, after, withContent: true, limit: 1000 },
    { name: 'added_after poll (latest versions)', filter: { ...latest, addedAfter: after.dateAdded }, withContent: true, limit: 1000 },
    { name: 'match[type]=indicator (one type)', filter: { ...latest, types: ['indicator'] }, withContent: true, limit: 1000 },
    { name: 'match[type]=indicator,malware (several types)', filter: { ...latest, types: ['indicator', 'malware'] }, withContent: true, limit: 1000 },
    { name: 'match[id]=<one id> (GET objects/{id}/)', filter: { ...latest, ids: [oneId] }, withContent: true, limit: 1000 },
    { name: `match[id] with ${someIds.length} ids`, filter: { ...latest, ids: someIds }, withContent: true, limit: 1000 },
    { name: 'versions of one object (GET objects/{id}/versions/)', filter: { versions: ALL_VERSIONS, ids: [oneId] }, withContent: false, limit: 1000 },
    { name: 'manifest (latest versions), after a cursor', filter: latest, after, withContent: false, limit: 1000 },
    { name: 'match[version]=all, after a cursor', filter: { versions: ALL_VERSIONS }, after, withContent: true, limit: 1000 },
    { name: 'match[version]=first', filter: { versions: { all: false, first: true, last: false, instants: [] } }, withContent: true, limit: 1000 },
    { name: 'match[spec_version]=2.1 (latest)', filter: { ...latest, specVersions: ['2.1'] }, withContent: true, limit: 1000 },
  ];
}

async function seed(engine: RawEngine, stream: ObjectStream, length: number, versioned: BenchObject[][]): Promise<void> {
  const batches = function* () {
    for (let at = 0; at < length; at += 1000) yield stream.batch(at, Math.min(length, at + 1000), length);
  };
  await engine.ingest(batches());
  await engine.addVersions(versioned);
}

async function explainSqlite(options: Options): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tas-explain-'));
  try {
    const file = join(dir, 'explain.sqlite');
    const stream = new ObjectStream('synthetic', 'explain', join(PROJECT_ROOT, 'fixtures', 'real'));
    const length = streamLengthFor('synthetic', options.objects);
    const versioned = unrevisedIndicatorPositions(10, length).map((i) => stream.revisions(i, 10));
    for (const collection of [BENCH_COLLECTION_ID, OTHER_COLLECTION]) {
      const engine = new RawSqliteEngine(file, collection);
      await seed(engine, stream, length, versioned);
      await engine.close();
    }
    const db = openSqliteFile(file);
    try {
      const total = Number(db.prepare('SELECT COUNT(*) FROM object_versions').pluck().get());
      say(`SQLite ${String(db.prepare('SELECT sqlite_version()').pluck().get())}; 2 collections of ${options.objects.toLocaleString('en-US')} objects (${total.toLocaleString('en-US')} rows); no ANALYZE statistics, as the server runs`);
      const indexes = db.prepare<[], { name: string; sql: string }>("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'object_versions' AND sql IS NOT NULL").all();
      for (const index of indexes) say(`  ${index.sql}`);
      // A cursor in the middle of the listing, and ids of objects that have 11 versions.
      const middle = db
        .prepare<[string, number], { date_added_us: number; object_id: string; version_key: string }>(
          'SELECT date_added_us, object_id, version_key FROM object_versions WHERE collection_id = ? AND is_latest = 1 ORDER BY date_added_us LIMIT 1 OFFSET ?',
        )
        .get(BENCH_COLLECTION_ID, Math.floor(options.objects / 2));
      if (!middle) throw new Error('nothing seeded');
      const after = { dateAdded: middle.date_added_us, id: middle.object_id, versionKey: middle.version_key };
      const ids = versioned.map((group) => String(group[0]?.stix.id));
      for (const query of hotQueries(after, ids[0] ?? '', ids.slice(0, 5))) {
        const where = toSqlWhere(BENCH_COLLECTION_ID, query.filter, query.after);
        const sql = pageSql(where, query.withContent);
        const params = [...where.params, query.limit + 1];
        const statement = db.prepare(sql);
        statement.all(...params);
        const started = performance.now();
        const rows = statement.all(...params).length;
        const ms = performance.now() - started;
        say('');
        say(`## ${query.name}: ${rows} rows in ${ms.toFixed(2)} ms`);
        say(sql);
        for (const step of db.prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`).all(...params)) say(`  ${step.detail}`);
      }
      const fixed: [string, string, (string | number)[]][] = [
        ['ingest: lowest and highest version held of one object', OBJECT_SQL.heldSpan, [BENCH_COLLECTION_ID, after.id]],
        ['ingest: the copy kept of a version already held', OBJECT_SQL.keptCopy, [BENCH_COLLECTION_ID, after.id, after.versionKey]],
        ['ingest: move the latest flag', OBJECT_SQL.setLatest, [0, BENCH_COLLECTION_ID, after.id, after.versionKey]],
        ['ingest: insert one version', OBJECT_SQL.insert, Array.from({ length: 13 }, () => '')],
        ['newest date_added of a collection (start-up, X-TAXII-Date-Added-Last of an empty page)', OBJECT_SQL.newest, [BENCH_COLLECTION_ID]],
      ];
      for (const [name, sql, params] of fixed) {
        say('');
        say(`## ${name}`);
        say(sql.replace(/\s+/g, ' '));
        for (const step of db.prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`).all(...params)) say(`  ${step.detail}`);
      }
    } finally {
      db.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function summarise(explain: Document): Document {
  const planner = explain.queryPlanner as Document | undefined;
  const summary: Document = {};
  for (const key of ['filterPushdown', 'sortPushdown', 'limitPushdown']) if (key in explain) summary[key] = explain[key];
  if (planner?.winningPlan) summary.winningPlan = planner.winningPlan;
  else if (planner) summary.queryPlanner = planner;
  const stats = explain.executionStats as Document | undefined;
  if (stats) {
    summary.executionStats = { nReturned: stats.nReturned, totalKeysExamined: stats.totalKeysExamined, totalDocsExamined: stats.totalDocsExamined, executionTimeMillis: stats.executionTimeMillis };
  }
  return summary;
}

/** The MongoDB adapter's hot queries (query-translation.ts of storage/mongo), explained with executionStats. */
async function explainMongo(uri: string, options: Options): Promise<void> {
  if (!/^mongodb:\/\/(127\.0\.0\.1|localhost)[:/]/.test(uri)) throw new Error('--mongodb-uri must point at 127.0.0.1');
  const handle = await connectDatabase(uri, `explain_${Date.now()}`);
  try {
    const stream = new ObjectStream('synthetic', 'explain', join(PROJECT_ROOT, 'fixtures', 'real'));
    const length = streamLengthFor('synthetic', options.objects);
    const versioned = unrevisedIndicatorPositions(10, length).map((i) => stream.revisions(i, 10));
    await seed(await RawDriverEngine.open(handle.db, BENCH_COLLECTION_ID), stream, length, versioned);
    const objects = handle.db.collection<ObjectVersionDocument>(OBJECTS_COLLECTION);
    const middle = await objects.find({ collection_id: BENCH_COLLECTION_ID, is_latest: true }).sort(PAGE_ORDER).skip(Math.floor(options.objects / 2)).limit(1).next();
    if (!middle) throw new Error('nothing seeded');
    const after = { dateAdded: middle.date_added_us, id: middle.object_id, versionKey: middle.version_key };
    const ids = versioned.map((group) => String(group[0]?.stix.id));
    say(`MongoDB at ${uri}; ${options.objects} objects; indexes: ${JSON.stringify((await objects.indexes()).map((index) => index.name))}`);
    for (const query of hotQueries(after, ids[0] ?? '', ids.slice(0, 5))) {
      const filter: Filter<ObjectVersionDocument> = toDriverFilter(BENCH_COLLECTION_ID, query.filter, query.after);
      const cursor = objects.find(filter, { projection: query.withContent ? CONTENT_PROJECTION : METADATA_PROJECTION }).sort(PAGE_ORDER).limit(query.limit + 1);
      const explain = await cursor.explain('executionStats');
      say('');
      say(`## ${query.name}`);
      say(`filter: ${JSON.stringify(filter).slice(0, 400)}`);
      say(JSON.stringify(summarise(explain), null, 1).replace(/\n\s*/g, ' ').slice(0, 3000));
    }
  } finally {
    await handle.db.dropDatabase().catch(() => undefined);
    await handle.close();
  }
}

async function main(): Promise<void> {
  const program = new Command('explain')
    .option('--objects <n>', 'objects to seed in each collection', (value) => Number(value), 100_000)
    .option('--mongodb-uri <uri>', 'explain the MongoDB adapter on this MongoDB (127.0.0.1 only) instead of SQLite');
  program.parse(process.argv);
  const options = program.opts<Options>();
  if (options.mongodbUri) await explainMongo(options.mongodbUri, options);
  else await explainSqlite(options);
}

main().catch((error: unknown) => {
  process.stderr.write(`explain: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
