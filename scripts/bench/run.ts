import { Command, InvalidArgumentError } from 'commander';
import { mkdtempSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { readSettings, PROJECT_ROOT } from '../../server/config/settings';
import { ensureFerretDbBinary, FERRETDB_VERSION } from '../ferretdb/ferretdb-binary';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../ferretdb/ferretdb-process';
import type { Db } from 'mongodb';
import { connectDatabase } from '../../server/storage/mongo/connect';
import type { ObjectVersionDocument } from '../../server/storage/mongo/object-documents';
import { OBJECTS_COLLECTION } from '../../server/storage/mongo/object-repository';
import { PAGE_ORDER, toDriverFilter } from '../../server/storage/mongo/query-translation';
import { newCursorKeyLine, parseCursorKeys } from '../../server/config/cursor-keys';
import type { CursorKeys } from '../../server/taxii/cursor-seal';
import { decodeCursor, encodeCursor } from '../../server/taxii/pagination';
import { benchIdentity, ObjectStream, type DataKind } from './generate';
import { closeHttpAgent } from './http-client';
import { ensureMedallion, rssOf, startMedallion } from './medallion';
import { BENCH_API_ROOT, BENCH_COLLECTION_ID } from './protocol';
import { RawDriverWorkload } from './raw-driver';
import { judgeTargets, memoryFromSamples, renderTable, type BenchResult, type DbTimeByCommand, type MemoryFigures, type SideFigures } from './report';
import { startServerChild } from './server-child';
import { ingest, pageLatency, poll, taxiiTimestamp, type PageSeek, type TaxiiTarget } from './taxii-workload';

/**
 * `npm run bench -- [options]`: ingest, full poll, page latency, added_after poll and server RSS
 * for our server over HTTP, the same work through the raw driver, and medallion over HTTP.
 * Never a test: it runs by hand and writes bench-results/<timestamp>.json. Loopback only.
 */

interface Options {
  objects: number;
  batch: number;
  pageSize: number;
  latencyLimit: number;
  latencyPage: number;
  repeats: number;
  incremental: number;
  data: DataKind;
  medallion: boolean;
  medallionObjects?: number;
  mongodbUri?: string;
  cpuProf: boolean;
  keepData: boolean;
  out: string;
  rssInterval: number;
}

// The incremental objects come from a region of the stream far from the main one: new ids only.
const INCREMENTAL_REGION = 10_000_000;

const positive = (value: string): number => {
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed <= 0) throw new InvalidArgumentError('must be a positive integer');
  return parsed;
};

function parseOptions(argv: string[]): Options {
  const program = new Command('bench')
    .description('TAXII server benchmark: our server over HTTP vs the raw MongoDB driver vs medallion')
    .option('-n, --objects <n>', 'object versions to ingest', positive, 20_000)
    .option('--batch <n>', 'objects per POST envelope (and per insertMany)', positive, 1000)
    .option('--page-size <n>', 'limit of each page of the full poll', positive, 1000)
    .option('--latency-limit <n>', 'limit for the page 1 vs page N latency test', positive, 100)
    .option('--latency-page <n>', 'the later page of the latency test', positive, 100)
    .option('--repeats <n>', 'timed requests per page in the latency test', positive, 10)
    .option('--incremental <n>', 'objects posted after the full poll and read back with added_after', positive, 1000)
    .option('--data <kind>', "'synthetic' (indicators, SCOs, relationships, malware) or 'attack' (ATT&CK bundles, ids remapped per copy)", 'synthetic')
    .option('--no-medallion', 'skip medallion')
    .option('--medallion-objects <n>', 'object versions for medallion (default: min(N, 2000): its reads are quadratic in the collection size)', positive)
    .option('--mongodb-uri <uri>', 'a MongoDB to use instead of a throw-away embedded FerretDB (databases bench_* are created and dropped)')
    .option('--cpu-prof', 'write a V8 CPU profile of the server process to <out>/profiles/', false)
    .option('--keep-data', 'keep the throw-away FerretDB data directory', false)
    .option('--out <dir>', 'where the JSON result goes', join(PROJECT_ROOT, 'bench-results'))
    .option('--rss-interval <ms>', 'RSS sampling interval during the full poll', positive, 20);
  program.parse(argv);
  const options = program.opts<Options>();
  if (options.data !== 'synthetic' && options.data !== 'attack') throw new InvalidArgumentError(`--data must be synthetic or attack, got ${String(options.data)}`);
  if (options.mongodbUri && !/^mongodb:\/\/(127\.0\.0\.1|localhost)[:/]/.test(options.mongodbUri)) {
    throw new InvalidArgumentError('--mongodb-uri must point at 127.0.0.1: the benchmark stays on this machine');
  }
  return options;
}

