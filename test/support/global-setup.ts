import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../server/config/settings';
import { ensureChromium, ensureConsoleBuilt } from './browser';
import { ensureFerretDbBinary, MissingGoToolchain } from '../../scripts/ferretdb/ferretdb-binary';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../scripts/ferretdb/ferretdb-process';

declare global {
  var __TEST_DATABASE__: EmbeddedDatabase | undefined;
}

/**
 * The default engine (SQLite) needs nothing started. The MongoDB adapter's tests need a
 * MongoDB-protocol server: `TEST_MONGODB_URI` names a real one; otherwise one FerretDB is built
 * (with Go) and started for the whole run on a free port and a throw-away directory. Without
 * either, those tests are reported as skipped and say why (test/support/storage.ts).
 */
export default async function globalSetup(): Promise<void> {
  // The console's browser tests need the built app and a browser (test/support/browser.ts).
  ensureConsoleBuilt();
  ensureChromium();
  if (process.env.TEST_MONGODB_URI) return;
  let binary: string;
  try {
    binary = await ensureFerretDbBinary(join(PROJECT_ROOT, '.tools'), (line) => console.log(line));
  } catch (error) {
    if (!(error instanceof MissingGoToolchain)) throw error;
    console.log('No Go toolchain and no TEST_MONGODB_URI: the MongoDB adapter tests are skipped; the SQLite tests run.');
    return;
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'taxii-test-db-'));
  const database = await startEmbeddedDatabase({ binary, dataDir });
  globalThis.__TEST_DATABASE__ = database;
  process.env.TEST_MONGODB_URI = database.uri;
  process.env.TEST_DATA_DIR = dataDir;
}
