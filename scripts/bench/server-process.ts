import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../server/app';
import { createRuntime } from '../../server/bootstrap';
import { parseCursorKeys } from '../../server/config/cursor-keys';
import { hashPassword, issueToken } from '../../server/auth/credentials';
import { silentLogger } from '../../server/logging';
import { MongoClient } from 'mongodb';
import { mongoStorageOn } from '../../server/storage/mongo/mongo-storage';
import { BENCH_COLLECTION_ID, BENCH_PASSWORD, BENCH_USER, benchAlliance, type DbTime, type ServerMessage, type ParentMessage } from './protocol';

/**
 * The real server, run by `run.ts` as a child process so its RSS is its own: the same
 * createRuntime + createApp as server/main.ts, on the database the parent names, with an
 * alliance declared in code (one API root, one collection, one organisation) and one user
 * holding a password and an API token. Talks to the parent over the IPC channel only.
 */

const MAX_SAMPLES = 200_000;

function send(message: ServerMessage): void {
  process.send?.(message);
}

async function main(): Promise<void> {
  const uri = process.env.BENCH_MONGODB_URI;
  const databaseName = process.env.BENCH_DATABASE;
  if (!uri || !databaseName) throw new Error('BENCH_MONGODB_URI and BENCH_DATABASE must be set (run through scripts/bench/run.ts)');
  const config = benchAlliance();
  // The options of server/storage/mongo/connect.ts plus command monitoring, which tells where a
  // request's time goes: in the database or in this process.
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 10_000, retryWrites: false, monitorCommands: true });
  await client.connect();
  const handle = { client, db: client.db(databaseName), close: () => client.close() };
  let dbTime: DbTime = {};
  const account = (event: { commandName: string; duration: number }) => {
    const entry = (dbTime[event.commandName] ??= { count: 0, ms: 0 });
    entry.count += 1;
    entry.ms += event.duration;
  };
  handle.client.on('commandSucceeded', account);
  handle.client.on('commandFailed', account);
  // The parent forges cursors to seek (run.ts, seekThroughDatabase): it must seal them with our key.
  const cursorKeys = process.env.BENCH_CURSOR_KEYS ? parseCursorKeys(process.env.BENCH_CURSOR_KEYS, 'BENCH_CURSOR_KEYS') : undefined;
  const storage = mongoStorageOn(handle);
  const runtime = await createRuntime(storage, config, undefined, cursorKeys);
  // The production scrypt cost, so a Basic-auth run shows what Basic costs per request.
  await storage.credentials.addUser({
    username: BENCH_USER,
    organisation: 'bench-org',
    role: 'member',
    passwordHash: await hashPassword(BENCH_PASSWORD),
    disabled: false,
    createdAt: new Date(),
  });
  const issued = issueToken();
  await storage.credentials.addToken({ tokenId: issued.tokenId, username: BENCH_USER, secretHash: issued.secretHash, createdAt: new Date(), label: 'bench' });

  const app = createApp({ context: runtime.context, credentials: storage.credentials, logger: silentLogger(), checkDatabase: runtime.checkDatabase });
  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });

  let samples: number[] = [];
  let sampler: NodeJS.Timeout | undefined;
  const gc = (globalThis as { gc?: () => void }).gc;

  process.on('message', (raw: unknown) => {
    const message = raw as ParentMessage;
    if (message.type === 'rss-start') {
      samples = [process.memoryUsage().rss];
      clearInterval(sampler);
      sampler = setInterval(() => {
        if (samples.length < MAX_SAMPLES) samples.push(process.memoryUsage().rss);
      }, message.intervalMs);
    } else if (message.type === 'rss-stop') {
      clearInterval(sampler);
      sampler = undefined;
      samples.push(process.memoryUsage().rss);
      send({ type: 'rss', samples });
      samples = [];
    } else if (message.type === 'gc') {
      gc?.();
      send({ type: 'memory', rss: process.memoryUsage().rss, heapUsed: process.memoryUsage().heapUsed, gcExposed: gc !== undefined });
    } else if (message.type === 'db-time') {
      send({ type: 'db-time', byCommand: dbTime });
      dbTime = {};
    } else if (message.type === 'stop') {
      clearInterval(sampler);
      server.closeAllConnections();
      server.close();
      void handle.close().finally(() => {
        send({ type: 'stopped' });
        // A normal exit, so `--cpu-prof` writes its profile.
        process.exit(0);
      });
    }
  });
  process.on('disconnect', () => process.exit(0));

  const { port } = server.address() as AddressInfo;
  send({ type: 'ready', port, token: issued.token, collectionId: BENCH_COLLECTION_ID, pid: process.pid });
}

main().catch((error: unknown) => {
  process.stderr.write(`bench server: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
