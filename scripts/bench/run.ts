import { Command, InvalidArgumentError } from 'commander';
import { mkdtempSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { MongoClient } from 'mongodb';
import { readSettings, PROJECT_ROOT } from '../../server/config/settings';
import { newCursorKeyLine } from '../../server/config/cursor-keys';
import type { ObjectFilter } from '../../server/taxii/query';
import { ALL_VERSIONS, LATEST_ONLY } from '../../server/taxii/versions';
import { openSqliteFile } from '../../server/storage/sqlite/connection';
import type { PagePosition } from '../../server/taxii/pagination';
import { concurrentMix } from './concurrency';
import { benchIdentity, distinctObjectsIn, ObjectStream, streamLengthFor, unrevisedIndicatorPositions, type BenchObject, type DataKind } from './generate';
import { closeHttpAgent } from './http-client';
import { ensureMedallion, startMedallion } from './medallion';
import { BENCH_API_ROOT, BENCH_COLLECTION_ID, benchUsers, PARTNER_COUNT, partnerCollectionId, SAME_N_COLLECTION_ID } from './protocol';
import { RawDriverEngine } from './raw-driver';
import { RawSqliteEngine, type RawEngine } from './raw-sqlite';
import {
  judgeTargets, memoryFromSamples, renderTable, type BenchResult, type MainFigures, type PartnerFigures, type PartnerView, type RawFigures, type SmallWorkloadFigures,
} from './report';
import { startServerChild, type ChildStore, type ServerChild } from './server-child';
import { ingest, objectsQuery, poll, taxiiTimestamp, timeUrls, timedGet, timing, type IngestFigures, type PollFigures, type TaxiiTarget, type Timing } from './taxii-workload';

/**
 * `npm run bench -- [options]` (`--help` lists them): this server over HTTP on the embedded SQLite
 * engine at 1M objects, the same work on the raw engine, 10 partner collections, and medallion
 * at a smaller N. Never a test: it runs by hand and writes bench-results/<timestamp>.json.
 * Everything stays on 127.0.0.1; every store is throw-away.
 */

interface Options {
  objects: number;
  batch: number;
  pageSize: number;
  latencyPage: number;
  repeats: number;
  incremental: number;
  versioned: number;
  versionsEach: number;
  reposts: number;
  clients: number;
  mixSeconds: number;
  skipPartners: boolean;
  partnerObjects: number;
  partnerPage: number;
  skipMedallion: boolean;
  medallionObjects: number;
  medallionAddedAfter: boolean;
  skipRaw: boolean;
  data: DataKind;
  mongodbUri?: string;
  cpuProf: boolean;
  keepData: boolean;
  out: string;
  rssInterval: number;
}

// Regions of the object stream far apart, so each phase posts objects no other phase posts.
const INCREMENTAL_REGION = 10_000_000;
const REPOST_REGION = 20_000_000;
const MIX_REGION = 30_000_000;
const MIX_REGION_PER_CLIENT = 100_000;

const positive = (value: string): number => {
  const parsed = Number(value.replace(/_/g, ''));
  if (!Number.isSafeInteger(parsed) || parsed <= 0) throw new InvalidArgumentError('must be a positive integer');
  return parsed;
};

function parseOptions(argv: string[]): Options {
  const program = new Command('bench')
    .description('TAXII server benchmark: this server over HTTP (embedded SQLite, or --mongodb-uri) vs the raw engine vs medallion')
    .option('-n, --objects <n>', 'distinct objects in the main collection (about 5% more versions are posted)', positive, 1_000_000)
    .option('--batch <n>', 'objects per POST envelope (and per raw transaction)', positive, 1000)
    .option('--page-size <n>', 'limit of each page (full poll, page latency, added_after)', positive, 1000)
    .option('--latency-page <n>', 'the later page of the latency test, reached through real next cursors', positive, 1000)
    .option('--repeats <n>', 'timed requests per measured URL', positive, 10)
    .option('--incremental <n>', 'objects posted and then read back with added_after', positive, 1000)
    .option('--versioned <n>', 'objects given several versions for the versions endpoint test', positive, 100)
    .option('--versions-each <n>', 'new versions posted for each of them', positive, 10)
    .option('--reposts <n>', 'envelopes posted twice (first post vs re-post)', positive, 10)
    .option('--clients <n>', 'concurrent clients, each a different user', positive, 16)
    .option('--mix-seconds <n>', 'how long the concurrent clients run', positive, 30)
    .option('--skip-partners', 'skip the 10 partner collections', false)
    .option('--partner-objects <n>', 'distinct objects in each partner collection', positive, 100_000)
    .option('--partner-page <n>', "the later page of a partner's latency test", positive, 100)
    .option('--skip-medallion', 'skip medallion', false)
    .option('--medallion-objects <n>', "medallion's N (its memory backend filters the whole collection in Python on every read, so its reads grow faster than N)", positive, 3000)
    .option('--medallion-added-after', "also time medallion's added_after poll (50 s at N = 1,000, minutes at 3,000)", false)
    .option('--skip-raw', 'skip the raw engine', false)
    .option('--data <kind>', "'synthetic' (indicators, SCOs, relationships, malware) or 'attack' (ATT&CK bundles, ids remapped per copy)", 'synthetic')
    .option('--mongodb-uri <uri>', 'run the server (and the raw engine) on this MongoDB instead of the embedded SQLite (databases bench_* are created and dropped)')
    .option('--cpu-prof', 'write a V8 CPU profile of the server process to <out>/profiles/', false)
    .option('--keep-data', 'keep the throw-away SQLite data directories', false)
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
const count = (value: number) => value.toLocaleString('en-US');
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Envelope = { body: string; count: number };

function* envelopes(stream: ObjectStream, start: number, end: number, batch: number): Generator<Envelope> {
  for (let at = start; at < end; at += batch) {
    const objects = stream.batch(at, Math.min(end, at + batch), end);
    yield { body: JSON.stringify({ objects: objects.map((object) => object.stix) }), count: objects.length };
  }
}

function* batches(stream: ObjectStream, start: number, end: number, batch: number): Generator<BenchObject[]> {
  for (let at = start; at < end; at += batch) yield stream.batch(at, Math.min(end, at + batch), end);
}

function envelopeOf(objects: BenchObject[]): Envelope {
  return { body: JSON.stringify({ objects: objects.map((object) => object.stix) }), count: objects.length };
}

/** How many objects of a region are the latest version of their object once the region is posted. */
function latestIn(stream: ObjectStream, start: number, length: number): number {
  let latest = 0;
  for (let i = start; i < start + length; i += 1) if (!stream.at(i, start + length).superseded) latest += 1;
  return latest;
}

function meanBytes(stream: ObjectStream, length: number): number {
  const sample = stream.batch(0, Math.min(length, 10_000), length);
  return sample.reduce((sum, object) => sum + JSON.stringify(object.stix).length, 0) / Math.max(1, sample.length);
}

/** The figures of a poll without the `next` tokens it kept for later requests. */
function withoutCursors(figures: PollFigures & { nextTo?: Record<number, string> }): PollFigures {
  const copy = { ...figures };
  delete copy.nextTo;
  return copy;
}

function progress(label: string, total: number): (objects: number, seconds: number) => void {
  let shown = 0;
  return (objects, seconds) => {
    if (objects - shown < 100_000 && objects < total) return;
    shown = objects;
    say(`    ${label}: ${count(objects)} / ${count(total)} objects, ${count(Math.round(objects / seconds))}/s`);
  };
}

function targetFor(port: number, collectionId: string, token: string, name = 'TAS'): TaxiiTarget {
  return { name, objectsUrl: `http://127.0.0.1:${port}/${BENCH_API_ROOT}/collections/${collectionId}/objects/`, authorization: `Bearer ${token}`, replayableCursors: true };
}

function tokenOf(server: ServerChild, username: string): string {
  const token = server.tokens[username];
  if (!token) throw new Error(`the bench server issued no token for ${username}`);
  return token;
}

/**
 * Our server and medallion get the same small workload: ingest N, read it all back through
 * `next`, post `incremental` more and read them with added_after (through `next` too).
 */
async function smallWorkload(target: TaxiiTarget, stream: ObjectStream, objects: number, options: Options, withAddedAfter: boolean): Promise<SmallWorkloadFigures> {
  const length = streamLengthFor(stream.kind, objects);
  await ingest(target, [{ body: JSON.stringify({ objects: [benchIdentity()] }), count: 1 }]);
  const ingested = await ingest(target, envelopes(stream, 0, length, options.batch));
  say(`  [${target.name}] ingest ${count(Math.round(ingested.objectsPerSecond))} objects/s; full poll...`);
  const fullPoll = await poll(target, { limit: String(options.pageSize) }, Math.ceil(length / options.pageSize) + 10);
  say(`  [${target.name}] full poll ${count(Math.round(fullPoll.objectsPerSecond))} objects/s (${fullPoll.pages} pages)`);
  if (!withAddedAfter) return { objects: distinctObjectsIn(stream.kind, length) + 1, versions: length + 1, ingest: ingested, fullPoll: withoutCursors(fullPoll) };
  const after = taxiiTimestamp(Date.now() * 1000);
  await delay(5);
  await ingest(target, envelopes(stream, INCREMENTAL_REGION, INCREMENTAL_REGION + options.incremental, options.batch));
  const added = await poll(target, { added_after: after, limit: String(options.pageSize) }, Math.ceil(options.incremental / options.pageSize) + 10);
  say(`  [${target.name}] added_after ${added.objects} objects in ${(added.seconds * 1000).toFixed(1)} ms`);
  return {
    objects: distinctObjectsIn(stream.kind, length) + 1,
    versions: length + 1,
    ingest: ingested,
    fullPoll: withoutCursors(fullPoll),
    addedAfter: { ...withoutCursors(added), expected: latestIn(stream, INCREMENTAL_REGION, options.incremental) },
  };
}

async function mainStore(server: ServerChild, stream: ObjectStream, options: Options, sameNStream: ObjectStream): Promise<{ main: MainFigures; sameN?: SmallWorkloadFigures; revisions: BenchObject[][]; addedAfterExpected: number }> {
  const users = benchUsers(options.clients);
  const publisher = tokenOf(server, users.publisher.username);
  const target = targetFor(server.port, BENCH_COLLECTION_ID, publisher);
  const storageTime: MainFigures['storageTime'] = {};
  const serverCpuMs: MainFigures['serverCpuMs'] = {};
  const phaseDone = async (phase: string) => {
    const answer = await server.ask({ type: 'storage-time' }, 'storage-time');
    storageTime[phase] = answer.byCall;
    serverCpuMs[phase] = answer.cpuMs;
  };
  await phaseDone('start');

  const length = streamLengthFor(stream.kind, options.objects);
  say(`  (a) ingest of ${count(options.objects)} objects (${count(length)} versions) in envelopes of ${options.batch}...`);
  await ingest(target, [{ body: JSON.stringify({ objects: [benchIdentity()] }), count: 1 }]);
  const wallStarted = performance.now();
  const ingested = await ingest(target, envelopes(stream, 0, length, options.batch), { keepRequestMs: true, progress: progress('ingest', length) });
  const wallSeconds = (performance.now() - wallStarted) / 1000;
  const requestMs = ingested.requestMs ?? [];
  const perSecond = (slice: number[], objects: number) => (objects * 1000) / slice.reduce((a, b) => a + b, 0);
  const tenK = Math.max(1, Math.round(10_000 / options.batch));
  const ingestFigures: IngestFigures = { ...ingested };
  delete ingestFigures.requestMs;
  await phaseDone('ingest');

  say(`  (b, e) full poll at limit ${options.pageSize} through next, server RSS sampled...`);
  const before = await server.ask({ type: 'gc' }, 'memory');
  server.tell({ type: 'rss-start', intervalMs: options.rssInterval });
  const fullPoll = await poll(target, { limit: String(options.pageSize) }, Math.ceil(length / options.pageSize) + 10, {
    capturePages: [options.latencyPage],
    progress: (pages, objects) => {
      if (pages % 200 === 0) say(`    poll: ${count(pages)} pages, ${count(objects)} objects`);
    },
  });
  const { samples } = await server.ask({ type: 'rss-stop' }, 'rss');
  const after = await server.ask({ type: 'gc' }, 'memory');
  const memory = {
    ...memoryFromSamples(samples, before.rss, `process.memoryUsage().rss inside the server child every ${options.rssInterval} ms`),
    heapAfterGcBeforeBytes: before.heapUsed,
    heapAfterGcAfterBytes: after.heapUsed,
    rssAfterGcBytes: after.rss,
  };
  await phaseDone('full poll');
  say(`    ${count(Math.round(fullPoll.objectsPerSecond))} objects/s over ${fullPoll.pages} pages`);

  const laterNext = fullPoll.nextTo[options.latencyPage];
  if (!laterNext) throw new Error(`the listing has fewer than ${options.latencyPage} pages of ${options.pageSize}: raise --objects or lower --latency-page`);
  const pageUrls = [objectsQuery(target, { limit: String(options.pageSize) }), objectsQuery(target, { limit: String(options.pageSize), next: laterNext })];
  const [first, later] = await timeUrls(target, pageUrls, options.repeats, (index, page) => {
    if ((page.objects?.length ?? 0) !== options.pageSize) throw new Error(`page ${index === 0 ? 1 : options.latencyPage} held ${page.objects?.length} objects`);
  });
  if (!first || !later) throw new Error('no page latency');
  await phaseDone('page latency');
  say(`  (b) page 1 ${first.median.toFixed(1)} ms, page ${options.latencyPage} ${later.median.toFixed(1)} ms`);

  say(`  (d) ${options.versionsEach} new versions for each of ${options.versioned} objects, then their versions...`);
  const revisions = unrevisedIndicatorPositions(options.versioned, length).map((i) => stream.revisions(i, options.versionsEach));
  const flat = revisions.flat();
  for (let at = 0; at < flat.length; at += options.batch) await ingest(target, [envelopeOf(flat.slice(at, at + options.batch))]);
  const ids = revisions.map((group) => String(group[0]?.stix.id));
  const versionsMs: number[] = [];
  const objectMs: number[] = [];
  for (const id of ids) await timedGet(target, `${target.objectsUrl}${id}/versions/`);
  for (let round = 0; round < 3; round += 1) {
    for (const id of ids) {
      const versions = await timedGet(target, `${target.objectsUrl}${id}/versions/`);
      if ((versions.page.versions?.length ?? 0) < options.versionsEach + 1) throw new Error(`${id} has ${versions.page.versions?.length} versions`);
      versionsMs.push(versions.ms);
      objectMs.push((await timedGet(target, `${target.objectsUrl}${id}/`)).ms);
    }
  }
  await phaseDone('versions of one object');

  say(`  (c) ${options.incremental} new objects, then added_after...`);
  const addedAfter = taxiiTimestamp(Date.now() * 1000);
  await delay(5);
  await ingest(target, envelopes(stream, INCREMENTAL_REGION, INCREMENTAL_REGION + options.incremental, options.batch));
  const addedAfterExpected = Math.min(options.pageSize, latestIn(stream, INCREMENTAL_REGION, options.incremental));
  const [addedMs] = await timeUrls(target, [objectsQuery(target, { added_after: addedAfter, limit: String(options.pageSize) })], options.repeats, (_index, page) => {
    if ((page.objects?.length ?? 0) !== addedAfterExpected) throw new Error(`added_after returned ${page.objects?.length} objects, expected ${addedAfterExpected}`);
  });
  if (!addedMs) throw new Error('no added_after timing');
  await phaseDone('added_after');

  say(`  (h) ${options.reposts} envelopes posted twice...`);
  const firstMs: number[] = [];
  const againMs: number[] = [];
  let alreadyHeld = 0;
  for (let k = 0; k < options.reposts; k += 1) {
    const start = REPOST_REGION + k * options.batch;
    const envelope = envelopeOf(stream.batch(start, start + options.batch, REPOST_REGION + options.reposts * options.batch));
    firstMs.push((await ingest(target, [envelope])).seconds * 1000);
    const again = await ingest(target, [envelope]);
    againMs.push(again.seconds * 1000);
    alreadyHeld += again.alreadyHeld ?? 0;
  }
  await phaseDone('re-post');

  say(`  (f) ${options.clients} concurrent clients for ${options.mixSeconds} s...`);
  const mix = await concurrentMix({
    objectsUrl: target.objectsUrl,
    clients: users.clients.map((user) => ({ username: user.username, token: tokenOf(server, user.username) })),
    seconds: options.mixSeconds,
    addedAfter,
    envelope: (client, n) => {
      const start = MIX_REGION + client * MIX_REGION_PER_CLIENT + n * 10;
      return JSON.stringify({ objects: stream.batch(start, start + 10, start + 10).map((object) => object.stix) });
    },
  });
  await phaseDone('concurrent clients');
  say(`    p50 ${mix.p50Ms.toFixed(1)} ms, p99 ${mix.p99Ms.toFixed(1)} ms, ${mix.errors} errors, ${count(mix.requests)} requests`);
  for (const sample of mix.errorSamples) say(`    error: ${sample}`);

  // After the other phases, so the figure is a warm server's, as medallion's is (CPython has no JIT to warm).
  let sameN: SmallWorkloadFigures | undefined;
  if (!options.skipMedallion) {
    say(`  (g) medallion's workload at its N (${count(options.medallionObjects)} objects, a collection of its own):`);
    sameN = await smallWorkload(targetFor(server.port, SAME_N_COLLECTION_ID, publisher), sameNStream, options.medallionObjects, options, true);
    await phaseDone('same N as medallion');
  }

  const firstTiming = timing(firstMs);
  const againTiming = timing(againMs);
  return {
    sameN,
    revisions,
    addedAfterExpected,
    main: {
      engine: server.engine,
      objects: distinctObjectsIn(stream.kind, length) + 1,
      versions: length + 1,
      meanObjectBytes: meanBytes(stream, length),
      ingest: {
        ...ingestFigures,
        wallSeconds,
        first10kObjectsPerSecond: perSecond(requestMs.slice(0, tenK), tenK * options.batch),
        last10kObjectsPerSecond: perSecond(requestMs.slice(-tenK), tenK * options.batch),
      },
      fullPoll: withoutCursors(fullPoll),
      memory,
      pageLatency: {
        limit: options.pageSize,
        page: options.latencyPage,
        first,
        later,
        ratio: later.median / first.median,
        inPollFirstMs: fullPoll.pageMs[0] ?? NaN,
        inPollLaterMs: fullPoll.pageMs[options.latencyPage - 1] ?? NaN,
      },
      versionsOfOne: { objects: ids.length, versionsEach: options.versionsEach, versionsMs: timing(versionsMs), objectMs: timing(objectMs) },
      addedAfter: { objects: addedAfterExpected, ms: addedMs },
      repost: { envelopes: options.reposts, objectsEach: options.batch, firstMs: firstTiming, againMs: againTiming, ratio: againTiming.median / firstTiming.median, alreadyHeld },
      concurrency: mix,
      storageTime,
      serverCpuMs,
    },
  };
}

/** The raw engine does what the server's storage does for the same phases, with the same rows and SELECTs. */
async function rawEngine(raw: RawEngine, stream: ObjectStream, options: Options, revisions: BenchObject[][], addedAfterExpected: number): Promise<RawFigures> {
  const length = streamLengthFor(stream.kind, options.objects);
  const latest: ObjectFilter = { versions: LATEST_ONLY };
  await raw.ingest([[{ stix: benchIdentity(), superseded: false }]]);
  const cpuBeforeIngest = process.cpuUsage();
  say(`  ingest of ${count(length)} versions in transactions of ${options.batch}...`);
  const ingested = await raw.ingest(batches(stream, 0, length, options.batch));
  // The SQLite engine runs in this process, so its CPU is this process's (the object stream's generation included).
  const cpuAfterIngest = process.cpuUsage(cpuBeforeIngest);
  say(`    ${count(Math.round(ingested.objectsPerSecond))} objects/s; keyset pages...`);
  let after: PagePosition | undefined;
  let beforeLater: PagePosition | undefined;
  const pageMs: number[] = [];
  let objects = 0;
  for (let page = 1; page <= Math.ceil(length / options.pageSize) + 10; page += 1) {
    if (page === options.latencyPage) beforeLater = after;
    const result = await raw.page(latest, options.pageSize, after);
    pageMs.push(result.ms);
    objects += result.count;
    if (!result.more || !result.last) break;
    after = result.last;
  }
  const seconds = pageMs.reduce((a, b) => a + b, 0) / 1000;
  const keysetPoll = { objects, pages: pageMs.length, bytes: 0, seconds, objectsPerSecond: objects / seconds, pageMs: [] };
  if (!beforeLater) throw new Error(`raw: fewer than ${options.latencyPage} pages`);
  const repeat = async (run: () => Promise<number>): Promise<Timing> => {
    await run();
    const values: number[] = [];
    for (let i = 0; i < options.repeats; i += 1) values.push(await run());
    return timing(values);
  };
  const laterAfter = beforeLater;
  const firstValues: number[] = [];
  const laterValues: number[] = [];
  await raw.page(latest, options.pageSize);
  await raw.page(latest, options.pageSize, laterAfter);
  for (let i = 0; i < options.repeats; i += 1) {
    firstValues.push((await raw.page(latest, options.pageSize)).ms);
    laterValues.push((await raw.page(latest, options.pageSize, laterAfter)).ms);
  }
  const first = timing(firstValues);
  const later = timing(laterValues);
  say(`    keyset ${count(Math.round(keysetPoll.objectsPerSecond))} objects/s; page 1 ${first.median.toFixed(1)} ms, page ${options.latencyPage} ${later.median.toFixed(1)} ms`);
  await raw.addVersions(revisions);
  const versionValues: number[] = [];
  for (let round = 0; round < 3; round += 1) {
    for (const group of revisions) versionValues.push((await raw.page({ versions: ALL_VERSIONS, ids: [String(group[0]?.stix.id)] }, options.pageSize)).ms);
  }
  const addedAfterMicros = raw.nowMicros();
  await raw.ingest(batches(stream, INCREMENTAL_REGION, INCREMENTAL_REGION + options.incremental, options.batch));
  const addedMs = await repeat(async () => {
    const result = await raw.page({ ...latest, addedAfter: addedAfterMicros }, options.pageSize);
    if (result.count !== addedAfterExpected) throw new Error(`raw added_after returned ${result.count}, expected ${addedAfterExpected}`);
    return result.ms;
  });
  return {
    engine: raw.description,
    ingest: ingested,
    ingestCpuSecondsWithGeneration: (cpuAfterIngest.user + cpuAfterIngest.system) / 1e6,
    keysetPoll,
    pageLatency: { limit: options.pageSize, page: options.latencyPage, first, later, ratio: later.median / first.median },
    versionsOfOneMs: timing(versionValues),
    addedAfter: { objects: addedAfterExpected, ms: addedMs },
  };
}

async function partnerStore(server: ServerChild, options: Options, data: DataKind, storeRows: () => Promise<number>): Promise<PartnerFigures> {
  const users = benchUsers(options.clients);
  const partnerTarget = (k: number) => targetFor(server.port, partnerCollectionId(k), tokenOf(server, users.partners[k]?.username ?? ''), `partner ${k}`);
  const streamOf = (k: number) => new ObjectStream(data, `partner-${k}`, join(PROJECT_ROOT, 'fixtures', 'real'));
  const length = streamLengthFor(data, options.partnerObjects);
  const load = async (k: number) => {
    const target = partnerTarget(k);
    await ingest(target, [{ body: JSON.stringify({ objects: [benchIdentity()] }), count: 1 }]);
    const figures = await ingest(target, envelopes(streamOf(k), 0, length, options.batch));
    say(`    partner ${k}: ${count(Math.round(figures.objectsPerSecond))} objects/s`);
    return figures;
  };
  const target = partnerTarget(0);
  say(`  partner 0 alone: ${count(options.partnerObjects)} objects...`);
  const firstPartnerIngest = await load(0);
  const addedAfter = taxiiTimestamp(Date.now() * 1000);
  await delay(5);
  await ingest(target, envelopes(streamOf(0), INCREMENTAL_REGION, INCREMENTAL_REGION + options.incremental, options.batch));
  const walk = await poll(target, { limit: String(options.pageSize) }, Math.ceil(length / options.pageSize) + 10, { capturePages: [options.partnerPage] });
  const laterNext = walk.nextTo[options.partnerPage];
  if (!laterNext) throw new Error(`partner 0 has fewer than ${options.partnerPage} pages`);
  const limit = String(options.pageSize);
  const urls = [
    objectsQuery(target, { limit }),
    objectsQuery(target, { limit, next: laterNext }),
    objectsQuery(target, { added_after: addedAfter, limit }),
    objectsQuery(target, { 'match[type]': 'indicator', limit }),
  ];
  const measure = async (): Promise<PartnerView> => {
    const [page1, pageK, added, typePage] = await timeUrls(target, urls, options.repeats);
    if (!page1 || !pageK || !added || !typePage) throw new Error('partner timings missing');
    return { page1, pageK, addedAfter: added, typePage, storeObjects: await storeRows() };
  };
  const alone = await measure();
  say(`    alone: page 1 ${alone.page1.median.toFixed(1)} ms, page ${options.partnerPage} ${alone.pageK.median.toFixed(1)} ms`);
  say(`  partners 1..${PARTNER_COUNT - 1}: ${count(options.partnerObjects)} objects each...`);
  let lastPartnerIngest = firstPartnerIngest;
  for (let k = 1; k < PARTNER_COUNT; k += 1) lastPartnerIngest = await load(k);
  const shared = await measure();
  say(`    with the others: page 1 ${shared.page1.median.toFixed(1)} ms, page ${options.partnerPage} ${shared.pageK.median.toFixed(1)} ms`);
  return { partners: PARTNER_COUNT, objectsEach: options.partnerObjects, page: options.partnerPage, alone, shared, firstPartnerIngest, lastPartnerIngest };
}

/** Which code was measured: the commit, and the files that differed from it. */
function sourceState(): { gitHead?: string; uncommittedFiles?: string[] } {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: PROJECT_ROOT, encoding: 'utf8' }).trim();
    return { gitHead: git('rev-parse', 'HEAD'), uncommittedFiles: git('status', '--porcelain', '--untracked-files=no').split('\n').filter(Boolean) };
  } catch {
    return {};
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv);
  const loadAtStart = loadavg();
  // Read now: the child processes load the code as it is at their start, and a shared tree may change meanwhile.
  const source = sourceState();
  const settings = readSettings();
  const startedAt = new Date();
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  const realData = join(PROJECT_ROOT, 'fixtures', 'real');
  const stream = new ObjectStream(options.data, 'bench', realData);
  await mkdir(options.out, { recursive: true });
  const databasePrefix = `bench_${stamp.replace(/-/g, '_').slice(0, 19)}`;
  const mongo = options.mongodbUri ? new MongoClient(options.mongodbUri, { serverSelectionTimeoutMS: 10_000 }) : undefined;
  const scratch: string[] = [];
  const storeFor = (name: string): ChildStore => {
    if (options.mongodbUri) return { mongodbUri: options.mongodbUri, database: `${databasePrefix}_${name}` };
    const dataDir = mkdtempSync(join(tmpdir(), `tas-bench-${name}-`));
    scratch.push(dataDir);
    return { dataDir };
  };
  const engine = options.mongodbUri ? `MongoDB at ${options.mongodbUri}` : 'embedded SQLite (better-sqlite3, WAL, synchronous=FULL), throw-away DATA_DIR';
  say(`Engine: ${engine}; ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; load average ${loadAtStart.map((load) => load.toFixed(1)).join(' ')}`);
  const medallionWork = join(tmpdir(), `tas-bench-medallion-${stamp}`);
  const cursorKeys = newCursorKeyLine();
  const cpuProfDir = options.cpuProf ? join(options.out, 'profiles') : undefined;

  try {
    await mongo?.connect();
    // 1. Our server over HTTP, in a child process whose RSS is its own.
    const mainServer = await startServerChild({ store: storeFor('main'), clients: options.clients, cursorKeys, cpuProfDir });
    let mainRun: Awaited<ReturnType<typeof mainStore>>;
    try {
      say(`Our server, main store (child pid ${mainServer.pid}, 127.0.0.1:${mainServer.port}, ${mainServer.engine}, API tokens):`);
      mainRun = await mainStore(mainServer, stream, options, new ObjectStream(options.data, 'same-n', realData));
    } finally {
      await mainServer.stop();
    }
    await Promise.all(scratch.splice(0).map((dir) => (options.keepData ? undefined : rm(dir, { recursive: true, force: true }))));

    // 2. The raw engine: the same rows and SELECTs without the server.
    let raw: RawFigures | undefined;
    if (!options.skipRaw) {
      say('Raw engine:');
      const rawDir = mkdtempSync(join(tmpdir(), 'tas-bench-raw-'));
      const engineHandle: RawEngine = mongo ? await RawDriverEngine.open(mongo.db(`${databasePrefix}_raw`), BENCH_COLLECTION_ID) : new RawSqliteEngine(join(rawDir, 'raw.sqlite'), BENCH_COLLECTION_ID);
      try {
        raw = await rawEngine(engineHandle, stream, options, mainRun.revisions, mainRun.addedAfterExpected);
      } finally {
        await engineHandle.close();
        await rm(rawDir, { recursive: true, force: true });
      }
    }

    // 3. Ten partner collections in a store of their own.
    let partners: BenchResult['partners'] = { skipped: 'not asked for (--skip-partners)' };
    if (!options.skipPartners) {
      const store = storeFor('partners');
      const partnerServer = await startServerChild({ store, clients: options.clients, cursorKeys });
      try {
        say(`Our server, partner store (child pid ${partnerServer.pid}):`);
        const rows = async () => {
          if ('dataDir' in store) {
            const db = openSqliteFile(join(store.dataDir, 'taxii.sqlite'));
            try {
              return Number(db.prepare('SELECT COUNT(*) AS n FROM object_versions').pluck().get());
            } finally {
              db.close();
            }
          }
          return mongo ? mongo.db(store.database).collection('objects').estimatedDocumentCount() : NaN;
        };
        partners = await partnerStore(partnerServer, options, options.data, rows);
      } finally {
        await partnerServer.stop();
      }
      await Promise.all(scratch.splice(0).map((dir) => (options.keepData ? undefined : rm(dir, { recursive: true, force: true }))));
    }

    // 4. medallion over HTTP, memory backend, at its N.
    let medallionFigures: BenchResult['medallion'] = { skipped: 'not asked for (--skip-medallion)' };
    if (!options.skipMedallion) {
      try {
        const executable = await ensureMedallion(settings.toolsDir, say);
        const medallion = await startMedallion(executable, medallionWork, options.pageSize);
        try {
          say(`medallion ${medallion.version} (pid ${medallion.pid}, memory backend), ${count(options.medallionObjects)} objects:`);
          const figures = await smallWorkload(medallion.target, new ObjectStream(options.data, 'same-n', realData), options.medallionObjects, options, options.medallionAddedAfter);
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
      finishedAt: new Date().toISOString(),
      command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
      options: { ...options },
      environment: {
        node: process.version,
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model,
        memoryBytes: totalmem(),
        // The machine may be shared: a load above the core count means the figures include waiting for a core (or a disk).
        loadAverageAtStart: loadAtStart,
        loadAverageAtEnd: loadavg(),
        ...source,
        engine,
        serverProcess: 'child process (scripts/bench/server-process.ts: createRuntime + createApp, as server/main.ts), API token auth',
        client: 'sequential keep-alive HTTP client (node:http) in the parent process, JSON.parse of every response (but not in the concurrent mix)',
      },
      main: mainRun.main,
      ...(raw ? { raw } : {}),
      ...(mainRun.sameN ? { sameN: mainRun.sameN } : {}),
      medallion: medallionFigures,
      partners,
    };
    const result: BenchResult = { ...partial, targets: judgeTargets(partial) };
    const file = join(options.out, `${stamp}.json`);
    await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
    say('');
    say(`${result.command}  (${engine}; ${options.data} data; ${((Date.now() - startedAt.getTime()) / 60_000).toFixed(1)} minutes; load average at start ${loadAtStart[0]?.toFixed(1)}, at end ${loadavg()[0]?.toFixed(1)})`);
    say('');
    say(renderTable(result));
    say('');
    say(`Result written to ${file}`);
  } finally {
    await rm(medallionWork, { recursive: true, force: true });
    if (!options.keepData) await Promise.all(scratch.map((dir) => rm(dir, { recursive: true, force: true })));
    if (mongo) {
      const { databases } = await mongo.db('admin').admin().listDatabases();
      for (const database of databases) if (database.name.startsWith(databasePrefix)) await mongo.db(database.name).dropDatabase().catch(() => undefined);
      await mongo.close();
    }
    closeHttpAgent();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