const say = (line: string) => process.stdout.write(`${line}\n`);

function* envelopes(stream: ObjectStream, start: number, end: number, batch: number): Generator<{ body: string; count: number }> {
  for (let at = start; at < end; at += batch) {
    const objects = stream.batch(at, Math.min(end, at + batch), end);
    yield { body: JSON.stringify({ objects: objects.map((object) => object.stix) }), count: objects.length };
  }
}

function* documentBatches(raw: RawDriverWorkload, stream: ObjectStream, start: number, end: number, batch: number) {
  for (let at = start; at < end; at += batch) yield stream.batch(at, Math.min(end, at + batch), end).map((object) => raw.toDocument(object));
}

function latencyPageFor(latestObjects: number, limit: number, wanted: number): number {
  // A page that exists in full: page k holds objects (k-1)*limit+1 .. k*limit.
  return Math.max(2, Math.min(wanted, Math.floor(latestObjects / limit)));
}

async function sampleRss(pid: number, intervalMs: number, work: () => Promise<void>): Promise<number[]> {
  const samples: number[] = [];
  let running = true;
  const sampler = (async () => {
    while (running && samples.length < 200_000) {
      const rss = await rssOf(pid);
      if (rss !== undefined) samples.push(rss);
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
  try {
    await work();
  } finally {
    running = false;
    await sampler;
  }
  return samples;
}

/** How many objects of a region are the latest version of their object once the region is posted. */
function latestIn(stream: ObjectStream, start: number, count: number): number {
  let latest = 0;
  for (let i = start; i < start + count; i += 1) if (!stream.at(i, start + count).superseded) latest += 1;
  return latest;
}

async function httpSide(
  target: TaxiiTarget,
  stream: ObjectStream,
  objects: number,
  options: Options,
  memory: (poll: () => Promise<void>) => Promise<MemoryFigures | undefined>,
  seek?: PageSeek,
  dbTime?: () => Promise<DbTimeByCommand>,
): Promise<SideFigures> {
  const phases: Record<string, DbTimeByCommand> = {};
  const phaseDone = async (phase: string) => {
    if (dbTime) phases[phase] = await dbTime();
  };
  const maxPages = (count: number, limit: number) => Math.ceil(count / limit) + 10;
  say(`  [${target.name}] ingest of ${objects.toLocaleString('en-US')} objects in envelopes of ${options.batch}...`);
  await ingest(target, [{ body: JSON.stringify({ objects: [benchIdentity()] }), count: 1 }]);
  await phaseDone('setup');
  const ingested = await ingest(target, envelopes(stream, 0, objects, options.batch));
  await phaseDone('ingest');
  say(`  [${target.name}] ${Math.round(ingested.objectsPerSecond)} objects/s (${ingested.accepted} accepted, ${ingested.failed} failed); full poll at limit ${options.pageSize}...`);
  let fullPoll: Awaited<ReturnType<typeof poll>> | undefined;
  const memoryFigures = await memory(async () => {
    fullPoll = await poll(target, { limit: String(options.pageSize) }, maxPages(objects + 1, options.pageSize));
  });
  if (!fullPoll) throw new Error('full poll did not run');
  await phaseDone('full poll');
  say(`  [${target.name}] ${Math.round(fullPoll.objectsPerSecond)} objects/s over ${fullPoll.pages} pages; page latency...`);
  const page = latencyPageFor(fullPoll.objects, options.latencyLimit, options.latencyPage);
  // medallion's first page costs seconds (it filters the whole collection in Python), so it gets 3 samples.
  const latency = await pageLatency(target, options.latencyLimit, page, target.replayableCursors ? options.repeats : 3, target.replayableCursors ? 0 : 1, seek);
  await phaseDone('page latency');
  say(`  [${target.name}] page 1 ${latency.firstPageMs.median.toFixed(1)} ms, page ${page} ${latency.laterPageMs.median.toFixed(1)} ms; incremental added_after poll...`);
  const afterMicros = Date.now() * 1000;
  await new Promise((resolve) => setTimeout(resolve, 5));
  await ingest(target, envelopes(stream, INCREMENTAL_REGION, INCREMENTAL_REGION + options.incremental, options.batch));
  await phaseDone('incremental ingest');
  const added = await poll(target, { added_after: taxiiTimestamp(afterMicros), limit: String(options.pageSize) }, maxPages(options.incremental, options.pageSize));
  say(`  [${target.name}] added_after: ${added.objects} objects in ${(added.seconds * 1000).toFixed(1)} ms`);
  await phaseDone('added_after poll');
  delete phases.setup;
  return { ...(dbTime ? { dbTime: phases } : {}), objects: objects + 1, ingest: ingested, fullPoll, latency, addedAfter: { ...added, expected: latestIn(stream, INCREMENTAL_REGION, options.incremental) }, memory: memoryFigures };
}

/**
 * Our `next` is a keyset position plus the filter (server/taxii/pagination.ts). The bench decodes
 * page 1's cursor, finds the last record of page k - 1 with one driver query on the server's own
 * database, and encodes the cursor the server would have issued there, so page k is reached
 * without k - 1 requests (each a collection scan on FerretDB). Cursors are sealed, so the bench
 * and the server child share a key (BENCH_CURSOR_KEYS).
 */
function seekThroughDatabase(db: Db, keys: CursorKeys): PageSeek {
  const scope = `${BENCH_COLLECTION_ID}/objects/`;
  return async (firstNext, pageNumber, limit) => {
    const cursor = decodeCursor(firstNext, scope, keys);
    const last = await db
      .collection<ObjectVersionDocument>(OBJECTS_COLLECTION)
      .find(toDriverFilter(BENCH_COLLECTION_ID, cursor.filter), { projection: { date_added_us: 1, object_id: 1, version_key: 1 } })
      .sort(PAGE_ORDER)
      .skip((pageNumber - 1) * limit - 1)
      .limit(1)
      .next();
    if (!last) throw new Error(`the listing ends before page ${pageNumber} at limit ${limit}`);
    return encodeCursor({ scope, filter: cursor.filter, after: { dateAdded: last.date_added_us, id: last.object_id, versionKey: last.version_key } }, keys);
  };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv);
  const settings = readSettings();
  const startedAt = new Date();
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  const stream = new ObjectStream(options.data, 'bench', join(PROJECT_ROOT, 'fixtures', 'real'));
  const N = options.objects;
  const maxPages = (count: number, limit: number) => Math.ceil(count / limit) + 10;
  await mkdir(options.out, { recursive: true });

  let embedded: EmbeddedDatabase | undefined;
  let dataDir: string | undefined;
  let uri = options.mongodbUri;
  if (!uri) {
    dataDir = mkdtempSync(join(tmpdir(), 'tas-bench-'));
    const binary = await ensureFerretDbBinary(settings.toolsDir, say);
    embedded = await startEmbeddedDatabase({ binary, dataDir, log: say });
    uri = embedded.uri;
  }
  const databaseName = `bench_${stamp.replace(/-/g, '_').slice(0, 19)}`;
  const handle = await connectDatabase(uri, databaseName);
  const rawDb = handle.client.db(`${databaseName}_raw`);
  const buildInfo = (await handle.db.admin().command({ buildInfo: 1 })) as { version?: string };
  const database = embedded
    ? `embedded FerretDB ${FERRETDB_VERSION} (SQLite handler, reports MongoDB ${buildInfo.version}), throw-away data dir`
    : `MongoDB ${buildInfo.version} at ${uri}`;
  say(`Database: ${database}${dataDir ? ` (${dataDir})` : ''}`);
  const medallionWork = join(tmpdir(), `tas-bench-medallion-${stamp}`);

  try {
    // 1. Our server over HTTP, in a child process whose RSS is sampled from inside it.
    const cursorKeys = newCursorKeyLine();
    const server = await startServerChild({ uri, database: databaseName, cursorKeys, cpuProfDir: options.cpuProf ? join(options.out, 'profiles') : undefined });
    let serverFigures: SideFigures;
    try {
      say(`Our server (child pid ${server.pid}, 127.0.0.1:${server.port}, API token auth):`);
      const target: TaxiiTarget = {
        name: 'TAS',
        objectsUrl: `http://127.0.0.1:${server.port}/${BENCH_API_ROOT}/collections/${BENCH_COLLECTION_ID}/objects/`,
        authorization: `Bearer ${server.token}`,
        replayableCursors: true,
      };
      const memory = async (work: () => Promise<void>) => {
        const before = await server.ask({ type: 'gc' }, 'memory');
        server.tell({ type: 'rss-start', intervalMs: options.rssInterval });
        await work();
        const { samples } = await server.ask({ type: 'rss-stop' }, 'rss');
        const after = await server.ask({ type: 'gc' }, 'memory');
        return {
          ...memoryFromSamples(samples, before.rss, `process.memoryUsage().rss inside the server child every ${options.rssInterval} ms`),
          heapAfterGcBeforeBytes: before.heapUsed,
          heapAfterGcAfterBytes: after.heapUsed,
        };
      };
      const dbTime = async () => (await server.ask({ type: 'db-time' }, 'db-time')).byCommand;
      serverFigures = await httpSide(target, stream, N, options, memory, seekThroughDatabase(handle.db, parseCursorKeys(cursorKeys, 'bench key')), dbTime);
    } finally {
      await server.stop();
    }

    // 2. The same documents through the raw driver: insertMany, one find, the server's keyset query.
    say('Raw driver (same documents, same indexes, database of its own):');
    const raw = new RawDriverWorkload(rawDb, BENCH_COLLECTION_ID);
    await raw.prepare();
    await raw.ingest([[raw.toDocument({ stix: benchIdentity(), superseded: false })]]);
    const rawIngest = await raw.ingest(documentBatches(raw, stream, 0, N, options.batch));
    say(`  [raw] insertMany ${Math.round(rawIngest.objectsPerSecond)} objects/s; find...`);
    const rawFind = await raw.fullFind();
    const rawKeyset = await raw.keysetPoll(options.pageSize, maxPages(N + 1, options.pageSize));
    say(`  [raw] find ${Math.round(rawFind.objectsPerSecond)} objects/s, keyset pages ${Math.round(rawKeyset.objectsPerSecond)} objects/s; page latency...`);
    const rawLatency = await raw.pageLatency(options.latencyLimit, latencyPageFor(rawFind.objects, options.latencyLimit, options.latencyPage), options.repeats);
    const rawAfter = raw.nowMicros();
    await raw.ingest(documentBatches(raw, stream, INCREMENTAL_REGION, INCREMENTAL_REGION + options.incremental, options.batch));
    const rawAdded = await raw.addedAfterPoll(rawAfter, options.pageSize, maxPages(options.incremental, options.pageSize));
    say(`  [raw] added_after: ${rawAdded.objects} objects in ${(rawAdded.seconds * 1000).toFixed(1)} ms`);
    const rawFigures: SideFigures = {
      objects: N + 1,
      ingest: rawIngest,
      fullPoll: rawFind,
      keysetPoll: rawKeyset,
      latency: rawLatency,
      addedAfter: { ...rawAdded, expected: options.incremental },
    };

    // 3. medallion over HTTP, memory backend.
    let medallionFigures: BenchResult['medallion'] = { skipped: 'not asked for (--no-medallion)' };
    if (options.medallion) {
      const objects = options.medallionObjects ?? Math.min(N, 2000);
      try {
        const executable = await ensureMedallion(settings.toolsDir, say);
        const medallion = await startMedallion(executable, medallionWork, Math.max(options.pageSize, options.latencyLimit));
        try {
          say(`medallion ${medallion.version} (pid ${medallion.pid}, memory backend):`);
          const figures = await httpSide(medallion.target, stream, objects, options, async (work) => {
            const baseline = (await rssOf(medallion.pid)) ?? 0;
            const samples = await sampleRss(medallion.pid, options.rssInterval, work);
            return memoryFromSamples(samples, baseline, `VmRSS of the medallion process from /proc every ${options.rssInterval} ms`);
          });
          medallionFigures = { ...figures, version: medallion.version };
        } finally {
          await medallion.stop();
        }
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        say(`  medallion could not be run: ${reason}`);
        medallionFigures = { skipped: reason };
      }
    }

    const partial: Omit<BenchResult, 'targets'> = {
      startedAt: startedAt.toISOString(),
      command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
      options: { ...options },
      environment: {
        node: process.version,
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model,
        memoryBytes: totalmem(),
        database,
        serverProcess: 'child process (scripts/bench/server-process.ts: createRuntime + createApp, as server/main.ts), API token auth',
        client: 'one sequential keep-alive HTTP client (node:http) in the parent process, JSON.parse of every response',
      },
      server: serverFigures,
      raw: rawFigures,
      medallion: medallionFigures,
    };
    const result: BenchResult = { ...partial, targets: judgeTargets(partial) };
    const file = join(options.out, `${stamp}.json`);
    await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
    say('');
    say(`${result.command}  (${database}; N = ${N.toLocaleString('en-US')}, ${options.data} data)`);
    say('');
    say(renderTable(result));
    say('');
    say(`Result written to ${file}`);
  } finally {
    await rm(medallionWork, { recursive: true, force: true });
    await handle.db.dropDatabase().catch(() => undefined);
    await rawDb.dropDatabase().catch(() => undefined);
    await handle.close();
    await embedded?.stop();
    if (dataDir && !options.keepData) await rm(dataDir, { recursive: true, force: true });
    closeHttpAgent();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
