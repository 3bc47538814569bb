import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT, readSettings } from '../../server/config/settings';
import { silentLogger } from '../../server/logging';
import { ensureFerretDbBinary } from '../../server/storage/embedded/ferretdb-binary';
import { isAlive, startEmbeddedDatabase } from '../../server/storage/embedded/ferretdb-process';
import { findRunningEmbeddedDatabase, openConfiguredDatabase } from '../../server/storage/open-database';

describe('openConfiguredDatabase', () => {
  const toolsDir = join(PROJECT_ROOT, '.tools');
  let dataDir: string;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'taxii-open-db-'));
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  it('connects to MONGODB_URI when it is set', async () => {
    const name = `t_open_uri_${process.pid}`;
    const settings = readSettings({ MONGODB_URI: process.env.TEST_MONGODB_URI, MONGODB_DATABASE: name, DATA_DIR: dataDir });
    const database = await openConfiguredDatabase(settings, silentLogger());
    try {
      expect(database.handle.db.databaseName).toBe(name);
      await database.handle.db.collection('probe').insertOne({ ok: 1 });
      await database.handle.db.dropDatabase();
    } finally {
      await database.stop();
    }
    expect(existsSync(join(dataDir, 'ferretdb.pid'))).toBe(false);
  });

  it('starts an embedded FerretDB under DATA_DIR and stops it again', async () => {
    const settings = readSettings({ DATA_DIR: dataDir, TOOLS_DIR: toolsDir, MONGODB_DATABASE: 'embedded' });
    const database = await openConfiguredDatabase(settings, silentLogger());
    await database.handle.db.collection('probe').insertOne({ answer: 42 });
    expect(await database.handle.db.collection('probe').countDocuments()).toBe(1);
    expect(existsSync(join(dataDir, 'ferretdb.pid'))).toBe(true);
    await database.stop();
    expect(existsSync(join(dataDir, 'ferretdb.pid'))).toBe(false);
  });

  it('shares the embedded FerretDB a live process already runs there, and leaves it running', async () => {
    const binary = await ensureFerretDbBinary(toolsDir);
    const server = await startEmbeddedDatabase({ binary, dataDir });
    try {
      expect(await findRunningEmbeddedDatabase(dataDir)).toBe(server.uri);
      const settings = readSettings({ DATA_DIR: dataDir, TOOLS_DIR: toolsDir, MONGODB_DATABASE: 'shared' });
      const database = await openConfiguredDatabase(settings, silentLogger());
      await database.handle.db.collection('probe').insertOne({ from: 'cli' });
      await database.stop();
      expect(isAlive(server.pid)).toBe(true);
    } finally {
      await server.stop();
    }
    expect(await findRunningEmbeddedDatabase(dataDir)).toBeUndefined();
  });
});
