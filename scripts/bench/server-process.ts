import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { createApp } from '../../server/app';
import { createRuntime } from '../../server/bootstrap';
import { parseCursorKeys } from '../../server/config/cursor-keys';
import { issueToken } from '../../server/auth/credentials';
import { silentLogger } from '../../server/logging';
import { connectDatabase } from '../../server/storage/mongo/connect';
import { mongoStorageOn } from '../../server/storage/mongo/mongo-storage';
import { openSqliteStorage } from '../../server/storage/sqlite/sqlite-storage';
import type { Storage } from '../../server/storage/storage';
import { benchAlliance, benchUsers, type ParentMessage, type ServerMessage, type StorageTime } from './protocol';

/**
 * The real server, run by `run.ts` as a child process so its RSS is its own: the same
 * createRuntime + createApp as server/main.ts, on the store the parent names (the embedded SQLite
 * engine on a throw-away DATA_DIR, or a MongoDB database), with the bench alliance declared in
 * code and one API token per bench user. Talks to the parent over the IPC channel only.
 */

const MAX_SAMPLES = 200_000;

function send(message: ServerMessage): void {
  process.send?.(message);
}

let storageTime: StorageTime = {};

function account(name: string, started: number): void {
  const entry = (storageTime[name] ??= { count: 0, ms: 0 });
  entry.count += 1;
  entry.ms += performance.now() - started;
}

/**
 * Wraps every method of a repository so its time is accounted under `label.method`. SQLite's
 * calls are synchronous inside the promise they return, so this is the engine's own time; on
 * MongoDB it is the round trip. It tells where a request's time goes: storage, or this process.
 */
function timed<T extends object>(label: string, target: T): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      const value: unknown = Reflect.get(object, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      return (...args: unknown[]): unknown => {
        const started = performance.now();
        const result: unknown = Reflect.apply(value, object, args);
        if (result instanceof Promise) return result.finally(() => account(`${label}.${property}`, started));
        account(`${label}.${property}`, started);
        return result;
      };
    },
  });
}

async function openStorage(): Promise<Storage> {
  const dataDir = process.env.BENCH_DATA_DIR;
  const uri = process.env.BENCH_MONGODB_URI;
  if (dataDir) return openSqliteStorage({ path: dataDir, role: 'server' });
  const databaseName = process.env.BENCH_DATABASE;
  if (!uri || !databaseName) throw new Error('BENCH_DATA_DIR, or BENCH_MONGODB_URI and BENCH_DATABASE, must be set (run through scripts/bench/run.ts)');
  return mongoStorageOn(await connectDatabase(uri, databaseName));
}

async function main(): Promise<void> {
  const config = benchAlliance();
  const opened = await openStorage();
  // The stores are plain objects whose methods close over their connection, so a spread keeps them working.
  const storage: Storage = {
    ...opened,
    objects: timed('objects', opened.objects),
    statuses: timed('statuses', opened.statuses),
    audit: timed('audit', opened.audit),
    credentials: timed('credentials', opened.credentials),
  };
  // The parent opens and reseals page cursors for its checks (run.ts): it must share our key.
  const cursorKeys = process.env.BENCH_CURSOR_KEYS ? parseCursorKeys(process.env.BENCH_CURSOR_KEYS, 'BENCH_CURSOR_KEYS') : undefined;
  const runtime = await createRuntime(storage, config, undefined, cursorKeys);
  const users = benchUsers(Number(process.env.BENCH_CLIENTS ?? '16'));
  const tokens: Record<string, string> = {};
  for (const user of [users.publisher, ...users.partners, ...users.clients]) {
    // Bearer tokens only: a password would cost a scrypt per request and measure that instead.
    await storage.credentials.addUser({ ...user, role: 'member', passwordHash: 'bench:no-password', disabled: false, createdAt: new Date() });
    const issued = issueToken();
    await storage.credentials.addToken({ tokenId: issued.tokenId, username: user.username, secretHash: issued.secretHash, createdAt: new Date(), label: 'bench' });
    tokens[user.username] = issued.token;
  }
  storageTime = {};
  let cpuMark = process.cpuUsage();

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
    } else if (message.type === 'storage-time') {
      const cpu = process.cpuUsage(cpuMark);
      cpuMark = process.cpuUsage();
      send({ type: 'storage-time', byCall: storageTime, cpuMs: (cpu.user + cpu.system) / 1000 });
      storageTime = {};
    } else if (message.type === 'stop') {
      clearInterval(sampler);
      server.closeAllConnections();
      server.close();
      // The ingest worker first, so that it does not write to a closed store.
      void runtime.stop().finally(() => storage.close()).finally(() => {
        send({ type: 'stopped' });
        // A normal exit, so `--cpu-prof` writes its profile.
        process.exit(0);
      });
    }
  });
  process.on('disconnect', () => process.exit(0));

  const { port } = server.address() as AddressInfo;
  send({ type: 'ready', port, tokens, pid: process.pid, engine: storage.engine });
}

main().catch((error: unknown) => {
  process.stderr.write(`bench server: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
