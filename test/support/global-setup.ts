import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../server/config/settings';
import { ensureFerretDbBinary } from '../../server/storage/embedded/ferretdb-binary';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../server/storage/embedded/ferretdb-process';

declare global {
  var __TEST_DATABASE__: EmbeddedDatabase | undefined;
}

/** One FerretDB for the whole run on a free port and a throw-away directory; each test file uses its own database name. */
export default async function globalSetup(): Promise<void> {
  if (process.env.TEST_MONGODB_URI) return;
  const binary = await ensureFerretDbBinary(join(PROJECT_ROOT, '.tools'), (line) => console.log(line));
  const dataDir = await mkdtemp(join(tmpdir(), 'taxii-test-db-'));
  const database = await startEmbeddedDatabase({ binary, dataDir });
  globalThis.__TEST_DATABASE__ = database;
  process.env.TEST_MONGODB_URI = database.uri;
  process.env.TEST_DATA_DIR = dataDir;
}
