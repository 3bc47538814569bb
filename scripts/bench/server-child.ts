import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { ParentMessage, ServerMessage } from './protocol';
import { waitForExit } from '../ferretdb/ferretdb-process';

/** Runs server-process.ts in a child Node process (so its RSS is its own) and speaks to it over IPC. */

export interface ServerChild {
  port: number;
  /** API token per bench username (protocol.ts, benchUsers). */
  tokens: Record<string, string>;
  pid: number;
  engine: string;
  ask<T extends ServerMessage['type']>(message: ParentMessage, reply: T): Promise<Extract<ServerMessage, { type: T }>>;
  tell(message: ParentMessage): void;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 120_000;
const ASK_TIMEOUT_MS = 60_000;


/** Where the child keeps its objects: a throw-away DATA_DIR for the embedded SQLite engine, or a MongoDB database. */
export type ChildStore = { dataDir: string } | { mongodbUri: string; database: string };

export async function startServerChild(options: { store: ChildStore; clients: number; cursorKeys: string; cpuProfDir?: string }): Promise<ServerChild> {
  const nodeArgs = ['--import', 'tsx', '--expose-gc'];
  if (options.cpuProfDir) nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`);
  const child = spawn(process.execPath, [...nodeArgs, join(__dirname, 'server-process.ts')], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: {
      ...process.env,
      ...('dataDir' in options.store ? { BENCH_DATA_DIR: options.store.dataDir } : { BENCH_MONGODB_URI: options.store.mongodbUri, BENCH_DATABASE: options.store.database }),
      BENCH_CLIENTS: String(options.clients),
      BENCH_CURSOR_KEYS: options.cursorKeys,
    },
  });
  const waiters = new Map<string, (message: ServerMessage) => void>();
  child.on('message', (raw: unknown) => {
    const message = raw as ServerMessage;
    const waiter = waiters.get(message.type);
    if (waiter) {
      waiters.delete(message.type);
      waiter(message);
    }
  });
  const waitFor = <T extends ServerMessage['type']>(type: T, ms: number): Promise<Extract<ServerMessage, { type: T }>> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(type);
        reject(new Error(`bench server did not answer '${type}' within ${ms / 1000} s`));
      }, ms);
      const onExit = (code: number | null) => {
        clearTimeout(timer);
        reject(new Error(`bench server exited (code ${code}) while waiting for '${type}'`));
      };
      child.once('exit', onExit);
      waiters.set(type, (message) => {
        clearTimeout(timer);
        child.off('exit', onExit);
        resolve(message as Extract<ServerMessage, { type: T }>);
      });
    });
  const ready = await waitFor('ready', START_TIMEOUT_MS);
  return {
    port: ready.port,
    tokens: ready.tokens,
    pid: ready.pid,
    engine: ready.engine,
    ask(message, reply) {
      const answer = waitFor(reply, ASK_TIMEOUT_MS);
      child.send(message);
      return answer;
    },
    tell(message) {
      child.send(message);
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.send({ type: 'stop' } satisfies ParentMessage);
      if (!(await waitForExit(child, 15_000))) {
        child.kill('SIGKILL');
        await waitForExit(child, 2000);
      }
    },
  };
}
