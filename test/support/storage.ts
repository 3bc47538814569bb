import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectDatabase } from '../../server/storage/mongo/connect';
import { mongoStorageOn } from '../../server/storage/mongo/mongo-storage';
import { openSqliteStorage } from '../../server/storage/sqlite/sqlite-storage';
import type { Storage, StorageEngine } from '../../server/storage/storage';

/** The engine the HTTP and service tests run on: SQLite, the embedded default, unless TEST_STORAGE=mongodb. */
export function defaultTestEngine(): StorageEngine {
  return process.env.TEST_STORAGE === 'mongodb' ? 'mongodb' : 'sqlite';
}

export function mongoAvailable(): boolean {
  return Boolean(process.env.TEST_MONGODB_URI);
}

function safeLabel(label: string): string {
  return label.replace(/[^a-z0-9]/gi, '_').slice(0, 30);
}

/** A test store, plus the environment that points a child process (the admin CLI, a server) at it. */
export interface TestStorage extends Storage {
  childEnv: Record<string, string>;
}

/**
 * A store of its own for one test file, so files run in parallel: a SQLite file in a fresh temp
 * directory, or a fresh database on the MongoDB-protocol server the global set-up started. Its
 * `close()` also deletes what it created.
 */
export async function openTestStorage(label: string, engine: StorageEngine = defaultTestEngine()): Promise<TestStorage> {
  if (engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), `taxii-${safeLabel(label)}-`));
    const storage = openSqliteStorage({ path: dir, role: 'server' });
    return {
      ...storage,
      childEnv: { DATA_DIR: dir, MONGODB_URI: '' },
      async close() {
        await storage.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const uri = process.env.TEST_MONGODB_URI;
  if (!uri) throw new Error('TEST_MONGODB_URI is not set: run the tests through jest so the global set-up starts FerretDB');
  const databaseName = `t_${safeLabel(label)}_${randomBytes(4).toString('hex')}`;
  const handle = await connectDatabase(uri, databaseName);
  // Short leases so a test of a dead writer does not wait 30 s.
  const storage = mongoStorageOn(handle, { leaseMs: 3_000, renewMs: 500, retryMs: 10 });
  return {
    ...storage,
    childEnv: { MONGODB_URI: uri, MONGODB_DATABASE: databaseName },
    async close() {
      await storage.audit.query({ limit: 1 }); // writes any buffered read records before the drop, not into a dropped database
      await handle.db.dropDatabase();
      await handle.close();
    },
  };
}

/**
 * Runs the same tests once per engine: the repository contract that keeps SQLite and the MongoDB
 * adapter from drifting apart. Without a MongoDB-protocol server the MongoDB run is skipped, visibly.
 */
export function describeEachEngine(title: string, body: (open: (label: string) => Promise<Storage>, engine: StorageEngine) => void): void {
  describe(`${title} [sqlite]`, () => body((label) => openTestStorage(label, 'sqlite'), 'sqlite'));
  if (mongoAvailable()) {
    describe(`${title} [mongodb]`, () => body((label) => openTestStorage(label, 'mongodb'), 'mongodb'));
  } else {
    describe.skip(`${title} [mongodb] (no MongoDB-protocol server: install Go or set TEST_MONGODB_URI)`, () => {
      it('runs the contract on the MongoDB adapter', () => undefined);
    });
  }
}
