import type { ServerSettings } from '../config/settings';
import type { Logger } from '../logging';
import { openMongoStorage } from './mongo/mongo-storage';
import { openSqliteStorage } from './sqlite/sqlite-storage';
import type { Storage } from './storage';

/**
 * The store the settings name: MongoDB when `MONGODB_URI` is set, else the embedded SQLite file
 * under `DATA_DIR`. Used by the server and by every script, so no caller has engine logic of its own.
 * `role` is what the caller does with an embedded store (see SqliteStorageOptions).
 */
export async function openConfiguredStorage(settings: ServerSettings, log: Logger, role: 'server' | 'tool'): Promise<Storage> {
  if (settings.mongodbUri) {
    const storage = await openMongoStorage(settings.mongodbUri, settings.databaseName);
    log.debug({ database: settings.databaseName }, 'connected to MONGODB_URI');
    return storage;
  }
  const storage = openSqliteStorage({ path: settings.dataDir, role });
  log.debug({ dataDir: settings.dataDir }, 'opened the embedded SQLite store');
  return storage;
}
