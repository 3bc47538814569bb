import { Command } from 'commander';
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Document, Filter } from 'mongodb';
import { readSettings, PROJECT_ROOT } from '../../server/config/settings';
import { ensureFerretDbBinary, FERRETDB_VERSION } from '../ferretdb/ferretdb-binary';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../ferretdb/ferretdb-process';
import { connectDatabase } from '../../server/storage/mongo/connect';
import { CONTENT_PROJECTION, type ObjectVersionDocument } from '../../server/storage/mongo/object-documents';
import { OBJECTS_COLLECTION } from '../../server/storage/mongo/object-repository';
import { PAGE_ORDER, toDriverFilter } from '../../server/storage/mongo/query-translation';
import type { ObjectFilter } from '../../server/taxii/query';
import { ALL_VERSIONS, LATEST_ONLY } from '../../server/taxii/versions';
import { ObjectStream } from './generate';
import { BENCH_COLLECTION_ID } from './protocol';
import { RawDriverWorkload } from './raw-driver';

/**
 * `npx tsx scripts/bench/explain.ts [--objects 5000] [--mongodb-uri mongodb://127.0.0.1:27017]`:
 * seeds a throw-away database with bench documents and prints `explain` for the hot queries,
 * built by the server's own query-translation.ts, so what is explained is what the server sends.
 * On FerretDB the interesting fields are `filterPushdown` / `sortPushdown` / `limitPushdown` and
 * SQLite's plan; on MongoDB, the winning plan's IXSCAN and its index name.
 */

const say = (line: string) => process.stdout.write(`${line}\n`);

interface Options {
  objects: number;
  mongodbUri?: string;
  verbosity: string;
}

function summarise(explain: Document): Document {
  // FerretDB 1.x answers with { queryPlanner: { Plan: [SQLite plan] }, filterPushdown, sortPushdown, limitPushdown };
  // MongoDB with queryPlanner.winningPlan (and executionStats when asked).
  const planner = explain.queryPlanner as Document | undefined;
  const summary: Document = {};
  for (const key of ['filterPushdown', 'sortPushdown', 'limitPushdown']) if (key in explain) summary[key] = explain[key];
  if (planner?.winningPlan) summary.winningPlan = planner.winningPlan;
  else if (planner) summary.queryPlanner = planner;
  const stats = explain.executionStats as Document | undefined;
  if (stats) {
    summary.executionStats = {
      nReturned: stats.nReturned,
      totalKeysExamined: stats.totalKeysExamined,
      totalDocsExamined: stats.totalDocsExamined,
      executionTimeMillis: stats.executionTimeMillis,
    };
  }
  return summary;
}

