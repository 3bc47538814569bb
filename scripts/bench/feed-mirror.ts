import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import pino from 'pino';
import { createRuntime } from '../../server/bootstrap';
import { loadAllianceConfig } from '../../server/config/alliance';
import { feedAuthorization } from '../../server/config/feed-credentials';
import { PROJECT_ROOT } from '../../server/config/settings';
import type { AllianceConfig, FeedConfig } from '../../server/config/types';
import { DEFAULT_FEED_POLLER_OPTIONS, FeedPoller } from '../../server/feeds/feed-poller';
import { openSqliteStorage } from '../../server/storage/sqlite/sqlite-storage';
import { TAXII_MEDIA_TYPE } from '../../server/taxii/media-types';
import { waitForExit } from '../ferretdb/ferretdb-process';
import { freePort, positive } from './bench-helpers';

/**
 * `npx tsx scripts/bench/feed-mirror.ts`: how fast a feed mirrors a remote. The remote is a demo
 * server (`server/main.ts --demo`, embedded SQLite, its own process) whose `alliance-indicators`
 * holds the demo fixtures plus the ATT&CK for ICS and Mobile bundles; the mirror is a fresh
 * embedded store in this process, whose `de-bka-ransomware` declares a feed on that collection.
 * Each run times a first poll (everything new), a poll once caught up, and a poll from no cursor
 * (everything a duplicate).
 */

const USER = 'analyst@europol';
const PASSWORD = 'demo-europol-2026';
const REMOTE_COLLECTION = 'e0073b23-5f9d-40cc-81d4-aa6b6a9693dd';
const MIRROR_COLLECTION = 'f4222732-c36e-4dbb-8662-bddae09ef71b';
const BUNDLES = ['ics-attack-18.1.json', 'mobile-attack-17.1.json'];



async function startRemote(): Promise<{ child: ChildProcess; origin: string; dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'taxii-feed-bench-remote-'));
  const port = await freePort();
  // A POST is answered once stored, so the remote holds everything before the first poll.
  const child = spawn(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'server', 'main.ts'), '--demo'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), MONGODB_URI: '', LOG_LEVEL: 'warn', INGEST_ANSWER_WAIT_MS: '600000' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const origin = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 600 && child.exitCode === null; attempt += 1) {
    const answer = await fetch(`${origin}/taxii2/`, { headers: { Accept: TAXII_MEDIA_TYPE, Authorization: basic() } }).catch(() => undefined);
    if (answer?.status === 200) return { child, origin, dataDir };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill('SIGKILL');
  await rm(dataDir, { recursive: true, force: true });
  throw new Error('the remote demo server did not start');
}

function basic(): string {
  return `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
}

async function publishAttack(origin: string): Promise<void> {
  for (const bundle of BUNDLES) {
    const objects = (JSON.parse(await readFile(join(PROJECT_ROOT, 'fixtures', 'real', 'attack', bundle), 'utf8')) as { objects: unknown[] }).objects;
    for (let start = 0; start < objects.length; start += 1000) {
      const answer = await fetch(`${origin}/alliance/collections/${REMOTE_COLLECTION}/objects/`, {
        method: 'POST',
        headers: { Accept: TAXII_MEDIA_TYPE, 'Content-Type': TAXII_MEDIA_TYPE, Authorization: basic() },
        body: JSON.stringify({ objects: objects.slice(start, start + 1000) }),
      });
      if (answer.status !== 202) throw new Error(`publishing ${bundle} answered ${answer.status}`);
    }
  }
}

function withFeed(config: AllianceConfig, feed: FeedConfig): AllianceConfig {
  return { ...config, collections: config.collections.map((collection) => (collection.id === MIRROR_COLLECTION ? { ...collection, feeds: [feed] } : collection)) };
}

interface RunFigures {
  objects: number;
  firstSeconds: number;
  caughtUpSeconds: number;
  replaySeconds: number;
  rejected: number;
}

async function mirrorOnce(origin: string, pageSize: number): Promise<RunFigures> {
  const dataDir = mkdtempSync(join(tmpdir(), 'taxii-feed-bench-mirror-'));
  const storage = openSqliteStorage({ path: dataDir, role: 'server' });
  try {
    const feed: FeedConfig = {
      id: 'bench', url: `${origin}/alliance/collections/${REMOTE_COLLECTION}/`, pollIntervalSeconds: 3600, pageSize,
      auth: { type: 'basic', username: USER, passwordEnv: 'BENCH_PASSWORD' },
    };
    const runtime = await createRuntime(storage, withFeed(await loadAllianceConfig(join(PROJECT_ROOT, 'collections')), feed));
    const secrets = { env: { BENCH_PASSWORD: PASSWORD }, readFile: () => '', baseDir: PROJECT_ROOT };
    const poller = new FeedPoller(runtime.context, storage.feedStates, (declared) => feedAuthorization(declared, secrets), pino({ level: 'silent' }), DEFAULT_FEED_POLLER_OPTIONS);
    const timed = async () => {
      const started = process.hrtime.bigint();
      const outcome = await poller.pollNow('bench');
      if (outcome.kind !== 'polled') throw new Error(`the poll ended as ${outcome.kind}: ${JSON.stringify(outcome)}`);
      return { outcome, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
    };
    const first = await timed();
    const caughtUp = await timed();
    const state = await storage.feedStates.find('bench');
    if (state) {
      delete state.cursor;
      await storage.feedStates.save(state);
    }
    const replay = await timed();
    await poller.stop();
    await runtime.stop();
    return { objects: first.outcome.stored, firstSeconds: first.seconds, caughtUpSeconds: caughtUp.seconds, replaySeconds: replay.seconds, rejected: first.outcome.rejected };
  } finally {
    await storage.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

async function main(): Promise<void> {
  const options = new Command('feed-mirror')
    .description('objects/s of a feed mirroring a demo server holding the ATT&CK bundles')
    .option('--runs <n>', 'mirrors to time (a fresh store each)', positive, 3)
    .option('--page-size <n>', 'the limit asked per page', positive, 1000)
    .parse()
    .opts<{ runs: number; pageSize: number }>();
  const remote = await startRemote();
  try {
    await publishAttack(remote.origin);
    const runs: RunFigures[] = [];
    for (let run = 0; run < options.runs; run += 1) {
      const figures = await mirrorOnce(remote.origin, options.pageSize);
      runs.push(figures);
      process.stdout.write(`run ${run + 1}: ${figures.objects} versions mirrored in ${figures.firstSeconds.toFixed(2)} s (${Math.round(figures.objects / figures.firstSeconds)}/s), ${figures.rejected} rejected; caught up ${(figures.caughtUpSeconds * 1000).toFixed(0)} ms; replay ${figures.replaySeconds.toFixed(2)} s (${Math.round(figures.objects / figures.replaySeconds)}/s)\n`);
    }
    const objects = runs[0]?.objects ?? 0;
    process.stdout.write(`median of ${runs.length}: ${objects} versions, page size ${options.pageSize}; first poll ${Math.round(objects / median(runs.map((run) => run.firstSeconds)))} objects/s; `
      + `caught-up poll ${(median(runs.map((run) => run.caughtUpSeconds)) * 1000).toFixed(0)} ms; replay (all duplicates) ${Math.round(objects / median(runs.map((run) => run.replaySeconds)))} objects/s\n`);
  } finally {
    remote.child.kill('SIGTERM');
    if (!(await waitForExit(remote.child, 30_000))) remote.child.kill('SIGKILL');
    await rm(remote.dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