async function main(): Promise<void> {
  const program = new Command('explain')
    .option('--objects <n>', 'documents to seed', (value) => Number(value), 5000)
    .option('--mongodb-uri <uri>', 'a MongoDB on 127.0.0.1 instead of a throw-away embedded FerretDB')
    .option('--verbosity <v>', 'queryPlanner | executionStats', 'executionStats');
  program.parse(process.argv);
  const options = program.opts<Options>();

  let embedded: EmbeddedDatabase | undefined;
  let dataDir: string | undefined;
  let uri = options.mongodbUri;
  if (!uri) {
    dataDir = mkdtempSync(join(tmpdir(), 'tas-explain-'));
    embedded = await startEmbeddedDatabase({ binary: await ensureFerretDbBinary(readSettings().toolsDir, say), dataDir });
    uri = embedded.uri;
  } else if (!/^mongodb:\/\/(127\.0\.0\.1|localhost)[:/]/.test(uri)) {
    throw new Error('--mongodb-uri must point at 127.0.0.1');
  }
  const handle = await connectDatabase(uri, `explain_${Date.now()}`);
  try {
    const raw = new RawDriverWorkload(handle.db, BENCH_COLLECTION_ID);
    await raw.prepare();
    const stream = new ObjectStream('synthetic', 'explain', join(PROJECT_ROOT, 'fixtures', 'real'));
    const batches = [];
    for (let at = 0; at < options.objects; at += 1000) batches.push(stream.batch(at, Math.min(options.objects, at + 1000), options.objects).map((o) => raw.toDocument(o)));
    await raw.ingest(batches);
    const objects = handle.db.collection<ObjectVersionDocument>(OBJECTS_COLLECTION);
    const middle = await objects.find({}).sort(PAGE_ORDER).skip(Math.floor(options.objects / 2)).limit(1).next();
    if (!middle) throw new Error('no documents seeded');
    const after = { dateAdded: middle.date_added_us, id: middle.object_id, versionKey: middle.version_key };
    const latest: ObjectFilter = { versions: LATEST_ONLY };
    const ids = (await objects.find({}, { projection: { object_id: 1 } }).limit(1000).toArray()).map((d) => d.object_id);

    const finds: { name: string; filter: Filter<ObjectVersionDocument>; sort?: Document; limit?: number; index: string }[] = [
      { name: 'objects page, match[version]=all, after a cursor (limit 1001)', filter: toDriverFilter(BENCH_COLLECTION_ID, { versions: ALL_VERSIONS }, after), sort: PAGE_ORDER, limit: 1001, index: 'all_by_date_added' },
      { name: 'latest-version page (default listing), after a cursor', filter: toDriverFilter(BENCH_COLLECTION_ID, latest, after), sort: PAGE_ORDER, limit: 1001, index: 'latest_by_date_added' },
      { name: 'latest-version page 1 (no cursor)', filter: toDriverFilter(BENCH_COLLECTION_ID, latest), sort: PAGE_ORDER, limit: 1001, index: 'latest_by_date_added' },
      { name: 'added_after poll (latest versions)', filter: toDriverFilter(BENCH_COLLECTION_ID, { ...latest, addedAfter: after.dateAdded }), sort: PAGE_ORDER, limit: 1001, index: 'latest_by_date_added' },
      { name: 'match[type]=indicator, latest', filter: toDriverFilter(BENCH_COLLECTION_ID, { ...latest, types: ['indicator'] }), sort: PAGE_ORDER, limit: 1001, index: 'type_latest_by_date_added' },
      { name: 'ingest: versions held for a batch of 1000 ids (object-repository spans)', filter: { collection_id: BENCH_COLLECTION_ID, object_id: { $in: ids } }, index: 'version_identity' },
      { name: 'ingest: retire the latest flag of one object (retireSupersededFlags)', filter: { collection_id: BENCH_COLLECTION_ID, object_id: middle.object_id, is_latest: true, version_key: { $lt: 'z' } }, index: 'version_identity' },
    ];
    say(`Database: ${embedded ? `embedded FerretDB ${FERRETDB_VERSION} (SQLite)` : uri}; ${options.objects} documents; verbosity ${options.verbosity}`);
    say(`Indexes: ${JSON.stringify((await objects.indexes()).map((index) => ({ name: index.name, key: index.key })))}`);
    for (const query of finds) {
      let cursor = objects.find(query.filter, { projection: CONTENT_PROJECTION });
      if (query.sort) cursor = cursor.sort(query.sort);
      if (query.limit) cursor = cursor.limit(query.limit);
      const started = Date.now();
      const count = (await cursor.clone().toArray()).length; // bounded by limit or by the 1000 ids
      const ms = Date.now() - started;
      const explain = await cursor.explain(options.verbosity);
      say('');
      say(`## ${query.name}`);
      say(`intended index on MongoDB: ${query.index}; returned ${count} documents in ${ms} ms`);
      say(`filter: ${JSON.stringify(query.filter).slice(0, 400)}`);
      say(JSON.stringify(summarise(explain), null, 1).replace(/\n\s*/g, ' ').slice(0, 3000));
    }
  } finally {
    await handle.db.dropDatabase().catch(() => undefined);
    await handle.close();
    await embedded?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`explain: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
